"""Numbering restarts at midnight in Kyiv, not at UTC midnight — DST change days included."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from reception.offices.rules import office_day
from reception.queue import commands as queue
from tests.fakes import build_office, services

KYIV = ZoneInfo("Europe/Kyiv")


def issue(db, clock):
    return services(db, clock).value(queue.issue_ticket, office_code="T1", service_code="consult").ticket


@pytest.mark.parametrize(
    "local_day",
    [date(2026, 11, 24), date(2026, 3, 28), date(2026, 3, 29), date(2026, 10, 24), date(2026, 10, 25)],
    ids=["winter", "eve-of-spring-dst", "spring-dst-day", "eve-of-autumn-dst", "autumn-dst-day"],
)
def test_numbering_restarts_at_kyiv_midnight(db, clock, local_day: date) -> None:
    build_office(db)
    before_midnight = datetime.combine(local_day, datetime.min.time(), KYIV) + timedelta(days=1) - timedelta(minutes=1)
    clock.set(before_midnight)
    first, second = issue(db, clock), issue(db, clock)
    assert (first["number"], second["number"]) == (1, 2)
    assert first["issued_at"].startswith(local_day.isoformat())
    clock.advance(minutes=1)  # local midnight: a new day, whatever the UTC date is
    nxt = issue(db, clock)
    assert nxt["number"] == 1 and nxt["code"] == "К-001"
    assert nxt["issued_at"].startswith((local_day + timedelta(days=1)).isoformat())


def test_office_day_uses_local_date_across_dst_transitions() -> None:
    # 2026-03-29 01:00 UTC is 03:00 local before the jump → 04:00 EEST (clocks go forward at 03:00)
    assert office_day(datetime(2026, 3, 28, 22, 30, tzinfo=ZoneInfo("UTC")), "Europe/Kyiv") == date(2026, 3, 29)
    assert office_day(datetime(2026, 3, 28, 21, 59, tzinfo=ZoneInfo("UTC")), "Europe/Kyiv") == date(2026, 3, 28)
    # autumn: midnight 25 Oct local is 21:00 UTC on 24 Oct (still UTC+3)
    assert office_day(datetime(2026, 10, 24, 21, 0, tzinfo=ZoneInfo("UTC")), "Europe/Kyiv") == date(2026, 10, 25)
    assert office_day(datetime(2026, 10, 25, 21, 59, tzinfo=ZoneInfo("UTC")), "Europe/Kyiv") == date(2026, 10, 25)
    assert office_day(datetime(2026, 10, 25, 22, 0, tzinfo=ZoneInfo("UTC")), "Europe/Kyiv") == date(2026, 10, 26)


def test_an_office_in_another_zone_rolls_over_at_its_own_midnight(db, clock) -> None:
    from reception.offices.setup import create_office, create_service
    from tests.fakes import ROOT

    create_office(db, code="W", name_uk="Захід", name_en="West", timezone="Europe/Lisbon")
    create_service(db, ROOT, "W", code="consult", prefix="К", name_uk="К", name_en="C")
    clock.set(datetime(2026, 11, 24, 23, 30, tzinfo=ZoneInfo("Europe/Lisbon")))  # Kyiv is already on the 25th
    a = services(db, clock).value(queue.issue_ticket, office_code="W", service_code="consult").ticket
    clock.advance(minutes=31)
    b = services(db, clock).value(queue.issue_ticket, office_code="W", service_code="consult").ticket
    assert a is not None and b is not None and (a["number"], b["number"]) == (1, 1)
