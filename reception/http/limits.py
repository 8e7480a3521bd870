"""Rate limits (the ``limits`` library, moving windows): sign-in guesses, pairing codes, tickets per kiosk.

Storage is in memory for one process (:class:`SweptMemoryStorage`), Redis (RECEPTION_REDIS_URL)
when several workers must share the counts, through :class:`RedisWithFallback`: while Redis is away
the counts go on in this process's memory and go back to Redis within a second of its return
(docs/decisions/030-sign-in-limits-and-degrading.md). One counter per app (the factory runs once per
test), kept in ``app.extensions["reception_limiter"]``.

Every limit is a direct count where its rule is checked; nothing runs on the requests no rule names.
Flask-Limiter's middleware was dropped for that (decision 026): with no default limits it still
resolved and evaluated the limits of every request before and after its view, about a twentieth of
a call-next's shell.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from flask import Flask, current_app, request
from limits import RateLimitItem
from limits import parse_many as _parse_many
from limits.storage import MemoryStorage, MovingWindowSupport, RedisStorage, Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter, RateLimiter
from redis.backoff import NoBackoff
from redis.retry import Retry

from reception.http.security import client_address
from reception.kernel.errors import DomainError

log = logging.getLogger(__name__)

EXTENSION = "reception_limiter"
# What a kiosk prints a ticket with: one limit per device across both.
KIOSK_TICKET_RULES = ("/api/v1/kiosk/tickets", "/api/v1/kiosk/checkin")


class TooManyAttempts(DomainError):
    """Sign-in attempts over the rate limit; the same answer whether or not the account exists."""

    status = 429
    key = "error.too_many_attempts"


class SweptMemoryStorage(MemoryStorage):
    """``memory://`` whose housekeeping sweep runs at most once a second.

    limits' MemoryStorage starts a new timer thread on nearly every hit (10 ms after its last sweep
    ended): a thread start per kiosk ticket. A hit reads its own entries' timestamps, so the sweep
    only frees memory and once a second is plenty (decision 026).
    """

    SCHEME = "reception-memory"
    STORAGE_SCHEME = [SCHEME]
    SWEEP_S = 1.0

    def _MemoryStorage__schedule_expiry(self) -> None:  # the base class's private hook, called on every hit
        if not self.timer.is_alive():
            self.timer = threading.Timer(self.SWEEP_S, self._MemoryStorage__expire_events)  # type: ignore[attr-defined]
            self.timer.daemon = True
            self.timer.start()


class RedisWithFallback(Storage, MovingWindowSupport):
    """Redis for the counts, this process's memory while Redis does not answer.

    ``reception+redis://host:port/db`` (the Redis URL behind the prefix). A failed call marks Redis
    down and is answered from memory; while down, one caller at a time asks Redis again at most once
    per ``PROBE_S`` (the rest go on from memory), so the limits are back in Redis within about a
    second of its return. Short socket timeouts: a Redis that hangs costs a request half a second,
    not the kiosk's whole patience. Flask-Limiter's own ``in_memory_fallback`` is not used: it guards
    only its decorators (not the direct counts of sign-in and pairing) and re-tries Redis after
    2, 4, … 32 s.
    """

    PREFIX = "reception+"
    STORAGE_SCHEME = [PREFIX + "redis", PREFIX + "rediss"]
    PROBE_S = 1.0
    TIMEOUT_S = 0.5

    def __init__(self, uri: str, **options: Any) -> None:
        super().__init__(uri)
        # No retries inside redis-py: a Redis that does not answer costs one timeout, then memory answers.
        client: dict[str, Any] = {"socket_connect_timeout": self.TIMEOUT_S, "socket_timeout": self.TIMEOUT_S,
                                  "retry": Retry(NoBackoff(), 0), **options}
        self.redis = RedisStorage(uri.removeprefix(self.PREFIX), **client)
        self.memory = SweptMemoryStorage()
        self._down = False
        self._next_probe = 0.0
        self._probing = threading.Lock()

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        return self.memory.base_exceptions  # Redis's own never leave this class

    def _backend(self) -> Storage:
        if self._down and time.monotonic() >= self._next_probe and self._probing.acquire(blocking=False):
            try:
                self._next_probe = time.monotonic() + self.PROBE_S
                if self.redis.check():
                    self._down = False
                    log.warning("rate limits: Redis answers again; the counts are shared again")
            finally:
                self._probing.release()
        return self.memory if self._down else self.redis

    def _call(self, name: str, *args: Any) -> Any:
        backend = self._backend()
        if backend is self.redis:
            try:
                return getattr(self.redis, name)(*args)
            except self.redis.base_exceptions:
                if not self._down:
                    log.warning("rate limits: Redis does not answer; counting in this process until it does")
                self._down, self._next_probe = True, time.monotonic() + self.PROBE_S
        return getattr(self.memory, name)(*args)

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        return int(self._call("incr", key, expiry, amount))

    def get(self, key: str) -> int:
        return int(self._call("get", key))

    def get_expiry(self, key: str) -> float:
        return float(self._call("get_expiry", key))

    def check(self) -> bool:
        return True  # this storage always answers: from Redis, or else from memory

    def reset(self) -> int | None:
        self.memory.reset()
        return cast(int | None, self._call("reset"))

    def clear(self, key: str) -> None:
        self.memory.clear(key)  # a count kept here during an outage goes too
        self._call("clear", key)

    def acquire_entry(self, key: str, limit: int, expiry: int, amount: int = 1) -> bool:
        return bool(self._call("acquire_entry", key, limit, expiry, amount))

    def get_moving_window(self, key: str, limit: int, expiry: int) -> tuple[float, int]:
        return cast(tuple[float, int], self._call("get_moving_window", key, limit, expiry))


def storage_uri(cfg: Any) -> str:
    """RATELIMIT_STORAGE_URI, else REDIS_URL, else this process's memory; Redis always with the fallback."""
    uri = str(cfg.get("RATELIMIT_STORAGE_URI") or cfg.get("REDIS_URL") or f"{SweptMemoryStorage.SCHEME}://")
    return RedisWithFallback.PREFIX + uri if uri.startswith(("redis://", "rediss://")) else uri


