// The board answers a click without reloading the page: links and forms that change the board
// fetch the next board (the server's own page, at the board's own address) and swap the page's
// body for it, keeping that address in the browser's history. Uploads stay ordinary posts; with
// scripts off, every link and form works as plain HTML.
async function go(url, push = true) {
  const response = await fetch(url, {headers: {Accept: "text/html"}});
  const next = new DOMParser().parseFromString(await response.text(), "text/html");
  document.title = next.title;
  document.body.replaceWith(next.body);
  if (push) history.pushState(null, "", response.url);
}

document.addEventListener("click", (event) => {
  const link = event.target.closest("a[href^='/?'], a[href='/']");
  if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
  event.preventDefault();
  go(link.getAttribute("href"));
});

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form.method.toLowerCase() !== "get") return;
  event.preventDefault();
  const data = new FormData(form);
  if (event.submitter && event.submitter.name) data.append(event.submitter.name, event.submitter.value);
  go("/?" + new URLSearchParams(data).toString());
});

window.addEventListener("popstate", () => go(location.pathname + location.search, false));
