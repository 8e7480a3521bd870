"""Sign-in (issue 11): atomic lockout per (username, address), rate limits, no account enumeration.

Runs on SQLite and, with RECEPTION_TEST_DATABASE_URL, on PostgreSQL (the concurrent case too).
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier
from typing import Any

import pytest

from reception.accounts import service as accounts
from reception.accounts.service import AccountLocked, authenticate
from reception.kernel.errors import Unauthorized
from tests.fakes import RecordingPrinter, add_user
from tests.web.desk.helpers import PASSWORD, csrf_from

STRANGER, OWNER = "203.0.113.9", "10.0.0.7"
NO_RATE_LIMIT = "10000 per minute"


def _token(client: Any, username: str, password: str, address: str = STRANGER) -> Any:
    return client.post("/api/v1/auth/token", json={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def _without_rate_limits(app: Any) -> None:
    """Tests of the lockout alone: the rate limits would otherwise answer first."""
    app.config["LOGIN_RATE_PER_ADDRESS"] = app.config["LOGIN_RATE_PER_ACCOUNT"] = NO_RATE_LIMIT


def test_concurrent_wrong_passwords_are_counted_before_any_is_verified(db, clock, office) -> None:
    """40 threads guess at once: only LOGIN_MAX_FAILURES of them get a password checked."""
    add_user(db, clock, "alice", ["operator"], ["T1"])
    threads, start = 40, Barrier(40)

    def guess(i: int) -> str:
        start.wait()
        try:
            authenticate(db, clock, "alice", f"wrong-{i}", address=STRANGER, max_failures=5, lock_minutes=15)
        except AccountLocked:
            return "locked"
        except Unauthorized:
            return "wrong"
        return "in"

    with ThreadPoolExecutor(threads) as pool:
        outcomes = list(pool.map(guess, range(threads)))
    assert outcomes.count("wrong") == 5 and outcomes.count("locked") == 35
    with pytest.raises(AccountLocked):  # the right password too, from that address, until the lock ends
        authenticate(db, clock, "alice", PASSWORD, address=STRANGER)
    clock.advance(minutes=16)
    assert authenticate(db, clock, "alice", PASSWORD, address=STRANGER).username == "alice"


def test_concurrent_guesses_through_the_api(app, db, clock, office) -> None:
    _without_rate_limits(app)
    add_user(db, clock, "alice", ["operator"], ["T1"])
    start = Barrier(20)

    def guess(i: int) -> int:
        client = app.test_client()
        start.wait()
        return _token(client, "alice", f"wrong-{i}").status_code

    with ThreadPoolExecutor(20) as pool:
        statuses = list(pool.map(guess, range(20)))
    assert statuses.count(401) == app.config["LOGIN_MAX_FAILURES"] and statuses.count(429) == 15


def test_a_stranger_does_not_lock_the_owner_out(app, client, db, clock, office) -> None:
    _without_rate_limits(app)
    add_user(db, clock, "alice", ["operator"], ["T1"])
    for i in range(5):
        assert _token(client, "alice", f"guess-{i}").status_code == 401
    assert _token(client, "alice", PASSWORD).status_code == 429  # the stranger's address is locked
    assert _token(client, "alice", PASSWORD, address=OWNER).status_code == 200


def _count_password_checks(monkeypatch: Any) -> list[str]:
    """The passwords argon2 checks from now on, in order."""
    checked: list[str] = []
    real_verify = accounts.verify_password

    def verify(password_hash: str, password: str) -> bool:
        checked.append(password)
        return real_verify(password_hash, password)

    monkeypatch.setattr(accounts, "verify_password", verify)
    return checked


def test_unknown_names_get_the_same_answers_and_the_same_work(app, client, db, clock, office, monkeypatch) -> None:
    _without_rate_limits(app)
    add_user(db, clock, "alice", ["operator"], ["T1"])
    verified = _count_password_checks(monkeypatch)

    def answers(username: str) -> list[tuple[int, Any]]:
        return [(r.status_code, r.get_json()) for r in (_token(client, username, "wrong") for _ in range(6))]

    known, unknown = answers("alice"), answers("nobody")
    assert known == unknown
    assert [status for status, _ in known] == [401] * 5 + [429]
    assert known[-1][1]["code"] == "locked"
    assert len(verified) == 10  # five argon2 checks each: a dummy hash for the unknown name


def test_guesses_per_address_are_rate_limited_across_accounts(app, client, db, clock, office) -> None:
    app.config["LOGIN_RATE_PER_ADDRESS"] = "8 per minute"
    statuses = [_token(client, f"user{i}", "wrong").status_code for i in range(9)]
    assert statuses == [401] * 8 + [429]
    r = _token(client, "someone", "wrong")
    assert r.status_code == 429 and r.get_json()["code"] == "too_many_attempts"
    assert _token(client, "someone", "wrong", address=OWNER).status_code == 401  # another address is not limited


def test_account_failures_bound_the_addresses_that_failed_and_never_a_clean_one(app, client, db, clock, office,
                                                                                monkeypatch) -> None:
    """LOGIN_RATE_PER_ACCOUNT counts failures only; once over, an address that has failed for the
    account is refused before its password is checked, a clean one still gets one check (decision 030)."""
    app.config["LOGIN_RATE_PER_ACCOUNT"] = "3 per minute"
    app.config["LOGIN_MAX_FAILURES"] = 100  # the lockout per address out of the way
    add_user(db, clock, "alice", ["operator"], ["T1"])
    checked = _count_password_checks(monkeypatch)
    first = [_token(client, "alice", f"guess-{i}").status_code for i in range(10)]
    assert first == [401] * 3 + [429] * 7
    assert _token(client, "alice", "guess", address="198.51.100.1").status_code == 401  # clean: checked, failed
    assert _token(client, "alice", "guess", address="198.51.100.1").status_code == 429  # now it has failed
    owner = _token(client, "alice", PASSWORD, address=OWNER)
    assert owner.status_code == 200
    assert len(checked) == 3 + 1 + 1, "ten guesses and two got their passwords checked three, one and the owner"
    assert _token(client, "bob", "wrong", address=STRANGER).status_code == 401  # another account is not limited


def test_a_stranger_guessing_from_two_addresses_never_keeps_the_owner_out(app, client, db, clock, office) -> None:
    """One wrong password every round from each of two addresses, the owner signing in from a third
    between them: under the default limits the owner gets in every time, the stranger is stopped."""
    add_user(db, clock, "alice", ["operator"], ["T1"])
    strangers, owner, stranger_answers = ("203.0.113.9", "203.0.113.10"), [], []
    for i in range(8):
        for address in strangers:
            stranger_answers.append(_token(client, "alice", f"guess-{i}", address=address).status_code)
        owner.append(_token(client, "alice", PASSWORD, address=OWNER).status_code)
    assert owner == [200] * 8
    assert 200 not in stranger_answers and stranger_answers[-2:] == [429, 429]


def test_the_login_page_keeps_the_same_account_rule(app, client, db, clock, office) -> None:
    app.config["LOGIN_RATE_PER_ACCOUNT"] = "2 per minute"
    add_user(db, clock, "alice", ["operator"], ["T1"])

    def login(password: str, address: str) -> Any:
        token = csrf_from(client.get("/login").get_data(as_text=True))
        return client.post("/login", data={"username": "alice", "password": password, "csrf_token": token},
                           environ_base={"REMOTE_ADDR": address})

    assert _token(client, "alice", "wrong").status_code == 401  # the API and the page count together
    assert login("wrong", STRANGER).status_code == 400
    refused = login(PASSWORD, STRANGER)
    assert refused.status_code == 400 and "Забагато спроб входу" in refused.get_data(as_text=True)
    assert login(PASSWORD, OWNER).status_code == 302


def test_login_page_honours_the_configured_lockout_and_shares_it_with_the_api(app, client, db, clock, office) -> None:
    _without_rate_limits(app)
    app.config["LOGIN_MAX_FAILURES"], app.config["LOGIN_LOCK_MINUTES"] = 2, 3
    add_user(db, clock, "alice", ["operator"], ["T1"])

    def login(password: str) -> Any:
        token = csrf_from(client.get("/login").get_data(as_text=True))
        return client.post("/login", data={"username": "alice", "password": password, "csrf_token": token},
                           environ_base={"REMOTE_ADDR": STRANGER})

    assert login("wrong").status_code == 400
    assert _token(client, "alice", "wrong").status_code == 401  # the second failure, through the API
    page = login(PASSWORD)
    assert page.status_code == 400 and "Спробуйте знову через 3 хв." in page.get_data(as_text=True)
    clock.advance(minutes=4)
    assert login(PASSWORD).status_code == 302


def test_login_page_rate_limit_answers_in_ukrainian(app, client, db, clock, office) -> None:
    app.config["LOGIN_RATE_PER_ADDRESS"] = "2 per minute"
    token = csrf_from(client.get("/login").get_data(as_text=True))
    for expected in (400, 400, 400):
        page = client.post("/login", data={"username": "x", "password": "y", "csrf_token": token})
        assert page.status_code == expected
    assert "Забагато спроб входу" in page.get_data(as_text=True)


@pytest.mark.skipif(not os.environ.get("RECEPTION_TEST_REDIS_URL"), reason="needs RECEPTION_TEST_REDIS_URL")
def test_rate_limits_can_live_in_redis(db_url, clock, office) -> None:
    """Several workers share the counts through Redis (RECEPTION_REDIS_URL)."""
    import redis

    from reception.app import create_app

    url = os.environ["RECEPTION_TEST_REDIS_URL"]
    redis.Redis.from_url(url).flushdb()
    config = {"TESTING": True, "DATABASE_URL": db_url, "SECRET_KEY": "test-secret", "RATELIMIT_STORAGE_URI": url,
              "LOGIN_RATE_PER_ADDRESS": "3 per minute"}
    apps = [create_app(config, clock=clock, printer_factory=lambda _url: RecordingPrinter()) for _ in range(2)]
    statuses = [_token(apps[i % 2].test_client(), f"u{i}", "wrong").status_code for i in range(4)]
    assert statuses == [401, 401, 401, 429]
    for one in apps:
        one.extensions["reception"].db.dispose()


def test_a_forged_forwarded_for_does_not_escape_the_limits(app, client, db, clock, office) -> None:
    """Without RECEPTION_PROXY_HOPS the header is the client's own text and is ignored."""
    app.config["LOGIN_RATE_PER_ADDRESS"] = "2 per minute"
    statuses = [client.post("/api/v1/auth/token", json={"username": f"u{i}", "password": "x"},
                            headers={"X-Forwarded-For": f"192.0.2.{i}"}).status_code for i in range(3)]
    assert statuses == [401, 401, 429]


