"""Who is acting: users (roles, offices, hashed passwords, signed API tokens) and devices.

Passwords are hashed with argon2id.  Device tokens are random and only their SHA-256 is
stored, so a leaked database does not pair a rogue kiosk.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
import time

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

# RFC 9106's second recommendation (argon2id, 64 MiB, three passes): argon2-cffi's default, named
# so that a test can hold it to that.

# RFC 9106's second recommendation (argon2id, 64 MiB, three passes): argon2-cffi's default, named
# so that a test can hold it to that.
PASSWORD_PARAMETERS = profiles.RFC_9106_LOW_MEMORY
_hasher = PasswordHasher.from_parameters(PASSWORD_PARAMETERS)

USER_TOKEN_TTL_S = 12 * 3600  # one working day


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def new_device_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_public_token() -> str:
    """Unguessable token behind the ticket's QR code (the phone status page)."""
    return secrets.token_urlsafe(16)


@functools.lru_cache(maxsize=8)
def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt="reception-api-token")


def password_fingerprint(password_hash: str, generation: int = 0) -> str:
    """What a token is bound to: the password (a change revokes every token) and the account's token
    generation (moved by a disable or a password change, so a re-enable revives no token)."""
    return hashlib.sha256(f"{generation}:{password_hash}".encode()).hexdigest()[:16]


def issue_user_token(secret_key: str, user_id: int, password_hash: str, generation: int = 0) -> str:
    return _serializer(secret_key).dumps({"uid": user_id, "pf": password_fingerprint(password_hash, generation)})


# Tokens whose signature this process has checked: (secret, token) -> (user id, fingerprint, signed at).
# A signature is a pure function of the secret and the text, so a checked one needs no second check;
# the age is checked on every read, and whether the token still holds (password, generation, disable)
# is the database's answer on every request (reception.accounts.credentials). Only signed tokens get
# in, which only this secret can make: a cap and a clear keep the memory bounded.
_CHECKED: dict[tuple[str, str], tuple[int, str, float]] = {}
CHECKED_MAX = 4096


def read_user_token(secret_key: str, token: str) -> tuple[int, str] | None:
    """(user id, credentials fingerprint) of a valid unexpired token, else None."""
    checked = _CHECKED.get((secret_key, token))
    if checked is None:
        try:
            data, signed = _serializer(secret_key).loads(token, max_age=USER_TOKEN_TTL_S, return_timestamp=True)
        except (BadSignature, SignatureExpired):
            return None
        if not isinstance(data, dict) or not isinstance(data.get("uid"), int):
            return None
        if len(_CHECKED) >= CHECKED_MAX:
            _CHECKED.clear()
        checked = _CHECKED[(secret_key, token)] = (data["uid"], str(data.get("pf", "")), signed.timestamp())
    user_id, fingerprint, signed_at = checked
    # As itsdangerous counts a token's age (whole seconds; none from the future).
    return (user_id, fingerprint) if 0 <= int(time.time()) - signed_at <= USER_TOKEN_TTL_S else None


def token_matches_password(fingerprint: str, password_hash: str, generation: int = 0) -> bool:
    return secrets.compare_digest(fingerprint, password_fingerprint(password_hash, generation))
