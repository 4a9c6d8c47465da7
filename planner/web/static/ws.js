// Live: twice a second the page asks the workspace's version; when another person's change has
// moved it on, the page fetches the board again and swaps in its live parts. A form typed into
// (or a control in focus) is never swapped away: a notice says the board changed, and the
// person reloads when done.
const live = () => document.getElementById("live");
let busy = false;
// a form of the live part someone has typed into since the last swap: kept until sent
let edited = false;
document.addEventListener("input", (event) => {
  if (live().contains(event.target)) edited = true;
});
async function refresh() {
  if (busy) return;
  busy = true;
  try {
    const asked = await fetch("/ws/version", {headers: {Accept: "application/json"}, cache: "no-store"});
    if (!asked.ok) return;
    const {version} = await asked.json();
    if (String(version) === document.body.dataset.version) return;
    const focused = document.activeElement && live().contains(document.activeElement)
      && ["INPUT", "SELECT", "TEXTAREA", "BUTTON"].includes(document.activeElement.tagName);
    if (edited || focused) {
      document.getElementById("changed").hidden = false;
      return;
    }
    const page = await fetch("/ws", {headers: {Accept: "text/html"}, cache: "no-store"});
    const next = new DOMParser().parseFromString(await page.text(), "text/html");
    live().replaceWith(next.getElementById("live"));
    document.body.dataset.version = next.body.dataset.version;
    document.body.dataset.updated = String(Date.now());
    document.getElementById("changed").hidden = true;
  } catch (e) {
    // the server is restarting or the network is down: the next tick tries again
  } finally {
    busy = false;
  }
}
setInterval(refresh, 500);
