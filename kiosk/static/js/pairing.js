// The device token is never written into the page: the server hands it over from the HttpOnly
// cookie once per page load; it is also kept in localStorage, which re-pairs the browser if the
// cookie is ever lost (see /static/js/repair.js).

import { request } from "/static/js/shared/http.js";

const STORAGE_KEY = "kiosk-token";

export function pairedToken(url) {
  let pending = null;
  return function token() {
    if (!pending) {
      pending = request("GET", url, undefined, { cache: "no-store" })
        .then((data) => {
          try {
            localStorage.setItem(STORAGE_KEY, data.token);
          } catch (e) {
            /* storage disabled: the cookie alone pairs */
          }
          return data.token;
        })
        .catch((error) => {
          pending = null; // offline or unpaired: ask again with the next call
          throw error;
        });
    }
    return pending;
  };
}
