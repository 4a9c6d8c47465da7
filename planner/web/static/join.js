// The invitation's link ends with #TOKEN: a fragment, which the browser never sends to a server
// (so the token is in no log and no Referer). Posted once to /session, it becomes an HttpOnly
// cookie of this browser, and leaves the address at once.
const token = decodeURIComponent(location.hash.slice(1));
if (token) {
  history.replaceState(null, "", "/join");
  document.getElementById("joining").hidden = false;
  const form = document.getElementById("join-form");
  form.elements.token.value = token;
  form.submit();
}
