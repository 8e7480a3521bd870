"""The kiosk's ticket and its slip on the core alone (bootstrap, a fake unit of work, a recording printer
and publisher): a retried tap replays the first ticket, and the print handler records every outcome."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import func, select

from printers import sample_slip
from reception.accounts.credentials import PairedDevice
from reception.accounts.service import create_device
from reception.arrival.ticketing import WalkIn, walk_in
from reception.bootstrap import bootstrap
from reception.devices.printing import PrintHandler, PrintRequested
from reception.http.realtime import RecordingPublisher
from reception.kernel.errors import Conflict
from reception.kernel.events import Issued, PrintOutcomeRecorded
from reception.kernel.ports import PrintOutcome, TicketSlip
from reception.kernel.service_layer import Services
from reception.queue.commands import issue_ticket
from reception.queue.models import Ticket, TicketEvent
from tests.fakes import FakeUnitOfWork, RecordingPrinter, run

PRINTER = "tcp://10.0.0.5:9100"


@pytest.fixture
def db(memory_db):
    return memory_db  # the clock is the suite's fake one


@pytest.fixture
def kiosk(db, clock) -> PairedDevice:
    device_id, _token = create_device(db, clock, kind="kiosk", office_code="T1", printer_url=PRINTER)
    return PairedDevice(id=device_id, kind="kiosk", name="", zone=None, office_id=1, office_code="T1",
                        printer_url=PRINTER)


class FlakyPrinter(RecordingPrinter):
    """Fails its first slip (paper out), prints the next ones."""

    def print_slip(self, slip: TicketSlip) -> PrintOutcome:
        outcome = super().print_slip(slip)
        return outcome if len(self.slips) > 1 else PrintOutcome(ok=False, printer=PRINTER, error="paper out")


def core(db: Any, clock: Any, printer: Any) -> Services:
    return bootstrap(db, clock, publisher=RecordingPublisher(), printer_factory=lambda url: printer,
                     uow_factory=lambda: FakeUnitOfWork(db)).services


def tap(services: Services, kiosk: PairedDevice, key: str | None, service: str = "consult") -> dict[str, Any]:
    return walk_in(services, kiosk, "http://test", WalkIn(service, idempotency_key=key))


def count(db: Any, model: Any, *where: Any) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(model).where(*where)) or 0)


# --- walk_in: the slip goes with the ticket ----------------------------------------------------------


def test_the_issuing_unit_of_work_collects_the_slip_and_the_bus_prints_it_after_the_commit(db, clock, kiosk) -> None:
    printer, publisher, units = RecordingPrinter(), RecordingPublisher(), []

    def unit_of_work() -> FakeUnitOfWork:
        units.append(FakeUnitOfWork(db))
        return units[-1]

    services = bootstrap(db, clock, publisher=publisher, printer_factory=lambda url: printer,
                         uow_factory=unit_of_work).services
    answer = tap(services, kiosk, "tap-1")
    [issuing] = units
    assert issuing.commits == 1 and [type(m) for m in issuing.collected()] == [Issued, PrintRequested]
    [slip] = printer.slips
    assert slip.code == answer["code"] and slip.status_url == answer["status_url"]
    assert answer["print"] == {"ok": True, "error": None}  # the print handler's reply
    # the outcome, recorded by the handler, went back through the bus to the live screens
    assert [(e.name, e.payload.get("device")) for e in publisher.events] == [("issued", None), ("printed", kiosk.id)]


def test_a_kiosk_without_a_printer_collects_no_slip_and_answers_no_print(db, clock, kiosk) -> None:
    services = core(db, clock, RecordingPrinter())
    answer = walk_in(services, replace(kiosk, printer_url=None), "http://test", WalkIn("consult"))
    assert answer["print"] is None and answer["replayed"] is False


# --- walk_in: the replay --------------------------------------------------------------------


def test_a_retried_tap_gets_the_first_ticket_and_no_second_slip(db, clock, kiosk) -> None:
    printer = RecordingPrinter()
    services = core(db, clock, printer)
    first = tap(services, kiosk, "tap-1")
    clock.advance(seconds=20)
    again = tap(services, kiosk, "tap-1")
    assert first["replayed"] is False and again["replayed"] is True
    assert (again["id"], again["code"], again["public_token"]) == (first["id"], first["code"], first["public_token"])
    assert first["print"] == again["print"] == {"ok": True, "error": None}
    assert len(printer.slips) == 1 and count(db, Ticket) == 1
    assert tap(services, kiosk, "tap-2")["code"] != first["code"]  # a new tap is a new ticket
    assert tap(services, kiosk, None)["replayed"] is False and count(db, Ticket) == 3


def test_a_replay_prints_again_only_when_the_first_slip_failed(db, clock, kiosk) -> None:
    printer = FlakyPrinter()
    services = core(db, clock, printer)
    first = tap(services, kiosk, "tap-1")
    assert first["print"] == {"ok": False, "error": "paper out"}
    again = tap(services, kiosk, "tap-1")
    assert again["code"] == first["code"] and again["print"] == {"ok": True, "error": None}
    assert [slip.code for slip in printer.slips] == [first["code"]] * 2
    assert tap(services, kiosk, "tap-1")["print"] == {"ok": True, "error": None} and len(printer.slips) == 2


def test_a_key_reused_for_another_service_is_refused(db, clock, kiosk) -> None:
    services = core(db, clock, RecordingPrinter())
    tap(services, kiosk, "tap-1")
    with pytest.raises(Conflict) as caught:
        tap(services, kiosk, "tap-1", service="appeal")
    assert caught.value.key == "error.idempotency_key_reused" and count(db, Ticket) == 1


# --- the print handler -------------------------------------------------------------------------------


class RaisingPrinter:
    def print_slip(self, slip: TicketSlip) -> PrintOutcome:
        raise RuntimeError("driver crashed")


def issued(db: Any, clock: Any) -> int:
    result, _ = run(db, clock, issue_ticket, office_code="T1", service_code="consult")
    return int(result.ticket_id)


def handle(db: Any, clock: Any, printer: Any, ticket_id: int) -> tuple[dict[str, Any], list[PrintOutcomeRecorded]]:
    told: list[PrintOutcomeRecorded] = []
    handler = PrintHandler(lambda url: printer, db, clock, told.append)
    return handler(PrintRequested(ticket_id, 1, PRINTER, sample_slip(), device_id=7)), told


def recorded(db: Any, ticket_id: int) -> tuple[str, list[tuple[str, str | None, Any]]]:
    with db.read() as s:
        status = s.scalar(select(Ticket.print_status).where(Ticket.id == ticket_id))
        kinds = [(e.kind, e.reason, e.data) for e in s.scalars(
            select(TicketEvent).where(TicketEvent.ticket_id == ticket_id, TicketEvent.kind.like("print%"))
            .order_by(TicketEvent.id))]
    return str(status), kinds


def test_a_printed_slip_is_recorded_and_told_to_live_screens(db, clock) -> None:
    ticket_id = issued(db, clock)
    printer = RecordingPrinter()
    answer, told = handle(db, clock, printer, ticket_id)
    assert answer == {"ok": True, "error": None} and len(printer.slips) == 1
    assert recorded(db, ticket_id) == ("printed", [("printed", None, {"printer": "recording://"})])
    [event] = told
    assert (event.ok, event.office_code, event.device_id) == (True, "T1", 7)


@pytest.mark.parametrize("printer, error", [
    (RecordingPrinter(ok=False, error="paper out"), "paper out"),
    (RaisingPrinter(), "driver crashed"),  # a driver that breaks the port's promise: the handler still answers
])
def test_a_failed_slip_is_recorded_and_never_raises(db, clock, printer, error) -> None:
    ticket_id = issued(db, clock)
    answer, told = handle(db, clock, printer, ticket_id)
    assert answer == {"ok": False, "error": error}
    status, events = recorded(db, ticket_id)
    assert status == "failed" and [(kind, reason) for kind, reason, _ in events] == [("print_failed", error)]
    assert [e.ok for e in told] == [False]
