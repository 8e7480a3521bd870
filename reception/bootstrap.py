"""The core without a web server: database, clock, unit of work, message bus and its handlers.

The app (``reception.app``), the console (``reception.ops.cli``), the simulator and the benchmarks
build the core here and nowhere else. What a handler needs is bound once, at construction: to count
or record what passes (metrics, tests), hand in a wrapped publisher or printer factory.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from reception.audit.writer import audit
from reception.devices.printing import PrintHandler, PrintRequested
from reception.kernel.messagebus import Handler, MessageBus
from reception.kernel.ports import DomainEvent, Publisher, TicketPrinter
from reception.kernel.service_layer import Services
from reception.kernel.unit_of_work import UnitOfWork
from reception.platform.clock import Clock, SystemClock
from reception.platform.db import Database

PrinterFactory = Callable[[str], TicketPrinter]


@dataclass(frozen=True)
class Core:
    db: Database
    clock: Clock
    services: Services
    publisher: Publisher | None
    printer_factory: PrinterFactory | None


def bootstrap(db: Database, clock: Clock | None = None, *, publisher: Publisher | None = None,
              printer_factory: PrinterFactory | None = None,
              uow_factory: Callable[[], UnitOfWork] | None = None) -> Core:
    """The core on ``db``: without a publisher nobody hears the live events, without a printer
    factory nothing prints (the simulator, most tests; a kiosk's ticket then answers no print outcome)."""
    the_clock = clock or SystemClock()
    publish = publisher.publish if publisher is not None else None
    handlers: dict[type, list[Handler]] = {}
    if publish is not None:
        handlers[DomainEvent] = [publish]
    if printer_factory is not None:
        handlers[PrintRequested] = [PrintHandler(printer_factory, db, the_clock, publish)]
    services = Services(db, the_clock, MessageBus(handlers), audit, uow_factory=uow_factory)
    return Core(db, the_clock, services, publisher, printer_factory)
