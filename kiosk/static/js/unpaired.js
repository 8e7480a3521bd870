// The "not paired" page: if this browser still holds a kiosk token (the cookie was cleared),
// pair again once; if the server said the token is invalid, forget it.
const KEY = "kiosk-token";
const RETRY_KEY = "kiosk-repair-at";
const reason = document.body.dataset.reason;

try {
  if (reason === "invalid") {
    localStorage.removeItem(KEY);
  } else {
    const token = localStorage.getItem(KEY);
    const last = Number(sessionStorage.getItem(RETRY_KEY) || 0);
    if (token && Date.now() - last > 60_000) { // at most once a minute: never a redirect loop
      sessionStorage.setItem(RETRY_KEY, String(Date.now()));
      location.replace(`/kiosk?token=${encodeURIComponent(token)}`);
    }
  }
} catch (e) {
  /* storage disabled: nothing to restore */
}
document.addEventListener("contextmenu", (e) => e.preventDefault());
