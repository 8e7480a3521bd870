"""Rate limits of the public booking API: per address, and per phone or e-mail (decision 044).

RECEPTION_PUBLIC_BOOKING_RATE counts every request that asks for, confirms or cancels a booking, from
one address and for one phone or e-mail address (a visitor cannot have codes sent to a stranger's phone
faster than the rule, from however many addresses). Reads of free slots have a looser limit of their own.
"""

from __future__ import annotations

from flask import current_app

from reception.http.limits import take
from reception.http.security import client_address
from reception.kernel.errors import DomainError

READ_RATE = "120 per minute"


class TooManyRequests(DomainError):
    status = 429
    key = "error.too_many_requests"


def _hit(rate: str, *key: str) -> None:
    if not take(rate, "public-booking", *key):
        raise TooManyRequests()


def take_public_try(contact: str | None = None) -> None:
    """Count one writing request of this address (and of ``contact``); TooManyRequests when over."""
    rate = str(current_app.config.get("PUBLIC_BOOKING_RATE") or "10 per hour")
    _hit(rate, "address", client_address())
    if contact:
        _hit(rate, "contact", "".join(ch for ch in contact.lower() if ch.isalnum() or ch in "@.+"))


def take_public_read() -> None:
    _hit(READ_RATE, "read", client_address())
