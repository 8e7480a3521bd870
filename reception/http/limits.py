"""Rate limits (Flask-Limiter): sign-in guesses per address and per account, tickets per kiosk.

Storage is in memory for one process (:class:`SweptMemoryStorage`), Redis (RECEPTION_REDIS_URL)
when several workers must share the counts. One Limiter per app (the factory runs once per test), kept in
``app.extensions["reception_limiter"]``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app, request
from flask_limiter import Limiter, RateLimitExceeded, RequestLimit
from limits import parse_many
from limits.storage import MemoryStorage

from ..errors import DomainError
from .security import client_address

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


def init_app(app: Flask) -> Limiter:
    cfg = app.config
    limiter = Limiter(
        key_func=client_address,
        app=app,
        storage_uri=cfg.get("RATELIMIT_STORAGE_URI") or cfg.get("REDIS_URL") or f"{SweptMemoryStorage.SCHEME}://",
        strategy="moving-window",
        key_prefix="reception",
        headers_enabled=False,
    )
    app.extensions[EXTENSION] = limiter
    app.register_error_handler(RateLimitExceeded, _rate_limited)
    _limit_kiosk_tickets(app, limiter)
    return limiter


def _limiter() -> Limiter:
    return current_app.extensions[EXTENSION]


def check_sign_in_rate(address: str, username: str) -> None:
    """Count one sign-in attempt per client address and per typed username; TooManyAttempts when over."""
    cfg = current_app.config
    for scope, key, rule in (("address", address, cfg["LOGIN_RATE_PER_ADDRESS"]),
                             ("account", username, cfg["LOGIN_RATE_PER_ACCOUNT"])):
        for item in parse_many(rule):
            if not _limiter().limiter.hit(item, "sign-in", scope, key):
                raise TooManyAttempts()


# --- kiosk tickets --------------------------------------------------------------------------------


def _device_key() -> str:
    """The bearer token's digest: one bucket per paired kiosk (anonymous callers are refused anyway)."""
    from ..accounts.auth import token_digest

    header = request.headers.get("Authorization", "")
    return "kiosk:" + token_digest(header[7:].strip()) if header.lower().startswith("bearer ") else client_address()


def _problem(key: str) -> Any:
    from .problems import problem

    return problem(429, key)


def _too_many_tickets(_limit: RequestLimit) -> Any:
    return _problem("error.too_many_tickets")


def _limit_kiosk_tickets(app: Flask, limiter: Limiter) -> None:
    """Wrap the ticket views where they are registered: keyed by device, shared by both routes."""
    decorate: Callable[[Any], Any] = limiter.shared_limit(
        lambda: current_app.config["KIOSK_TICKET_RATE"], scope="kiosk-tickets", key_func=_device_key,
        on_breach=_too_many_tickets)
    endpoints = {r.endpoint for r in app.url_map.iter_rules() if r.rule in KIOSK_TICKET_RULES and "POST" in (r.methods or ())}
    for endpoint in endpoints:
        app.view_functions[endpoint] = decorate(app.view_functions[endpoint])


def _rate_limited(error: RateLimitExceeded) -> Any:
    """The breach's own answer (kiosk), else problem+json on the API and a plain page elsewhere."""
    if error.response is not None:
        return error.response
    if request.path.startswith("/api/"):
        return _problem("error.too_many_requests")
    return error
