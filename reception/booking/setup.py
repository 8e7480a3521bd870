"""Opening a service to booking where no server is (the demo, the simulator, tests)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select

from reception.booking.models import BookingCapacity, BookingRule
from reception.booking.rules import BookingRules
from reception.offices.models import Office, Service
from reception.platform.db import Database


def open_to_booking(db: Database, office_code: str, service_code: str, *, desks: Iterable[str] = (),
                    weekdays: Iterable[int] = (1, 2, 3, 4, 5), start: str = "10:00", end: str = "13:00",
                    slot_min: int = 15, per_slot: int = 1, office_rules: dict[str, Any] | None = None,
                    service_rules: dict[str, Any] | None = None) -> None:
    """A capacity row for the service, and the office's (and the service's) rules if given."""
    BookingRules.from_json(office_rules, service_rules)  # refuse what the rules would refuse later
    with db.write() as s:
        office = s.scalar(select(Office).where(Office.code == office_code))
        assert office is not None, office_code
        service = s.scalar(select(Service).where(Service.office_id == office.id, Service.code == service_code))
        assert service is not None, service_code
        s.add(BookingCapacity(office_id=office.id, service_id=service.id, desks=list(desks),
                              weekdays=list(weekdays), start=start, end=end, slot_min=slot_min, per_slot=per_slot))
        for service_id, settings in ((None, office_rules), (service.id, service_rules)):
            if settings is None:
                continue
            row = s.scalar(select(BookingRule).where(BookingRule.office_id == office.id,
                                                     BookingRule.service_id.is_(None) if service_id is None
                                                     else BookingRule.service_id == service_id))
            if row is None:
                s.add(BookingRule(office_id=office.id, service_id=service_id, settings=dict(settings)))
            else:
                row.settings = {**row.settings, **settings}
