"""A suspension and the self-service bookings of specialist services, on both databases: on resume the
bookings the pause took are flagged for rebooking (the default) or moved to the next free slots of the day
in their order, and visitors who consented are told through the outbox with a link to /book."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from reception.audit.models import AuditLog
from reception.booking import rules as R
from reception.booking.models import Booking, BookingSlot
from reception.booking.setup import open_to_booking
from reception.notifications.models import Message
from reception.offices import suspension
from tests.fakes import ROOT
from tests.web.test_public_booking import book

KYIV = ZoneInfo("Europe/Kyiv")
RULES = {"verify_by": "email", "opens_days_ahead": 14, "closes_hours_before": 0, "cap_per_day": 0,
         "cap_per_month": 0, "cap_active": 0}


def _visitor(n: int) -> dict[str, str]:
    return {"surname": "Петренко", "name": "Олена", "email": f"v{n}@example.com"}


def _pause(app, clock, start: tuple[int, int], end: tuple[int, int]) -> None:
    services = app.extensions["reception"].services
    clock.set(datetime(2026, 11, 24, *start, tzinfo=KYIV))
    services.value(suspension.suspend_office, ROOT, "T1", "air_raid")
    clock.set(datetime(2026, 11, 24, *end, tzinfo=KYIV))
    services.value(suspension.resume_office, ROOT, "T1")


def _at(hh: int, mm: int) -> str:
    return f"2026-11-24T{hh:02d}:{mm:02d}:00+02:00"


def test_by_default_the_bookings_the_pause_took_are_flagged_and_told(app, api, db, clock, office) -> None:
    open_to_booking(db, "T1", "consult", per_slot=1, office_rules=RULES)
    codes = [book(api, db, _at(11, 15), _visitor(1))["booking_code"],
             book(api, db, _at(12, 30), _visitor(2))["booking_code"]]  # after the pause: untouched
    _pause(app, clock, (11, 0), (11, 40))
    with db.read() as s:
        rows = {b.email: b for b in s.scalars(select(Booking))}
        assert rows["v1@example.com"].status == "needs_rebooking"
        assert rows["v2@example.com"].status == "booked"
        assert s.scalar(select(BookingSlot.taken).where(
            BookingSlot.at == datetime(2026, 11, 24, 11, 15, tzinfo=KYIV))) == 0  # the place is given back
        told = s.scalars(select(Message).where(Message.kind == "booking_cancelled")).all()
        assert [(m.channel, m.address) for m in told] == [("email", "v1@example.com")]
        assert "/book?office=T1&service=consult" in told[0].body and codes[0] in told[0].body
        assert s.scalar(select(Message.id).where(Message.kind == "booking_moved")) is None
        entry = s.scalar(select(AuditLog).where(AuditLog.action == "booking.shift"))
        assert entry is not None and entry.detail["rebook"] == [rows["v1@example.com"].id]
        assert "v1@example.com" not in str(entry.detail) and "Петренко" not in str(entry.detail)


def test_an_office_that_moves_keeps_the_order_and_flags_what_the_day_has_no_room_for(app, api, db, clock,
                                                                                     office) -> None:
    open_to_booking(db, "T1", "consult", per_slot=1, start="10:00", end="12:30",
                    office_rules=RULES | {"on_suspension": "move"})
    book(api, db, _at(11, 0), _visitor(1))
    book(api, db, _at(11, 15), _visitor(2))
    book(api, db, _at(12, 0), _visitor(3))  # 12:00 is taken: the second moved goes after it
    book(api, db, _at(11, 30), _visitor(4))
    _pause(app, clock, (10, 50), (11, 40))
    with db.read() as s:
        rows = {b.email: b for b in s.scalars(select(Booking))}
        local = {k: (b.status, b.slot_at.astimezone(KYIV).strftime("%H:%M")) for k, b in rows.items()}
        assert local == {"v1@example.com": ("booked", "11:45"), "v2@example.com": ("booked", "12:15"),
                         "v3@example.com": ("booked", "12:00"), "v4@example.com": ("needs_rebooking", "11:30")}
        moved = s.scalars(select(Message).where(Message.kind == "booking_moved").order_by(Message.id)).all()
        assert [m.address for m in moved] == ["v1@example.com", "v2@example.com"]
        assert "24.11.2026 11:45" in moved[0].body
        assert [m.address for m in s.scalars(select(Message).where(Message.kind == "booking_cancelled"))] == [
            "v4@example.com"]
        taken = {at.astimezone(KYIV).strftime("%H:%M"): n for at, n in s.execute(
            select(BookingSlot.at, BookingSlot.taken)).all()}
        assert taken == {"11:00": 0, "11:15": 0, "11:30": 0, "11:45": 1, "12:00": 1, "12:15": 1}


def test_no_message_without_consent(app, api, db, clock, office) -> None:
    open_to_booking(db, "T1", "consult", per_slot=1, office_rules=RULES)
    book(api, db, _at(11, 15), _visitor(1))
    with db.write() as s:
        for b in s.scalars(select(Booking)):
            b.consent_at = None
    _pause(app, clock, (11, 0), (11, 40))
    with db.read() as s:
        assert s.scalar(select(Booking.status)) == "needs_rebooking"
        assert s.scalar(select(Message.id).where(Message.kind == "booking_cancelled")) is None


def test_the_plan_is_pure() -> None:
    at = [datetime(2026, 11, 24, h, m, tzinfo=KYIV) for h, m in ((11, 0), (11, 15), (11, 45), (12, 0))]
    moves, rebook = R.plan_after_pause([(2, at[1]), (1, at[0])], {at[2]: 1, at[3]: 1}, at[2], True)
    assert moves == {1: at[2], 2: at[3]} and rebook == []
    assert R.plan_after_pause([(1, at[0])], {at[2]: 1}, at[2], False) == ({}, [1])


def test_a_visitor_told_to_rebook_may_book_again_that_day(app, api, db, clock, office) -> None:
    open_to_booking(db, "T1", "consult", per_slot=1, office_rules=RULES | {"cap_per_day": 1})
    book(api, db, _at(11, 15), _visitor(1))
    _pause(app, clock, (11, 0), (11, 40))
    again = book(api, db, _at(12, 30), _visitor(1))  # the day's cap of one: the flagged booking does not count
    with db.read() as s:
        assert sorted(s.scalars(select(Booking.status))) == ["booked", "needs_rebooking"]
    assert again["booking_code"]
