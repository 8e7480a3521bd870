"""The demo office seeds once, fully, and a second run reuses it."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from reception.accounts.models import User
from reception.leadership.models import Leader
from reception.offices.models import Desk, Service
from reception.ops.demo import SERVICES, seed


def test_demo_seed_is_complete_and_idempotent(db, clock, tmp_path: Path) -> None:
    first = seed(db, clock, str(tmp_path))
    again = seed(db, clock, str(tmp_path))
    assert first == again and first["kiosk_token"] and first["display_token"]
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Service)) == len(SERVICES)
        assert s.scalar(select(func.count()).select_from(Desk)) >= 5
        assert s.scalar(select(func.count()).select_from(User)) >= 6
        assert s.scalar(select(func.count()).select_from(Leader)) == 2
        prefixes = set(s.scalars(select(Service.prefix)))
    assert "З" not in prefixes and "О" not in prefixes, "prefixes that read as digits"


def test_demo_office_opens_a_specialist_service_to_booking_by_email(db, clock, tmp_path: Path) -> None:
    from reception.booking.commands import bookable_offices

    seed(db, clock, str(tmp_path))
    with db.read() as s:
        (office,) = bookable_offices(s)
    (service,) = office["services"]
    assert service["code"] == "consult" and service["kind"] == "specialist" and service["verify_by"] == "email"
