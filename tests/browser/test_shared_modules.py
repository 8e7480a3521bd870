"""The shared front-end modules (/static/js/shared, decision 025) in real Chromium under the strict CSP:
the JSON client sends the page's CSRF token, turns a problem document into an error with its status,
code, params and localised detail, and says "signed out" for a 401; the formatters give the texts the
pages showed before."""

from __future__ import annotations

from typing import Any

from tests.fakes import add_user

PASSWORD = "secret-pass-1"

CALL = """async ([url, messages]) => {
  const http = await import("/static/js/shared/http.js");
  const words = messages && { signedOut: messages.signedOut, network: messages.network };
  try {
    return { ok: await http.request("POST", url, {}, { lang: "uk", messages: words || {} }) };
  } catch (e) {
    return { name: e.name, message: e.message, status: e.status, code: e.code, params: e.params };
  }
}"""


def _signed_in(browser: Any, base: str) -> Any:
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}/login")
    page.fill("input[name=username]", "op")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/desk")
    return page


def test_request_sends_the_csrf_token_and_reads_problem_documents(live_server, browser, db, clock, office) -> None:
    add_user(db, clock, "op", ["operator"], ["T1"])
    page = _signed_in(browser, live_server.url)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    # With the token from <meta name="csrf-token"> the request gets past CSRF to the domain's refusal.
    missing = page.evaluate(CALL, ["/api/v1/tickets/999999/recall", None])
    assert missing["name"] == "HttpError" and missing["status"] == 404, missing
    assert missing["code"] == "unknown_ticket" and missing["params"] == {"ticket": 999999}, missing
    assert missing["message"] == "Талон не знайдено."  # the server's detail, in the page's language

    # Without the meta tag there is no header to send: the server refuses the unsafe request.
    page.evaluate("() => document.querySelector('meta[name=\"csrf-token\"]').remove()")
    refused = page.evaluate(CALL, ["/api/v1/tickets/999999/recall", None])
    assert (refused["status"], refused["code"]) == (403, "csrf"), refused

    # A 401 (no session) reads as the page's own "signed out" words.
    page.context.clear_cookies()
    signed_out = page.evaluate(CALL, ["/api/v1/tickets/999999/recall", {"signedOut": "Сеанс завершено"}])
    assert signed_out["status"] == 401 and signed_out["message"] == "Сеанс завершено", signed_out
    assert not errors
    page.context.close()


def test_formatters_keep_the_texts_of_the_pages(live_server, browser, db, clock, office) -> None:
    add_user(db, clock, "op", ["operator"], ["T1"])
    page = _signed_in(browser, live_server.url)
    got = page.evaluate("""async () => {
      const f = await import("/static/js/shared/format.js");
      const d = await import("/static/js/shared/dom.js");
      const words = { hours: "год", minutes: "хв", seconds: "с" };
      const badge = d.el("span", "dc-badge", "Т-001"), option = d.el("option", { value: "7", lang: "en" }, null);
      return {
        fill: f.fill("{code} — {outcome} {missing}", { code: "Т-001", outcome: "Надано" }),
        clock: [f.isoClock("2026-03-02T09:05:00+02:00"), f.isoClock(null)],
        stopwatch: [f.minSec(0), f.minSec(65), f.minSec(-3)],
        minutes: f.minutesSince("2026-03-02T09:05:00Z", Date.parse("2026-03-02T09:17:59Z")),
        durations: [f.duration(249, words), f.duration(3900, words)],
        badge: [badge.className, badge.textContent],
        option: [option.getAttribute("value"), option.lang, option.textContent],
      };
    }""")
    assert got["fill"] == "Т-001 — Надано {missing}"
    assert got["clock"] == ["09:05", "—"]
    assert got["stopwatch"] == ["0:00", "1:05", "0:00"]
    assert got["minutes"] == 12
    assert got["durations"] == ["4 хв 09 с", "1 год 05 хв"]
    assert got["badge"] == ["dc-badge", "Т-001"]
    assert got["option"] == ["7", "en", ""]
    page.context.close()
