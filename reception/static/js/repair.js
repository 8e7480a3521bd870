/* The "not paired" page of a kiosk or wall display: the cookie is the pairing, localStorage its spare.
 *
 * A browser whose cookie was lost but which still holds its token pairs itself again, at most once a
 * minute (never a redirect loop); a token the server refused is forgotten. Configured on the tag:
 *   <script src="/static/js/repair.js" data-key="…" data-page="/display" data-keep="zone" data-refused="…">
 * data-refused is the body's data-reason that means "this token is invalid"; data-keep lists query
 * parameters to carry over (comma-separated).
 */
(function () {
  "use strict";
  var cfg = document.currentScript.dataset;
  var RETRY_KEY = cfg.key + ":repair-at";
  try {
    if (document.body.dataset.reason === cfg.refused) {
      localStorage.removeItem(cfg.key);
      return;
    }
    var token = localStorage.getItem(cfg.key);
    var last = Number(sessionStorage.getItem(RETRY_KEY) || 0);
    if (!token || Date.now() - last < 60000) return;
    sessionStorage.setItem(RETRY_KEY, String(Date.now()));
    var here = new URLSearchParams(location.search), query = new URLSearchParams({ token: token });
    (cfg.keep ? cfg.keep.split(",") : []).forEach(function (name) {
      if (here.get(name)) query.set(name, here.get(name));
    });
    location.replace(cfg.page + "?" + query.toString());
  } catch (e) {
    /* storage disabled: the message stays */
  }
})();
