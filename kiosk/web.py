"""The kiosk page: pairing, the touch UI shell and the ticket's QR code.

Everything the visitor does goes through the JSON API (``/api/v1/kiosk/...``) with the device
token as a bearer token; these views only pair the browser and serve the page.
"""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from kiosk import messages, pairing
from kiosk.feedback import hall_survey
from kiosk.hours import opening_lines
from kiosk.sockets import KioskNamespace
from printers.qr import qr_svg
from reception.devices.printing import status_url
from reception.http.callers import guard
from reception.http.device_cookies import device_for_token, pairing_answer, remember_device
from reception.http.realtime import KIOSK_NS, socketio
from reception.http.security import public_base_url
from reception.http.wiring import wiring
from reception.kernel.permissions import Action
from reception.leadership import codes as booking_codes
from reception.offices.models import Office
from reception.platform import i18n
from reception.queue.models import Ticket

bp = Blueprint("kiosk", __name__, template_folder="templates", static_folder="static",
               static_url_path="/kiosk/static")

IDLE_S = {"ticket": 30, "other": 60, "warn": 10}
# How a kiosk starts (decision 019): ``/kiosk?contrast=high`` once, remembered by this browser.
CONTRAST_COOKIE = "kiosk-contrast"
CONTRASTS = ("normal", "high")


def _no_store(response: BaseResponse) -> BaseResponse:
    response.headers["Cache-Control"] = "no-store"  # the app-wide CSP (reception.http.security) applies
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _unpaired(reason: str) -> BaseResponse:
    """The bilingual "not paired" page; ``reason`` is ``missing`` or ``invalid`` (then the keys are dropped)."""
    response = make_response(render_template("kiosk/unpaired.html", reason=reason, t=i18n.t), 403)
    if reason == "invalid":
        pairing.forget(response)
    return _no_store(response)


@bp.get("/kiosk")
@guard(Action.KIOSK_ISSUE)
def page() -> BaseResponse:
    """Pair once with ``?token=``, then serve the kiosk at the clean URL."""
    contrast = request.args.get("contrast")
    if contrast is not None and contrast not in CONTRASTS:
        # Whoever set the kiosk up typed the URL: say what is allowed, in both languages.
        text = "\n".join(i18n.t("kiosk.contrast_invalid", lang) for lang in i18n.LANGS)
        return _no_store(Response(text, 400, mimetype="text/plain"))
    response = _page()
    if contrast is not None:  # the device's setting, kept as long as the pairing is
        remember_device(response, CONTRAST_COOKIE, contrast, path="/kiosk")
    return response


def _page() -> BaseResponse:
    if "token" in request.args:
        sent = request.args.get("token", "")
        if pairing.kiosk_for_token(sent) is None:
            return _unpaired("invalid")
        response = redirect(url_for("kiosk.page"), code=303)
        pairing.remember(response, sent)
        return _no_store(response)
    token = pairing.cookie_token()
    if not token:
        return _unpaired("missing")
    kiosk = pairing.kiosk_for_token(token)
    if kiosk is None:
        return _unpaired("invalid")
    with wiring().db.read() as s:
        office = s.get(Office, kiosk.office_id)
        assert office is not None
        office_names = {"uk": office.name_uk, "en": office.name_en or office.name_uk}
        hours = {lang: opening_lines(office.opening_hours, lang) for lang in i18n.LANGS}
    config: dict[str, Any] = {
        "pairing": url_for("kiosk.pairing_token"),  # the token itself stays out of the page
        "office": office_names,
        "has_printer": kiosk.has_printer,
        "hours": hours,
        "messages": messages.catalogue(),
        "api": url_for("api.get_menu").rsplit("/", 1)[0],  # /api/v1/kiosk
        "qr": url_for("kiosk.qr", public_token="TOKEN"),
        # Idle timeouts (s): the ticket screen, any other screen, and the visible warning before it.
        "idle_s": {**IDLE_S, **current_app.config.get("KIOSK_IDLE_S", {})},
        "poll_s": current_app.config.get("KIOSK_POLL_S", 30),
        # Only the symbols a booking code can hold: fewer, bigger keys and no impossible codes.
        "booking_code": {"alphabet": booking_codes.ALPHABET, "length": booking_codes.LENGTH},
        "contrast": request.args.get("contrast") or request.cookies.get(CONTRAST_COOKIE, "normal"),
    }
    if config["contrast"] not in CONTRASTS:
        config["contrast"] = "normal"
    response = make_response(render_template("kiosk/page.html", config=config, office_name=office_names["uk"],
                                             t=i18n.t))
    return _no_store(response)


@bp.get("/kiosk/pairing")
@guard(Action.KIOSK_ISSUE)
def pairing_token() -> Response:
    """The paired kiosk's token for its API calls (and its localStorage spare), read from the cookie."""
    token = pairing.cookie_token()
    return pairing_answer(token, device_for_token(token, "kiosk"))


@bp.get("/kiosk/qr/<public_token>.svg")
@guard(Action.KIOSK_ISSUE)
def qr(public_token: str) -> Response:
    """The QR code to a ticket's phone status page, for the paired kiosk of that ticket's office."""
    kiosk = pairing.kiosk_for_token(pairing.cookie_token())
    if kiosk is None:
        abort(403)
    if len(public_token) > 64:
        abort(404)
    with wiring().db.read() as s:
        office_id = s.scalar(select(Ticket.office_id).where(Ticket.public_token == public_token))
    if office_id != kiosk.office_id:
        abort(404)
    response = make_response(qr_svg(status_url(public_base_url(), public_token)))
    response.mimetype = "image/svg+xml"
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


@bp.get("/kiosk/feedback")
@guard(Action.KIOSK_ISSUE)
def feedback() -> BaseResponse:
    """The hall survey on a paired kiosk or tablet: the visitor types their slip's code and rates the visit."""
    token = pairing.cookie_token()
    kiosk = pairing.kiosk_for_token(token) if token else None
    if kiosk is None:
        return _unpaired("invalid" if token else "missing")
    asked = request.args.get("lang")
    lang = asked if asked in i18n.LANGS else "uk"
    survey = hall_survey(wiring().db, kiosk.office_id, lang)
    config = {"pairing": url_for("kiosk.pairing_token"), "api": url_for("api.post_kiosk_feedback"), "lang": lang,
              "reset_s": survey["reset_s"], "words": {k: i18n.t(k, lang) for k in FEEDBACK_WORDS}}
    return _no_store(make_response(render_template("kiosk/feedback.html", lang=lang, other="en" if lang == "uk" else "uk",
                                                   t=i18n.t, config=config, **survey)))


FEEDBACK_WORDS = ("fb.pick", "fb.failed", "fb.sending", "fb.send", "error.feedback_code")


def init_app(app: Flask) -> None:
    """Register the kiosk blueprint and the ``/kiosk`` namespace (the office's suspension, pushed)."""
    app.register_blueprint(bp)
    socketio.on_namespace(KioskNamespace(KIOSK_NS))
