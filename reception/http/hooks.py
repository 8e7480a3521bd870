"""The providers' webhooks, outside ``/api/v1``: ``POST /hooks/telegram``, ``/hooks/viber``, ``/hooks/sms``.

No session, no CSRF (nothing a browser's cookie could ride on): each provider proves itself — Telegram by
the secret token header set with ``setWebhook`` (401 otherwise), Viber by the HMAC-SHA256 signature of
the body keyed by the bot's token (403 otherwise), the SMS gateway by a shared secret in
``X-Reception-Secret`` or ``?secret=`` (401 otherwise). A refused call changes nothing. A verified update
is acted on in one transaction (processed ids are kept: a replay changes nothing twice); an update we do
not know gets 200 and is ignored; a body that is not JSON gets 400. Never a 500: a storage fault is a
503, which the provider retries (decision 038).
"""

from __future__ import annotations

import json
import logging
from typing import Any

from flask import Blueprint, Flask, current_app, jsonify, request
from flask.typing import ResponseReturnValue

from reception.http.callers import guard
from reception.http.wiring import wiring
from reception.kernel.permissions import Action
from reception.notifications import hooks
from reception.notifications.config import NotifyConfig
from reception.notifications.replies import Handled, handle_inbound

log = logging.getLogger(__name__)

bp = Blueprint("hooks", __name__, url_prefix="/hooks")
SMS_SECRET_HEADER = "X-Reception-Secret"


def _refused(status: int, reason: str) -> ResponseReturnValue:
    return jsonify({"ok": False, "error": reason}), status


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return _MALFORMED


_MALFORMED = object()


def _act(inbound: hooks.Inbound) -> Handled | None:
    """Run the update; None when the storage failed (the provider is asked to retry)."""
    try:
        return wiring().services.value(handle_inbound, inbound, NotifyConfig.from_mapping(current_app.config))
    except Exception:  # never a 500 to a provider: it retries a 503
        log.exception("webhook %s update %s failed", inbound.channel, inbound.update_id)
        return None


def _done(handled: Handled | None) -> ResponseReturnValue:
    if handled is None:
        return _refused(503, "retry")
    return jsonify({"ok": True, "outcome": handled.outcome})


@bp.post("/telegram")
@guard(Action.WEBHOOK)
def telegram() -> ResponseReturnValue:
    given = request.headers.get("X-Telegram-Bot-Api-Secret-Token")
    if not hooks.secret_matches(given, current_app.config.get("TELEGRAM_WEBHOOK_SECRET")):
        return _refused(401, "bad secret token")
    update = _json(request.get_data(cache=False))
    if update is _MALFORMED:
        return _refused(400, "malformed JSON")
    inbound = hooks.telegram(update)
    handled = _act(inbound)
    if handled is not None and inbound.callback_id is not None:
        # A tapped inline button spins until answered: answered in the webhook's reply (a Bot API
        # method call), the words themselves follow as a message.
        return jsonify({"method": "answerCallbackQuery", "callback_query_id": inbound.callback_id,
                        "ok": True, "outcome": handled.outcome})
    return _done(handled)


@bp.post("/viber")
@guard(Action.WEBHOOK)
def viber() -> ResponseReturnValue:
    raw = request.get_data(cache=False)
    if not hooks.viber_signature_matches(raw, request.headers.get("X-Viber-Content-Signature"),
                                         current_app.config.get("VIBER_AUTH_TOKEN")):
        return _refused(403, "bad signature")
    event = _json(raw)
    if event is _MALFORMED:
        return _refused(400, "malformed JSON")
    handled = _act(hooks.viber(event))
    if handled is not None and handled.welcome is not None:
        # Viber's rule: a bot writes first only as the answer to conversation_started.
        return jsonify({"sender": {"name": str(current_app.config.get("VIBER_SENDER_NAME") or "ЦНАП")[:28]},
                        "type": "text", "text": handled.welcome,
                        "keyboard": {"Type": "keyboard", "DefaultHeight": False, "Buttons": [
                            {"ActionType": "reply", "ActionBody": "ok", "Text": "Гаразд / OK", "Columns": 6, "Rows": 1}]}})
    return _done(handled)


@bp.post("/sms")
@guard(Action.WEBHOOK)
def sms() -> ResponseReturnValue:
    given = request.headers.get(SMS_SECRET_HEADER) or request.args.get("secret")
    if not hooks.secret_matches(given, current_app.config.get("SMS_WEBHOOK_SECRET")):
        return _refused(401, "bad secret")
    if request.mimetype == "application/json":
        data = _json(request.get_data(cache=False))
        if data is _MALFORMED:
            return _refused(400, "malformed JSON")
    else:
        data = request.form.to_dict()
    return _done(_act(hooks.sms(data)))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
