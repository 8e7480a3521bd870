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
    // ``key`` is the tap's idempotency key: a retry with it answers the ticket already made.
    issue: (service, priority, lang, key) =>
      call("POST", "/tickets", {
        body: { service, priority: priority || null, lang, idempotency_key: key },
        lang,
        timeoutMs: 30000,
      }),
    checkin: (bookingCode, lang) =>
      call("POST", "/checkin", { body: { booking_code: bookingCode, lang }, lang, timeoutMs: 30000 }),
  };
}

// No answer from the product itself: the network, or a proxy whose upstream is down (its 502/504,
// or a 503 that is not one of our problem documents). A retry with the same key is then safe.
export function unanswered(answer) {
  if (answer.status === 0) return true;
  return [502, 503, 504].includes(answer.status) && !(answer.data && answer.data.code);
}

// 128 random bits as hex (crypto.randomUUID needs a secure context; a kiosk on plain HTTP has none).
export function newKey() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
