"""The journal's rules on their own: deadlines set at registration, the extension limit, the outcome of an
appeal, who registers which form, the phone key whatever way a number is written."""

from __future__ import annotations

from datetime import date

import pytest

from reception.appeals.stats import AppealRow, outcome
from reception.kernel.errors import Forbidden, ValidationFailed
from reception.kernel.identity import Actor
from reception.leadership import deadlines
from reception.leadership.models import phone_key
from reception.leadership.records import check_form_allowed

RECEIVED = date(2026, 11, 2)


def test_a_deadline_set_at_registration_may_be_earlier_never_later_nor_beyond_45_days() -> None:
    base = deadlines.base_deadline(RECEIVED, needs_study=False)  # 17.11
    assert deadlines.check_set_deadline(RECEIVED, base, date(2026, 11, 10)) == date(2026, 11, 10)
    assert deadlines.check_set_deadline(RECEIVED, base, RECEIVED) == RECEIVED  # answered the same day
    cases = [(date(2026, 11, 1), "error.deadline_before_receipt"),
             (date(2026, 11, 18), "error.deadline_needs_extension"),  # later than the law's term: an extension
             (date(2026, 12, 18), "error.extension_beyond_45")]
    for wanted, key in cases:
        with pytest.raises(ValidationFailed) as err:
            deadlines.check_set_deadline(RECEIVED, base, wanted)
        assert err.value.key == key


def test_an_extension_never_goes_past_45_days_in_total_even_in_steps() -> None:
    due = deadlines.base_deadline(RECEIVED, True)  # 02.12
    first = deadlines.check_extension(RECEIVED, due, date(2026, 12, 10), "запит до архіву", True)
    assert deadlines.check_extension(RECEIVED, first, date(2026, 12, 17), "ще запит", True) == date(2026, 12, 17)
    with pytest.raises(ValidationFailed) as err:
        deadlines.check_extension(RECEIVED, date(2026, 12, 17), date(2026, 12, 18), "ще", True)
    assert err.value.key == "error.extension_beyond_45"


def _row(**kw: object) -> AppealRow:
    values: dict[str, object] = dict(office_id=1, received=RECEIVED, form="phone", kind="complaint", topic="",
                                     is_consultation=False, answered_on_spot=False, is_repeat=False,
                                     due=date(2026, 11, 17), extended_to=None, removed=None)
    values.update(kw)
    return AppealRow(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(("row", "today", "expected"), [
    (_row(is_consultation=True, removed=RECEIVED), date(2026, 12, 30), "consultation"),
    (_row(answered_on_spot=True, removed=RECEIVED), date(2026, 12, 30), "on_spot"),
    (_row(removed=date(2026, 11, 20)), date(2026, 12, 30), "answered"),  # late, but answered
    (_row(), date(2026, 11, 17), "on_control"),  # the last day is still in time
    (_row(), date(2026, 11, 18), "overdue"),
    (_row(extended_to=date(2026, 12, 17)), date(2026, 11, 18), "on_control"),  # extended
])
def test_the_outcome_of_an_appeal(row: AppealRow, today: date, expected: str) -> None:
    assert outcome(row, today) == expected


def test_the_call_centre_registers_calls_and_emails_only() -> None:
    cc = Actor(user_id=1, roles=frozenset({"call_centre"}), office_ids=frozenset({1}))
    for form in ("phone", "email"):
        check_form_allowed(cc, form)
    for form in ("personal_reception", "letter"):
        with pytest.raises(Forbidden):
            check_form_allowed(cc, form)
    desk = Actor(user_id=2, roles=frozenset({"operator"}), office_ids=frozenset({1}))
    for form in ("personal_reception", "phone", "email", "letter"):
        check_form_allowed(desk, form)


@pytest.mark.parametrize("written", ["050 111 22 33", "+38 (050) 111-22-33", "0501112233", "+380501112233",
                                     "38 050 111 22 33"])
def test_one_phone_however_written(written: str) -> None:
    assert phone_key(written) == "+380501112233"


@pytest.mark.parametrize("junk", ["", "дзвонила вчора", "12", None])
def test_what_is_no_phone_has_no_key(junk: str | None) -> None:
    assert phone_key(junk) == ""
