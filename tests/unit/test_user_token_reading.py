"""A staff token's signature is checked once per process; its age on every read (decision 026)."""

from __future__ import annotations

import time
from typing import Any

from itsdangerous import URLSafeTimedSerializer

from reception.accounts import auth
from reception.accounts.auth import USER_TOKEN_TTL_S, issue_user_token, read_user_token


def test_a_checked_signature_is_not_checked_again(monkeypatch: Any) -> None:
    token = issue_user_token("secret-one", 7, "hash")
    checks: list[str] = []
    real = URLSafeTimedSerializer.loads

    def counting(self: Any, *args: Any, **kwargs: Any) -> Any:
        checks.append("x")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(URLSafeTimedSerializer, "loads", counting)
    assert read_user_token("secret-one", token) == read_user_token("secret-one", token) == (7, auth.password_fingerprint("hash"))
    assert checks == ["x"]


def test_a_token_past_its_day_is_refused_though_its_signature_was_checked(monkeypatch: Any) -> None:
    token = issue_user_token("secret-two", 8, "hash")
    assert read_user_token("secret-two", token) is not None
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + USER_TOKEN_TTL_S + 2)
    assert read_user_token("secret-two", token) is None
    monkeypatch.setattr(time, "time", lambda: now - 5)  # a clock set back: a token "from the future"
    assert read_user_token("secret-two", token) is None


def test_another_secret_or_a_changed_letter_is_refused() -> None:
    token = issue_user_token("secret-three", 9, "hash")
    assert read_user_token("secret-three", token) is not None
    assert read_user_token("another-secret", token) is None
    payload, _, signature = token.rpartition(".")  # a letter of the signature's first bytes (the last
    changed = "A" if signature[0] != "A" else "B"  # letter's low bits are padding, which decoding drops)
    assert read_user_token("secret-three", f"{payload}.{changed}{signature[1:]}") is None


def test_the_memory_is_bounded(monkeypatch: Any) -> None:
    monkeypatch.setattr(auth, "CHECKED_MAX", 3)
    monkeypatch.setattr(auth, "_CHECKED", {})
    tokens = [issue_user_token("secret-four", uid, "hash") for uid in range(10)]
    assert [read_user_token("secret-four", t)[0] for t in tokens] == list(range(10))  # type: ignore[index]
    assert len(auth._CHECKED) <= 3