@functools.cache
def parse_many(rule: str) -> tuple[RateLimitItem, ...]:
    """A rule's items (``30 per minute; 300 per hour``), parsed once per rule text."""
    return tuple(_parse_many(rule))


def init_app(app: Flask) -> RateLimiter:
    counts = MovingWindowRateLimiter(storage_from_string(storage_uri(app.config)))
    app.extensions[EXTENSION] = counts
    _limit_kiosk_tickets(app)
    return counts


def _counts() -> RateLimiter:
    return cast(RateLimiter, current_app.extensions[EXTENSION])


def take(rule: str, *key: str) -> bool:
    """Count one hit of ``key`` against each item of ``rule`` (atomic, shared by the processes); False
    as soon as one is over (the items after it are not counted)."""
    counts = _counts()
    return all(counts.hit(item, *key) for item in parse_many(rule))


# --- sign-in -------------------------------------------------------------------------------------
# Per address: every attempt, counted before the password is checked (an address cannot guess faster
# than the rule, concurrently or not). Per account: only failures, and only against addresses that
# have already failed for that account; a clean address always gets its password checked, so a
# stranger's guesses can never keep the owner out (decision 030).

USERNAME_KEY_MAX = 64  # the lockout's own bound on the typed name (accounts.service.USERNAME_MAX)


@dataclass(frozen=True)
class SignInAttempt:
    address: str
    username: str
    prepaid: bool  # its account failure was counted before the check (the address had failed before)


def begin_sign_in(address: str, username: str) -> SignInAttempt:
    """Count one attempt; TooManyAttempts when this address, or this account for this address, is over."""
    cfg, counts = current_app.config, _counts()
    name = username[:USERNAME_KEY_MAX]
    for item in parse_many(cfg["LOGIN_RATE_PER_ADDRESS"]):
        if not counts.hit(item, "sign-in", "address", address):
            raise TooManyAttempts()
    per_account = parse_many(cfg["LOGIN_RATE_PER_ACCOUNT"])
    failed_here = any(counts.get_window_stats(item, "sign-in", "failed-from", name, address).remaining < item.amount
                      for item in per_account)
    if failed_here:
        # Counted as a failure up front: concurrent guesses from this address cannot all slip past.
        for item in per_account:
            if not counts.hit(item, "sign-in", "account-failures", name):
                raise TooManyAttempts()
    return SignInAttempt(address, name, prepaid=failed_here)


def sign_in_failed(attempt: SignInAttempt) -> None:
    """A wrong password (or unknown name): one more failure for the account, and this address marked."""
    counts = _counts()
    for item in parse_many(current_app.config["LOGIN_RATE_PER_ACCOUNT"]):
        if not attempt.prepaid:
            counts.hit(item, "sign-in", "account-failures", attempt.username)
        counts.hit(item, "sign-in", "failed-from", attempt.username, attempt.address)


# --- pairing codes -------------------------------------------------------------------------------

PAIRING_RATE = "5 per 10 minutes"  # tries per address: six digits resist guessing only when tries are few


def take_pairing_try(address: str) -> bool:
    """Count one pairing try before its code is checked (atomic, shared by the processes); False when over."""
    return take(PAIRING_RATE, "pairing", address)


def pairing_succeeded(address: str) -> None:
    """A right code gives this address its tries back (a typo or two before it should not count later)."""
    for item in parse_many(PAIRING_RATE):
        _counts().clear(item, "pairing", address)


# --- kiosk tickets --------------------------------------------------------------------------------


def _device_key() -> str:
    """The bearer token's digest: one bucket per paired kiosk (anonymous callers are refused anyway)."""
    from reception.accounts.auth import token_digest

    header = request.headers.get("Authorization", "")
    return "kiosk:" + token_digest(header[7:].strip()) if header.lower().startswith("bearer ") else client_address()


def _problem(key: str) -> Any:
    from reception.http.problems import problem

    return problem(429, key)


def _limit_kiosk_tickets(app: Flask) -> None:
    """Wrap the ticket views where they are registered: counted by device before anything else, one
    bucket for both routes; over the limit, nothing is issued."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def limited(*args: Any, **kwargs: Any) -> Any:
            if not take(current_app.config["KIOSK_TICKET_RATE"], "kiosk-tickets", _device_key()):
                return _problem("error.too_many_tickets")
            return view(*args, **kwargs)

        return limited

    endpoints = {r.endpoint for r in app.url_map.iter_rules() if r.rule in KIOSK_TICKET_RULES and "POST" in (r.methods or ())}
    for endpoint in endpoints:
        app.view_functions[endpoint] = decorate(app.view_functions[endpoint])


# --- the visitor's SMS and e-mail subscriptions ----------------------------------------------------
# A phone page could send messages to any number or address: a few per ticket, a ceiling per office
# (decision 038). Counted before the address is checked, shared by the processes.

SUBSCRIBE_RATE_PER_TICKET = "5 per hour"
SUBSCRIBE_RATE_PER_OFFICE = "300 per hour"


def take_subscription_try(ticket_key: str, office_key: str) -> bool:
    """Count one SMS or e-mail subscription of this ticket and office; False when either is over."""
    return (take(SUBSCRIBE_RATE_PER_TICKET, "subscribe", "ticket", ticket_key)
            and take(SUBSCRIBE_RATE_PER_OFFICE, "subscribe", "office", office_key))
