// JSON over fetch for the session pages (desk console, office pages, hall) and the public pages.
// Unsafe requests carry X-CSRF-Token from <meta name="csrf-token"> when the page has one; an answer
// that is not 2xx becomes an HttpError carrying the problem document (status, code, params and the
// server's localised detail as the message). The kiosk keeps its own bearer-token client (kiosk/api.js).

export class HttpError extends Error {
  constructor(message, status, problem) {
    super(message);
    this.name = "HttpError";
    this.status = status;
    this.problem = problem || null;
    this.code = (problem && problem.code) || null;
    this.params = (problem && problem.params) || {};
  }
}

export function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.content : "";
}

function withLang(url, lang) {
  if (!lang) return url;
  return `${url}${url.includes("?") ? "&" : "?"}lang=${encodeURIComponent(lang)}`;
}

/* request("POST", "/api/v1/...", body?, options?) resolves to the parsed JSON (null for 204 or no body).
   options: lang (added as ?lang=, so problem details come in the page's language), cache (fetch's),
   messages: {network, signedOut, unexpected(status)} — the page's own words for an unreachable server,
   a 401 (the session ended) and an answer without a detail. */
export async function request(method, url, body, { lang = null, cache = undefined, messages = {} } = {}) {
  const headers = { Accept: "application/json" };
  const token = csrfToken();
  if (method !== "GET" && method !== "HEAD" && token) headers["X-CSRF-Token"] = token;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(withLang(url, lang), {
      method, headers, cache, credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw new HttpError(messages.network || error.message, 0);
  }
  if (response.status === 204) return null;
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch (_error) { data = null; }
  if (response.ok) return data;
  if (response.status === 401 && messages.signedOut) throw new HttpError(messages.signedOut, 401, data);
  const detail = data && data.detail;
  const fallback = messages.unexpected ? messages.unexpected(response.status) : response.statusText || String(response.status);
  throw new HttpError(detail || fallback, response.status, data);
}