def test_behind_a_trusted_proxy_the_forwarded_address_counts(db_url, clock, office) -> None:
    from reception.app import create_app

    app = create_app({"TESTING": True, "DATABASE_URL": db_url, "SECRET_KEY": "t", "PROXY_HOPS": 1,
                      "LOGIN_RATE_PER_ADDRESS": "2 per minute"}, clock=clock, printer_factory=lambda _url: RecordingPrinter())
    client = app.test_client()

    def attempt(address: str) -> int:
        return client.post("/api/v1/auth/token", json={"username": "u", "password": "x"},
                           headers={"X-Forwarded-For": address}).status_code

    assert [attempt(STRANGER) for _ in range(3)] == [401, 401, 429]
    assert attempt(OWNER) == 401  # another client behind the same proxy
    app.extensions["reception"].db.dispose()


def test_counters_of_guessed_names_do_not_pile_up(db, clock, office) -> None:
    from sqlalchemy import func, select

    from reception.accounts.models import LoginThrottle

    add_user(db, clock, "alice", ["operator"], ["T1"])
    for name in ("ghost1", "ghost2", "alice"):
        with pytest.raises(Unauthorized):
            authenticate(db, clock, name, "wrong", address=STRANGER)
    clock.advance(days=2)
    authenticate(db, clock, "alice", PASSWORD, address=OWNER)
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(LoginThrottle)) == 0
