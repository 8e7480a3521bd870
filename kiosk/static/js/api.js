// JSON API calls of the kiosk, authenticated with the device token (never a cookie session).
// Every call resolves — never throws — to {ok, status, data}; status 0 means no answer.
// ``getToken`` resolves to the device token (see pairing.js).

export function createApi(base, getToken) {
  async function call(method, path, { body, lang, timeoutMs = 10000 } = {}) {
    let token;
    try {
      token = await getToken();
    } catch (error) {
      return { ok: false, status: 0, data: null };
    }
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    const headers = { Authorization: `Bearer ${token}`, Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const query = lang ? `?lang=${encodeURIComponent(lang)}` : "";
    try {
      const response = await fetch(`${base}${path}${query}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: controller.signal,
        cache: "no-store",
        credentials: "omit",
      });
      let data = null;
      try {
        data = await response.json();
      } catch (e) {
        data = null;
      }
      return { ok: response.ok, status: response.status, data };
    } catch (error) {
      return { ok: false, status: 0, data: null };
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    menu: (lang) => call("GET", "/menu", { lang }),
    // Printing happens before the answer (the server waits up to ~15 s for a jammed printer).
    issue: (service, priority, lang) =>
      call("POST", "/tickets", { body: { service, priority: priority || null, lang }, lang, timeoutMs: 30000 }),
    checkin: (bookingCode, lang) =>
      call("POST", "/checkin", { body: { booking_code: bookingCode, lang }, lang, timeoutMs: 30000 }),
  };
}
