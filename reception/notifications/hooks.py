"""Webhooks of the providers, read into one shape: verification and parsing, pure (no Flask, no database).

- Telegram: ``X-Telegram-Bot-Api-Secret-Token`` equals the secret given to ``setWebhook``; updates carry
  ``update_id``; ``message`` with ``/start <payload>`` binds, other text is a reply word; ``callback_query``
  is an inline button whose ``data`` is ``action[:subscription]``.
- Viber: ``X-Viber-Content-Signature`` is the hex HMAC-SHA256 of the raw body keyed by the bot's auth
  token; ``conversation_started`` carries the deep link's ``context``; ``message`` (text or a reply button's
  ``ActionBody``) is a reply; ``unsubscribed`` stops; ``webhook`` (set_webhook's check) and the rest are
  acknowledged. ``message_token`` makes a replay recognisable.
- SMS gateway: a shared secret in ``X-Reception-Secret`` (or ``?secret=``); ``{from, text, id?}`` in JSON
  or a form.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

ACTIONS = ("late", "cancel", "stop")

# Reply words, Latin or Cyrillic, any case (and the words people send instead).
WORDS: dict[str, str] = {
    "пізно": "late", "запізнююсь": "late", "запізнююся": "late", "late": "late", "опаздываю": "late",
    "скасувати": "cancel", "скасуй": "cancel", "cancel": "cancel", "отмена": "cancel",
    "стоп": "stop", "stop": "stop", "відписатися": "stop", "unsubscribe": "stop",
    "ok": "ack", "гаразд": "ack", "ок": "ack", "дякую": "ack",
}
# Latin letters that look like Cyrillic ones in a word typed on a mixed keyboard ("CTOП").
_LOOKALIKE = str.maketrans({"a": "а", "c": "с", "e": "е", "i": "і", "o": "о", "p": "р", "x": "х", "t": "т",
                            "k": "к", "m": "м", "h": "н", "b": "в", "y": "у"})


@dataclass(frozen=True)
class Inbound:
    """What an update asks: ``bind`` (payload), ``reply`` (action, or None for words we do not know),
    ``unsubscribed``, ``welcome`` (Viber's conversation without a payload) or ``ignore``."""

    channel: str
    kind: str
    update_id: str | None = None
    address: str | None = None  # the chat id, the Viber user id, the phone (E.164 as the gateway sends it)
    payload: str | None = None
    action: str | None = None
    subscription_id: int | None = None
    lang: str | None = None
    callback_id: str | None = None  # Telegram's callback_query id (its answer is the message we send)


IGNORE = "ignore"


def secret_matches(given: str | None, expected: str | None) -> bool:
    """Constant-time equality; no secret configured means nobody matches."""
    if not expected or given is None:
        return False
    return hmac.compare_digest(given.encode(), expected.encode())


def viber_signature(body: bytes, auth_token: str) -> str:
    return hmac.new(auth_token.encode(), body, hashlib.sha256).hexdigest()


def viber_signature_matches(body: bytes, signature: str | None, auth_token: str | None) -> bool:
    if not auth_token or not signature:
        return False
    return hmac.compare_digest(viber_signature(body, auth_token), signature.strip().lower())


def reply_word(text: str | None) -> str | None:
    """The action a reply text names ("ПІЗНО", "late", "Стоп!"), or None."""
    if not text:
        return None
    word = unicodedata.normalize("NFC", text).strip().lower()
    word = re.sub(r"[\s.!?,;:«»\"'()]+", " ", word).strip().split(" ")[0] if word else ""
    if word in WORDS:
        return WORDS[word]
    return WORDS.get(word.translate(_LOOKALIKE))


def button_data(data: Any) -> tuple[str | None, int | None]:
    """A button's ``action[:subscription]`` ("late:42", "cancel"): the action and the subscription."""
    if not isinstance(data, str):
        return None, None
    action, _, sub = data.strip().partition(":")
    action = action.lower()
    if action not in ACTIONS:
        return None, None
    return action, int(sub) if sub.isdigit() and len(sub) < 12 else None


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _lang(code: Any) -> str | None:
    return "en" if isinstance(code, str) and code.lower().startswith("en") else ("uk" if code else None)


def telegram(update: Any) -> Inbound:
    if not isinstance(update, dict):
        return Inbound("telegram", IGNORE)
    update_id = update.get("update_id")
    uid = str(update_id)[:128] if isinstance(update_id, int) else None
    message = update.get("message")
    if isinstance(message, dict):
        chat = _obj(message.get("chat"))
        chat_id = chat.get("id")
        text = message.get("text")
        sender = _obj(message.get("from"))
        lang = _lang(sender.get("language_code"))
        if not isinstance(chat_id, int) or not isinstance(text, str):
            return Inbound("telegram", IGNORE, uid)
        if text.startswith("/start"):
            payload = text[len("/start"):].strip()
            return Inbound("telegram", "bind" if payload else "welcome", uid, str(chat_id), payload=payload or None,
                           lang=lang)
        if text.strip().lower() in ("/stop", "/cancel", "/late"):
            return Inbound("telegram", "reply", uid, str(chat_id), action=text.strip().lower()[1:], lang=lang)
        return Inbound("telegram", "reply", uid, str(chat_id), action=reply_word(text), lang=lang)
    query = update.get("callback_query")
    if isinstance(query, dict):
        msg = _obj(query.get("message"))
        chat = _obj(msg.get("chat"))
        sender = _obj(query.get("from"))
        chat_id = chat.get("id", sender.get("id"))
        if not isinstance(chat_id, int):
            return Inbound("telegram", IGNORE, uid)
        action, sub = button_data(query.get("data"))
        callback = query.get("id")
        return Inbound("telegram", "reply", uid, str(chat_id), action=action, subscription_id=sub,
                       lang=_lang(sender.get("language_code")), callback_id=callback if isinstance(callback, str) else None)
    return Inbound("telegram", IGNORE, uid)


def viber(event: Any) -> Inbound:
    if not isinstance(event, dict):
        return Inbound("viber", IGNORE)
    name = event.get("event")
    token = event.get("message_token")
    uid = str(token)[:128] if isinstance(token, int | str) and str(token) else None
    if name == "conversation_started":
        user = _obj(event.get("user"))
        user_id = user.get("id")
        context = event.get("context")
        if not isinstance(user_id, str):
            return Inbound("viber", IGNORE, uid)
        if isinstance(context, str) and context:
            return Inbound("viber", "bind", uid, user_id, payload=context, lang=_lang(user.get("language")))
        return Inbound("viber", "welcome", uid, user_id, lang=_lang(user.get("language")))
    if name == "message":
        sender = _obj(event.get("sender"))
        message = _obj(event.get("message"))
        user_id = sender.get("id")
        text = message.get("text")
        if not isinstance(user_id, str) or not isinstance(text, str):
            return Inbound("viber", IGNORE, uid)
        action, sub = button_data(text)
        if action is None:
            action = reply_word(text)
        return Inbound("viber", "reply", uid, user_id, action=action, subscription_id=sub,
                       lang=_lang(sender.get("language")))
    if name == "unsubscribed":
        user_id = event.get("user_id")
        return Inbound("viber", "unsubscribed", uid, user_id) if isinstance(user_id, str) else Inbound("viber", IGNORE)
    return Inbound("viber", IGNORE, uid)  # webhook, subscribed, delivered, seen, failed, ...


def sms(data: Any) -> Inbound:
    """An inbound SMS: ``from`` (the visitor's number), ``text``, and the gateway's ``id`` if it sends one."""
    if not isinstance(data, dict):
        return Inbound("sms", IGNORE)
    sender = data.get("from") or data.get("phone") or data.get("sender")
    text = data.get("text") or data.get("message") or data.get("body")
    ident = data.get("id") or data.get("message_id")
    uid = str(ident)[:128] if isinstance(ident, int | str) and str(ident) else None
    if not isinstance(sender, str) or not isinstance(text, str):
        return Inbound("sms", IGNORE, uid)
    phone = sms_sender(sender)
    if phone is None:
        return Inbound("sms", IGNORE, uid)
    return Inbound("sms", "reply", uid, phone, action=reply_word(text))


def sms_sender(raw: str) -> str | None:
    """The sender as we store phones (E.164); gateways send "380501112233" or "+380501112233"."""
    from reception.kernel.errors import ValidationFailed
    from reception.kernel.phones import normalise_phone

    text = raw.strip()
    if text.isdigit() and len(text) > 10:
        text = "+" + text
    try:
        return normalise_phone(text)
    except ValidationFailed:
        return None
