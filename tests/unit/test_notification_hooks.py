"""The providers' updates read into one shape, and their proofs (pure)."""

from __future__ import annotations

import pytest

from reception.notifications import hooks


@pytest.mark.parametrize("text, action", [
    ("ПІЗНО", "late"), ("пізно!", "late"), (" Late ", "late"), ("СКАСУВАТИ", "cancel"), ("cancel.", "cancel"),
    ("СТОП", "stop"), ("stop", "stop"), ("CTOП", "stop"), ("стоп будь ласка", "stop"), ("ok", "ack"),
    ("привіт", None), ("", None), (None, None)])
def test_reply_words(text, action) -> None:
    assert hooks.reply_word(text) == action


def test_secrets_compare_and_an_unset_secret_matches_nothing() -> None:
    assert hooks.secret_matches("abc", "abc")
    assert not hooks.secret_matches("abd", "abc") and not hooks.secret_matches(None, "abc")
    assert not hooks.secret_matches("", "") and not hooks.secret_matches("x", None)


def test_viber_signature_is_hmac_sha256_of_the_body() -> None:
    body = b'{"event":"webhook","timestamp":1457764197627,"message_token":241256543215}'
    # Computed independently: HMAC-SHA256(key="token", body), hex.
    import hashlib
    import hmac

    expected = hmac.new(b"token", body, hashlib.sha256).hexdigest()
    assert hooks.viber_signature_matches(body, expected, "token")
    assert hooks.viber_signature_matches(body, expected.upper(), "token")
    assert not hooks.viber_signature_matches(body + b" ", expected, "token")
    assert not hooks.viber_signature_matches(body, expected, None)


def test_telegram_updates() -> None:
    bind = hooks.telegram({"update_id": 7, "message": {"chat": {"id": 5}, "from": {"language_code": "en"},
                                                       "text": "/start abc_DEF-1"}})
    assert (bind.kind, bind.update_id, bind.address, bind.payload, bind.lang) == ("bind", "7", "5", "abc_DEF-1", "en")
    assert hooks.telegram({"update_id": 8, "message": {"chat": {"id": 5}, "text": "/start"}}).kind == "welcome"
    cb = hooks.telegram({"update_id": 9, "callback_query": {"id": "q", "from": {"id": 5}, "data": "cancel:12",
                                                           "message": {"chat": {"id": 5}}}})
    assert (cb.kind, cb.action, cb.subscription_id, cb.callback_id) == ("reply", "cancel", 12, "q")
    assert hooks.telegram({"update_id": 10, "callback_query": {"from": {"id": 5}, "data": "drop table"}}).action is None
    junk: object
    for junk in (None, [], "x", {"update_id": "1"}, {"update_id": 1, "message": {"chat": {"id": "5"}, "text": 1}}):
        assert hooks.telegram(junk).kind == hooks.IGNORE


def test_viber_events() -> None:
    bind = hooks.viber({"event": "conversation_started", "message_token": 1, "context": "tok",
                        "user": {"id": "u=", "language": "uk"}})
    assert (bind.kind, bind.address, bind.payload, bind.update_id) == ("bind", "u=", "tok", "1")
    msg = hooks.viber({"event": "message", "message_token": 2, "sender": {"id": "u="},
                       "message": {"type": "text", "text": "late:4"}})
    assert (msg.action, msg.subscription_id) == ("late", 4)
    assert hooks.viber({"event": "unsubscribed", "user_id": "u="}).kind == "unsubscribed"
    assert hooks.viber({"event": "webhook"}).kind == hooks.IGNORE
    assert hooks.viber({"event": "message", "sender": {}, "message": {}}).kind == hooks.IGNORE


def test_sms_sender_as_e164() -> None:
    assert hooks.sms({"from": "380501112233", "text": "STOP", "id": 5}).address == "+380501112233"
    assert hooks.sms({"from": "+380501112233", "text": "стоп"}).action == "stop"
    assert hooks.sms({"from": "hello", "text": "стоп"}).kind == hooks.IGNORE
    assert hooks.sms({"text": "стоп"}).kind == hooks.IGNORE
