"""Wall display (``/display``) and phone status page (``/t/<public_token>``): pages, audio, sockets.

Pairing: ``/display?token=DEVICE_TOKEN`` checks the token once, keeps it in an HttpOnly cookie
(the page also mirrors it to localStorage, to re-pair itself if the cookie is lost) and
redirects to the clean URL, so the token does not linger in the address bar or history.
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
from werkzeug.wrappers import Response as BaseResponse

from display import messages  # noqa: F401  (registers the texts)
from display.book import bp as book_bp
from display.feedback import feedback_state
from display.notify import notify_context
from display.sockets import DisplayNamespace, TicketNamespace
from display.speech import Speech
from display.state import clean_zone, display_state, phone_status
from reception.accounts.credentials import PairedDevice
from reception.http.callers import guard
from reception.http.device_cookies import device_for_token, forget_device, pairing_answer, remember_device
from reception.http.realtime import DISPLAY_NS, TICKET_NS, socketio
from reception.http.wiring import wiring
from reception.kernel.permissions import Action
from reception.platform import i18n

bp = Blueprint("display", __name__, template_folder="templates", static_folder="static",
               static_url_path="/display/static")

COOKIE = "reception_display"
COOKIE_SAMESITE = "Lax"
SPEECH_KEY = "display.speech"  # app.extensions: the display front end's own speech engine


@bp.context_processor
def _texts() -> dict[str, Any]:
    return {"t": i18n.t, "plural_forms": i18n.plural_forms}


def _display_device(token: str | None) -> PairedDevice | None:
    return device_for_token(token, "display")


def _no_store(response: BaseResponse) -> BaseResponse:
    response.headers["Cache-Control"] = "no-store"
    return response


def _unpaired(reason: str, status: int) -> BaseResponse:
    response = make_response(render_template("display/unpaired.html", reason=reason), status)
    if reason == "bad_token":
        forget_device(response, COOKIE, path="/display", samesite=COOKIE_SAMESITE)
    return _no_store(response)


@bp.get("/display")
@guard(Action.DEVICE_PAIR)
def board() -> BaseResponse:
    """The wall display; pairs the browser when opened with ``?token=``."""
    zone = clean_zone(request.args.get("zone"))
    sent = request.args.get("token")
    if sent is not None:
        if _display_device(sent) is None:
            return _unpaired("bad_token", 403)
        response = redirect(url_for("display.board", zone=zone) if zone else url_for("display.board"))
        remember_device(response, COOKIE, sent, path="/display", samesite=COOKIE_SAMESITE)
        return _no_store(response)
    token = request.cookies.get(COOKIE)
    if not token:
        return _unpaired("missing", 200)
    device = _display_device(token)
    if device is None:
        return _unpaired("bad_token", 403)
    zone = device.zone or zone
    w = wiring()
    state = display_state(w.db, w.clock, device.office_id, zone)
    if state is None:
        return _unpaired("bad_token", 403)
    page = render_template("display/board.html", state=state, pairing=url_for("display.pairing_token"), zone=zone,
                           speech_url=url_for("display.announce_wav"),
                           speech_available=current_app.extensions[SPEECH_KEY].available)
    return _no_store(make_response(page))


@bp.get("/display/pairing")
@guard(Action.DISPLAY_WATCH)
def pairing_token() -> Response:
    """The paired display's token for its socket (and its localStorage spare), read from the cookie."""
    token = request.cookies.get(COOKIE)
    return pairing_answer(token, _display_device(token))


@bp.get("/display/announce.wav")
@guard(Action.DISPLAY_WATCH)
def announce_wav() -> Response:
    """Server-made speech (espeak-ng) for displays whose browser has no Ukrainian voice."""
    token = request.cookies.get(COOKIE) or request.headers.get("X-Display-Token")
    if _display_device(token) is None:
        abort(401)
    lang = request.args.get("lang", "uk")
    text = Speech.clean(request.args.get("text", ""))
    if text is None or lang not in ("uk", "en"):
        return make_response(i18n.t("display.bad_request", lang if lang in ("uk", "en") else "uk"), 400)
    speech: Speech = current_app.extensions[SPEECH_KEY]
    audio = speech.wav(text, lang) if speech.available else None
    if audio is None:
        return make_response(i18n.t("display.speech_unavailable", lang), 503)
    response = make_response(audio)
    response.headers["Content-Type"] = "audio/wav"
    response.headers["Cache-Control"] = "private, max-age=86400"
    return response


@bp.get("/t/<public_token>")
@guard(Action.PUBLIC)
def phone(public_token: str) -> BaseResponse:
    """The phone status page behind the ticket's QR code: no personal data, polls without sockets."""
    w = wiring()
    status = phone_status(w.db, w.clock, public_token)
    asked = request.args.get("lang")
    if status is None:
        lang = asked if asked in i18n.LANGS else "uk"
        return _no_store(make_response(render_template("display/phone_missing.html", lang=lang), 404))
    lang = asked if asked in i18n.LANGS else (status.get("lang") or "uk")
    page = render_template("display/phone.html", status=status, token=public_token, lang=lang,
                           other_lang="en" if lang == "uk" else "uk", notify=notify_context(w.db, public_token),
                           feedback=feedback_state(w.db, w.clock, public_token,
                                                   current_app.config["FEEDBACK_WINDOW_HOURS"]))
    return _no_store(make_response(page))


def init_app(app: Flask) -> None:
    """Register the blueprint, the speech engine and the ``/display`` and ``/ticket`` namespaces."""
    app.register_blueprint(bp)
    app.register_blueprint(book_bp)  # the public booking page (decision 044)
    app.extensions.setdefault(SPEECH_KEY, Speech())
    socketio.on_namespace(DisplayNamespace(DISPLAY_NS))
    socketio.on_namespace(TicketNamespace(TICKET_NS))
