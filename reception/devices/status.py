"""What staff see of an office's kiosks and displays: heartbeat, last print, printer state.

A read model only: the last print outcome comes from the ``printed`` / ``print_failed`` ticket
events the kiosk's prints leave (reception.devices.printing), the heartbeat from ``Device.last_seen_at``.
The live printer state is asked through an injected ``probe`` so this module never imports the
printers package; a printer that does not answer is "unknown", never "ok".
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from reception.accounts.models import Device
from reception.offices.models import Office
from reception.platform.clock import Clock
from reception.platform.db import Database
from reception.queue.models import Ticket, TicketEvent
from reception.queue.reads import iso_local

log = logging.getLogger(__name__)

# A kiosk polls its menu about twice a minute; a heartbeat is written at most this often.
HEARTBEAT_EVERY = timedelta(seconds=60)
# Not heard from for this long: staff see the device as offline.
OFFLINE_AFTER = timedelta(minutes=3)
# Budget for asking all printers of an office at once (each transport has its own short timeouts).
PROBE_BUDGET_S = 2.5

UNKNOWN_STATUS: dict[str, Any] = {"online": None, "paper": "unknown", "error": None}

Probe = Callable[[str], Any]  # printer URL -> object with online/paper/error (printers.PrinterStatus)


class Heartbeat:
    """Writes ``Device.last_seen_at`` at most once per ``every`` per device and process.

    The kiosk fetches its menu often; a write transaction on every fetch would queue behind
    ticket issuing on SQLite.  The in-memory throttle keeps it to one small UPDATE a minute.
    """

    def __init__(self, every: timedelta = HEARTBEAT_EVERY) -> None:
        self.every = every
        self._written: dict[int, datetime] = {}
        self._lock = threading.Lock()

    def seen(self, db: Database, clock: Clock, device_id: int) -> bool:
        """Record that the device is alive; returns whether the database was written."""
        now = clock.now()
        with self._lock:
            last = self._written.get(device_id)
            if last is not None and now - last < self.every:
                return False
            self._written[device_id] = now
        try:
            with db.write() as s:
                s.execute(update(Device).where(Device.id == device_id).values(last_seen_at=now))
        except Exception:  # a heartbeat must never cost the visitor their menu
            log.exception("recording heartbeat of device %s failed", device_id)
            with self._lock:
                self._written.pop(device_id, None)
            return False
        return True


def printer_scheme(url: str | None) -> str | None:
    """``tcp``, ``usb``, ``png`` … — staff see the kind of printer, not its address or path."""
    if not url:
        return None
    scheme = urlsplit(url).scheme
    return scheme or None


def status_dict(status: Any) -> dict[str, Any]:
    """A printer status object (or None: the printer cannot say) as JSON."""
    if status is None:
        return dict(UNKNOWN_STATUS)
    online = getattr(status, "online", None)
    paper = getattr(status, "paper", None) or "unknown"
    error = getattr(status, "error", None)
    return {"online": online if isinstance(online, bool) else None, "paper": str(paper),
            "error": str(error)[:200] if error else None}


def probe_all(urls: list[str], probe: Probe | None, budget_s: float | None = None) -> dict[str, dict[str, Any]]:
    """Ask every printer in parallel; whatever has not answered within the budget is unknown."""
    budget_s = PROBE_BUDGET_S if budget_s is None else budget_s
    if probe is None or not urls:
        return {url: dict(UNKNOWN_STATUS) for url in urls}
    results: dict[str, dict[str, Any]] = {}
    pool = ThreadPoolExecutor(max_workers=min(8, len(urls)), thread_name_prefix="printer-probe")
    try:
        futures = {url: pool.submit(probe, url) for url in urls}
        deadline = time.monotonic() + budget_s
        for url, future in futures.items():
            try:
                results[url] = status_dict(future.result(timeout=max(0.0, deadline - time.monotonic())))
            except FutureTimeout:
                results[url] = {**UNKNOWN_STATUS, "error": f"no answer within {budget_s:g}s"}
            except Exception as exc:  # a probe must not break the staff page
                results[url] = {**UNKNOWN_STATUS, "error": f"{type(exc).__name__}: {exc}"[:200]}
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    return results


def _last_print(session: Session, device_id: int, tz: str) -> dict[str, Any] | None:
    row = _last_event(session, device_id)
    if row is None:
        return None
    return {"ok": row.kind == "printed", "at": iso_local(row.at, tz), "error": row.reason, "ticket": row.code}


def printer_faults(session: Session, office: Office) -> list[dict[str, Any]]:
    """Active kiosks of the office whose last print failed: what staff should be told right away.

    Each: ``device`` (its name), ``ticket`` (the code that did not print), ``at`` (aware, UTC) and
    ``error`` (the technical reason). Read from the print events, so every process sees the same.
    """
    kiosks = session.scalars(select(Device).where(Device.office_id == office.id, Device.kind == "kiosk",
                                                  Device.is_active.is_(True), Device.printer_url.is_not(None))
                             .order_by(Device.name, Device.id)).all()
    faults = []
    for kiosk in kiosks:
        last = _last_event(session, kiosk.id)
        if last is not None and last.kind == "print_failed":
            faults.append({"device": kiosk.name, "ticket": last.code, "at": last.at, "error": last.reason})
    return faults


def _last_event(session: Session, device_id: int) -> Any:
    return session.execute(
        select(TicketEvent.kind, TicketEvent.at, TicketEvent.reason, Ticket.code)
        .join(Ticket, Ticket.id == TicketEvent.ticket_id)
        .where(TicketEvent.actor_device_id == device_id, TicketEvent.kind.in_(("printed", "print_failed")))
        .order_by(TicketEvent.at.desc(), TicketEvent.id.desc())
        .limit(1)
    ).first()


def device_statuses(session: Session, office: Office, now: datetime, *, probe: Probe | None = None) -> list[dict[str, Any]]:
    """Every device of the office, kiosks first, with heartbeat, last print and printer state."""
    devices = session.scalars(
        select(Device).where(Device.office_id == office.id).order_by(Device.kind.desc(), Device.name, Device.id)
    ).all()
    live = probe_all(sorted({d.printer_url for d in devices if d.printer_url and d.is_active}), probe)
    out = []
    for d in devices:
        seen = d.last_seen_at
        printer = None
        if d.printer_url:
            printer = {
                "scheme": printer_scheme(d.printer_url),
                "last_print": _last_print(session, d.id, office.timezone),
                "status": live.get(d.printer_url, dict(UNKNOWN_STATUS)),
            }
        out.append({
            "id": d.id,
            "kind": d.kind,
            "name": d.name,
            "zone": d.zone,
            "active": d.is_active,
            "last_seen_at": iso_local(seen, office.timezone),
            "online": bool(seen is not None and now - seen <= OFFLINE_AFTER),
            "printer": printer,
        })
    return out


def probe_from_factory(factory: Callable[[str], Any] | None) -> Probe | None:
    """A probe over the app's printer factory: the printer's own ``status()`` where it has one.

    The factory may hand back the printer itself or a spooling wrapper around it (``.spool.printer``
    in the composition root); a printer without ``status()`` is simply "unknown".
    """
    if factory is None:
        return None

    def probe(url: str) -> Any:
        printer = factory(url)
        spool = getattr(printer, "spool", None)
        for candidate in (printer, getattr(spool, "printer", None), getattr(printer, "printer", None)):
            status = getattr(candidate, "status", None)
            if callable(status):
                return status()
        return None

    return probe


def record_paper(db: Database, clock: Clock, probe: Probe | None) -> int:
    """Read the paper sensor of every active kiosk's printer (through ``probe``, all at once within the
    budget) and keep it on the device (``printer_paper``, ``printer_checked_at``) for the alert rules.
    A printer that does not answer is recorded "unknown" (never "ok"); without a probe nothing is read."""
    if probe is None:
        return 0
    with db.read() as s:
        kiosks = s.execute(select(Device.id, Device.printer_url).where(
            Device.kind == "kiosk", Device.is_active.is_(True), Device.printer_url.is_not(None))).all()
    if not kiosks:
        return 0
    live = probe_all(sorted({str(url) for _id, url in kiosks}), probe)
    now = clock.now()
    with db.write() as s:
        for device_id, url in kiosks:
            paper = live.get(str(url), UNKNOWN_STATUS)["paper"]
            s.execute(update(Device).where(Device.id == device_id)
                      .values(printer_paper=str(paper)[:16], printer_checked_at=now))
    return len(kiosks)
