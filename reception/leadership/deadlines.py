"""Deadlines of an appeal (Law "On Citizens' Appeals", Art. 20) — pure date arithmetic.

- no study needed: without delay, no later than 15 days from receipt;
- otherwise: within one month (calendar month; the 31st clamps to the month's last day);
- extension by the head, with the reason, the applicant told: up to 45 days in total.

Days are calendar days counted from the date of receipt (the reception date); the law does
not move a deadline off a weekend, so neither does this.  Overdue means: still on control
and the effective deadline has passed by the office-local ``today`` (from the injected clock).
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from reception.kernel.errors import ValidationFailed

QUICK_DAYS = 15
MAX_TOTAL_DAYS = 45


def add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def base_deadline(received: date, needs_study: bool) -> date:
    return add_months(received, 1) if needs_study else received + timedelta(days=QUICK_DAYS)


def latest_extension(received: date) -> date:
    return received + timedelta(days=MAX_TOTAL_DAYS)


def check_extension(received: date, current_due: date, new_due: date, reason: str, applicant_informed: bool) -> date:
    """``new_due`` if the extension is lawful; raises ValidationFailed with the reason otherwise."""
    if not reason.strip():
        raise ValidationFailed("error.extension_reason")
    if not applicant_informed:
        raise ValidationFailed("error.extension_not_informed")
    if new_due <= current_due:
        raise ValidationFailed("error.extension_not_later", due=current_due)
    limit = latest_extension(received)
    if new_due > limit:
        raise ValidationFailed("error.extension_beyond_45", limit=limit)
    return new_due


def check_set_deadline(received: date, base: date, wanted: date) -> date:
    """A deadline set at registration: not before receipt, not past the law's term (a later one is an
    extension, with its reason and the applicant told), never beyond 45 days."""
    if wanted < received:
        raise ValidationFailed("error.deadline_before_receipt", date=received)
    limit = latest_extension(received)
    if wanted > limit:
        raise ValidationFailed("error.extension_beyond_45", limit=limit)
    if wanted > base:
        raise ValidationFailed("error.deadline_needs_extension", due=base)
    return wanted


def effective_deadline(due: date, extended_to: date | None) -> date:
    return extended_to or due


def is_overdue(due: date, extended_to: date | None, removed_from_control: date | None, today: date) -> bool:
    return removed_from_control is None and effective_deadline(due, extended_to) < today


def days_left(due: date, extended_to: date | None, today: date) -> int:
    return (effective_deadline(due, extended_to) - today).days
