"""Named domain errors. Each carries a message key (see reception.platform.i18n) and an HTTP status.

Services raise these; entrypoints translate them into problem+json or a flashed message in
the user's language.  Nothing here imports Flask.
"""

from __future__ import annotations

from typing import Any

from reception.platform.i18n import Text


class DomainError(Exception):
    status = 400
    key = "error.bad_request"  # the message key; without "error." it is the problem's machine ``code``
    detail_key: str | None = None  # a more specific message than ``key`` says, when there is one
    # An audit row (AuditLog's fields) the service layer keeps although the command was refused and
    # rolled back: refused attempts at accounts are themselves evidence (``administration``).
    audit: dict[str, Any] | None = None

    def __init__(self, key: str | None = None, **params: Any) -> None:
        if key:
            self.key = key
        self.params = params
        super().__init__(f"{self.key} {params}" if params else self.key)

    @property
    def message_key(self) -> str:
        """The key of the text people read (the machine code stays ``key``)."""
        return self.detail_key or self.key


class ValidationFailed(DomainError):
    status = 422
    key = "error.validation"

    @classmethod
    def because(cls, *reasons: Text) -> ValidationFailed:
        """Input refused for ``reasons``, each said in the reader's language when the answer is written
        (``error.input.*``: a field as the contract spells it, the rule it breaks). The code stays
        ``validation``; the problem document lists the reasons' keys and parameters for programs."""
        error = cls(reasons=tuple(reasons))
        error.detail_key = "error.validation_reasons"
        return error


class BadValue(ValueError):
    """A validator's refusal with the words for it: a message ``key`` (``error.input.*``) and its parameters.

    A ValueError, so pydantic reports it as a ``value_error`` (``bounds.describe_errors`` says it by the
    key, naming the field) and callers that catch ValueError still do."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key, self.params = key, params

    def text(self, name: str | None = None) -> Text:
        """The refusal as a text, naming the field ``name`` (as the contract spells it) when it has one."""
        return Text(self.key, {"name": name, **self.params} if name else dict(self.params))


class NotFound(DomainError):
    status = 404
    key = "error.not_found"


class Forbidden(DomainError):
    status = 403
    key = "error.forbidden"


class Unauthorized(DomainError):
    status = 401
    key = "error.unauthorized"


class Conflict(DomainError):
    """The request is well-formed but the current state refuses it."""

    status = 409
    key = "error.conflict"


class IllegalTransition(Conflict):
    key = "error.illegal_transition"


class OfficeClosed(Conflict):
    key = "error.office_closed"


class ServiceUnavailable(Conflict):
    key = "error.service_closed"


class DailyLimitReached(Conflict):
    key = "error.daily_limit"


class NobodyServes(Conflict):
    """No desk that serves the service is staffed now, and the office refuses such tickets
    (``OfficeSettings.refuse_unserved``; by default the ticket is issued with a warning)."""

    key = "error.nobody_serves"


class BookingRequired(Conflict):
    """A leadership service takes its visitors by booking code only (unless configured otherwise)."""

    key = "error.booking_required"


class OutcomeRequired(Conflict):
    """Next while a visitor is still at the desk: the visit needs its outcome (or a no-show) first."""

    key = "error.outcome_required"


class ConcurrentChange(Conflict):
    key = "error.concurrent_change"


class OfficeSuspended(DomainError):
    """The office is suspended (air-raid alert, blackout): 503 at the kiosk, 409 at a desk.

    The code is always ``office_suspended``; the words depend on the reason and on who reads
    them (a visitor at the kiosk, staff at a desk).
    """

    status = 503
    key = "error.office_suspended"

    def __init__(self, reason: str, *, audience: str = "visitor", status: int = 503) -> None:
        super().__init__(reason=reason)
        self.status = status
        self.detail_key = f"suspension.{audience}.{reason}"
