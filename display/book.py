"""The public booking page (``/book``): office, service, day, time, name and contact, the code, the booking.

No sign-in and no personal data in the page itself: it talks to the public booking API
(``/api/v1/public/...``). ``/book?cancel=CODE&token=TOKEN`` is the cancel link of the confirmation.
"""

from __future__ import annotations

from flask import Blueprint, make_response, render_template, request
from werkzeug.wrappers import Response as BaseResponse

from printers.qr import qr_svg
from reception.booking.commands import bookable_offices
from reception.http.callers import guard
from reception.http.wiring import wiring
from reception.kernel.permissions import Action
from reception.leadership import codes
from reception.platform import i18n

bp = Blueprint("book", __name__, template_folder="templates")

LABELS = ("title", "intro", "office", "service", "day", "time", "no_time", "surname", "name", "phone", "email",
          "contact_hint_sms", "contact_hint_email", "consent", "send", "code", "code_hint_sms", "code_hint_email",
          "confirm", "done", "your_code", "when", "show_at_kiosk", "cancel_link", "cancel_title", "cancel_do",
          "cancelled", "again", "back", "required", "free", "choose", "loading", "network", "qr_alt", "switch",
          "remote_ahead")


@bp.get("/book")
@guard(Action.PUBLIC)
def page() -> BaseResponse:
    asked = request.args.get("lang")
    lang = asked if asked in i18n.LANGS else "uk"
    with wiring().db.read() as s:
        offices = bookable_offices(s)
    config = {"lang": lang, "offices": offices, "today": wiring().clock.now().isoformat(),
              "labels": {name: i18n.t(f"pbook.{name}", lang) for name in LABELS},
              "weekdays": [i18n.t(f"pbook.wd.{d}", lang) for d in range(1, 8)]}
    html = render_template("book/book.html", lang=lang, other_lang="en" if lang == "uk" else "uk", config=config,
                           t=i18n.t)
    response = make_response(html)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/book/qr/<booking_code>.svg")
@guard(Action.PUBLIC)
def qr(booking_code: str) -> BaseResponse:
    """The booking code as a QR code, for the kiosk's scanner (the code only: no personal data)."""
    clean = codes.normalise(booking_code)
    if clean is None:
        return make_response("", 404)
    response = make_response(qr_svg(codes.display(clean)))
    response.headers["Content-Type"] = "image/svg+xml"
    response.headers["Cache-Control"] = "private, max-age=86400"
    return response
