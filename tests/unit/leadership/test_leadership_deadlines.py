"""Deadlines of an appeal (15 days / one month / up to 45 days) and overdue detection, clock injected."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from reception.kernel.errors import ValidationFailed
from reception.leadership import codes, deadlines, indexes
from reception.offices.rules import office_day
from reception.platform.clock import FakeClock

RECEIVED = date(2026, 11, 2)


def test_fifteen_days_without_study_one_month_with() -> None:
    assert deadlines.base_deadline(RECEIVED, needs_study=False) == date(2026, 11, 17)
    assert deadlines.base_deadline(RECEIVED, needs_study=True) == date(2026, 12, 2)  # 30 days in November
    assert (deadlines.base_deadline(RECEIVED, True) - RECEIVED).days == 30
    assert deadlines.base_deadline(date(2027, 1, 31), True) == date(2027, 2, 28)  # month end clamps
    assert deadlines.latest_extension(RECEIVED) == date(2026, 12, 17)
    assert (deadlines.latest_extension(RECEIVED) - RECEIVED).days == 45


def test_extension_up_to_45_days_with_reason_and_applicant_told() -> None:
    due = deadlines.base_deadline(RECEIVED, True)
    assert deadlines.check_extension(RECEIVED, due, date(2026, 12, 17), "запит до архіву", True) == date(2026, 12, 17)
    assert deadlines.check_extension(RECEIVED, due, date(2026, 12, 10), "запит", True) == date(2026, 12, 10)


@pytest.mark.parametrize(("new_due", "reason", "told", "key"), [
    (date(2026, 12, 18), "запит", True, "error.extension_beyond_45"),
    (date(2026, 12, 10), "  ", True, "error.extension_reason"),
    (date(2026, 12, 10), "запит", False, "error.extension_not_informed"),
    (date(2026, 12, 1), "запит", True, "error.extension_not_later"),
])
def test_unlawful_extensions_are_refused(new_due: date, reason: str, told: bool, key: str) -> None:
    with pytest.raises(ValidationFailed) as err:
        deadlines.check_extension(RECEIVED, date(2026, 12, 2), new_due, reason, told)
    assert err.value.key == key


def test_overdue_with_injected_clock() -> None:
    clock = FakeClock(datetime(2026, 11, 17, 21, 30, tzinfo=UTC))  # 23:30 in Kyiv, still the 17th
    due = deadlines.base_deadline(RECEIVED, False)
    today = office_day(clock.now(), "Europe/Kyiv")
    assert not deadlines.is_overdue(due, None, None, today)
    clock.advance(minutes=31)  # 00:01 on the 18th in Kyiv (22:01 UTC on the 17th)
    today = office_day(clock.now(), "Europe/Kyiv")
    assert today == date(2026, 11, 18) and deadlines.is_overdue(due, None, None, today)
    assert not deadlines.is_overdue(due, date(2026, 11, 30), None, today)  # extended
    assert not deadlines.is_overdue(due, None, date(2026, 11, 16), today)  # removed from control
    assert deadlines.days_left(due, None, today) == -1


def test_booking_codes_are_unambiguous() -> None:
    assert not set("0O1IL") & set(codes.ALPHABET)
    for _ in range(200):
        code = codes.new_code()
        assert len(code) == 6 and set(code) <= set(codes.ALPHABET)
        assert codes.normalise(codes.display(code).lower()) == code
    # Typed on a Cyrillic keyboard (А В С Е Н К М Р Т Х look the same): still the code.
    assert codes.normalise("кмр-2а3") == "KMP2A3"
    assert codes.normalise("KMP-2A0") is None and codes.normalise("short") is None


def test_index_patterns() -> None:
    kw: dict[str, Any] = dict(seq=17, reg_date=date(2026, 11, 24), leader_name="Андрій Бондаренко", surname="Петренко",
              authorship="individual", kind="complaint")
    assert indexes.format_index("{leader_initials}-{seq}/{yy}", **kw) == "АБ-17/26"
    assert indexes.format_index("{surname_initial}-{seq}", **kw) == "П-17"
    assert indexes.format_index("{surname_initial}-{seq}", **(kw | {"authorship": "collective"})) == "К-17"
    assert indexes.format_index("{kind}{seq:04d}-{yyyy}", **kw) == "С0017-2026"
    for bad in ("{leader}-{seq}", "no-seq-{yy}", "{seq"):
        with pytest.raises(ValidationFailed):
            indexes.validate_pattern(bad)
