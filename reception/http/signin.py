"""The one staff sign-in, used by the /login page and by POST /api/v1/auth/token."""

from __future__ import annotations

from flask import current_app

from reception.accounts.models import User
from reception.accounts.service import authenticate
from reception.http.limits import begin_sign_in, sign_in_failed
from reception.http.security import client_address
from reception.http.wiring import wiring
from reception.kernel.errors import Unauthorized


def sign_in(username: str, password: str) -> User:
    """The user for these credentials.

    Raises TooManyAttempts (this address's attempts, or this account's failures once this address
    has failed for it: decision 030), AccountLocked (LOGIN_MAX_FAILURES wrong passwords from this
    address lock this name for LOGIN_LOCK_MINUTES) or Unauthorized; each answer is the same for
    names that do not exist.
    """
    address = client_address()
    attempt = begin_sign_in(address, username)
    cfg, w = current_app.config, wiring()
    try:
        return authenticate(w.db, w.clock, username, password, address=address,
                            max_failures=cfg["LOGIN_MAX_FAILURES"], lock_minutes=cfg["LOGIN_LOCK_MINUTES"])
    except Unauthorized:
        sign_in_failed(attempt)
        raise
