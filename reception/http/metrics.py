"""Prometheus metrics of one server process (prometheus-client, one registry per app).

Each ``reception serve`` process runs one gunicorn worker on its own port, so each process
is one Prometheus target with its own registry (no multiprocess mode; docs/decisions/009):
counters and the latency histogram count what this process handled, the connected displays
are this process's sockets, and the waiting gauge is read from the database at scrape time
(the same figure on every target: aggregate it with ``max``, the others with ``sum``).

Counting hooks on the app's ports, not on the views: issued tickets come from the published
domain events, print failures from the printer the factory hands out.
"""

from __future__ import annotations

import ipaddress
import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Response, abort, g, request
from flask.typing import ResponseReturnValue
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import select

from reception.http.callers import guard
from reception.kernel.permissions import Action
from reception.kernel.ports import DomainEvent, PrintOutcome, Publisher
from reception.offices.models import Office
from reception.platform.clock import Clock
from reception.platform.db import Database
from reception.queue.reads import waiting_counts

log = logging.getLogger(__name__)

CALL_NEXT_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
DISPLAY_NS = "/display"


def printer_label(url: str) -> str:
    """``tcp://10.0.0.5:9100`` or ``usb://04b8:0202``: kind and address, never a path or options."""
    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]
    return f"{parts.scheme}://{host}" if parts.scheme else "unknown"


@dataclass(frozen=True)
class PrinterState:
    printer: str
    ok: bool
    at: str
    error: str | None

    def as_dict(self) -> dict[str, Any]:
        return {"printer": self.printer, "ok": self.ok, "at": self.at, "error": self.error}


class Instruments:
    """The registry and the instruments one app updates; also the printers' last outcomes."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.registry = CollectorRegistry()
        self.tickets_issued = Counter("reception_tickets_issued", "Tickets issued (kiosk, staff, check-in)",
                                      ["office", "service"], registry=self.registry)
        self.call_next = Histogram("reception_call_next_seconds", "Time to answer a call-next request",
                                   ["outcome"], buckets=CALL_NEXT_BUCKETS, registry=self.registry)
        self.print_failures = Counter("reception_print_failures", "Ticket slips that did not print",
                                      ["printer"], registry=self.registry)
        self.socket_refused = Counter("reception_socketio_refused", "Socket.IO requests refused: no thread free",
                                      registry=self.registry)
        self._printers: dict[str, PrinterState] = {}
        self._lock = threading.Lock()

    def observe_event(self, event: DomainEvent) -> None:
        if event.name == "issued":
            self.tickets_issued.labels(event.office_code, str(event.payload.get("service", ""))).inc()

    def observe_print(self, url: str, outcome: PrintOutcome) -> None:
        label = printer_label(url)
        if not outcome.ok:
            self.print_failures.labels(label).inc()
        state = PrinterState(label, outcome.ok, self.clock.now().isoformat(timespec="seconds"),
                             (outcome.error or None) and str(outcome.error)[:200])
        with self._lock:
            self._printers[label] = state

    def printer_states(self) -> list[dict[str, Any]]:
        """The last outcome of every printer this process has printed on, by printer."""
        with self._lock:
            return [self._printers[k].as_dict() for k in sorted(self._printers)]


class CountingPublisher:
    """Publishes through ``inner`` and counts what passes (attributes reach ``inner``)."""

    def __init__(self, inner: Publisher, instruments: Instruments) -> None:
        self.inner, self.instruments = inner, instruments

    def publish(self, event: DomainEvent) -> None:
        try:
            self.instruments.observe_event(event)
        except Exception:  # a metric must never stop an event
            log.exception("counting event %s failed", event.name)
        self.inner.publish(event)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


class CountingPrinter:
    """A printer from the app's factory that reports each outcome (other attributes reach it,
    so ``status()`` and the spool stay visible to the device-status probe)."""

    def __init__(self, inner: Any, url: str, instruments: Instruments) -> None:
        self.inner, self.url, self.instruments = inner, url, instruments

    def print_slip(self, slip: Any) -> PrintOutcome:
        try:
            outcome = self.inner.print_slip(slip)
        except Exception as exc:
            self.instruments.observe_print(self.url, PrintOutcome(ok=False, printer=self.url, error=str(exc)))
            raise
        self.instruments.observe_print(self.url, outcome)
        return outcome

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def counting_factory(factory: Callable[[str], Any], instruments: Instruments) -> Callable[[str], Any]:
    return lambda url: CountingPrinter(factory(url), url, instruments)


class WaitingCollector(Collector):
    """``reception_waiting_tickets{office,service}`` read at scrape: the displays' own count."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def describe(self) -> Iterable[Any]:
        return [self._family()]

    @staticmethod
    def _family() -> GaugeMetricFamily:
        return GaugeMetricFamily("reception_waiting_tickets", "Tickets waiting now, by service",
                                 labels=["office", "service"])

    def collect(self) -> Iterator[Any]:
        family = self._family()
        try:
            with self.db.read() as s:
                offices = s.execute(select(Office.id, Office.code).where(Office.is_active.is_(True))).all()
                for office_id, office_code in offices:
                    for service, n in waiting_counts(s, office_id).items():
                        family.add_metric([office_code, service], n)
        except Exception:  # the scrape still answers; /healthz names the database
            log.exception("reading waiting tickets for metrics failed")
        yield family


class DisplaysCollector(Collector):
    """``reception_connected_displays``: wall displays connected to this process now."""

    def __init__(self, server: Callable[[], Any]) -> None:
        self.server = server

    def describe(self) -> Iterable[Any]:
        return [GaugeMetricFamily("reception_connected_displays", "Wall displays connected to this process")]

    def collect(self) -> Iterator[Any]:
        yield GaugeMetricFamily("reception_connected_displays", "Wall displays connected to this process",
                                value=connected(self.server(), DISPLAY_NS))


def connected(server: Any, namespace: str) -> int:
    """Clients past the connect handler in ``namespace`` (a refused one never counts)."""
    manager = getattr(server, "manager", None)
    if manager is None:
        return 0
    everyone = sum(1 for _ in manager.get_participants(namespace, None))
    return max(0, everyone - len(getattr(manager, "pending_connect", {}).get(namespace, [])))


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(values: Iterable[str]) -> list[Network]:
    """``METRICS_ALLOW`` parsed once, at start: a typo stops the process with its name."""
    try:
        return [ipaddress.ip_network(value, strict=False) for value in values]
    except ValueError as exc:
        raise ValueError(f"METRICS_ALLOW: {exc}") from None


def allowed(remote_addr: str | None, networks: Iterable[Network]) -> bool:
    if not remote_addr:
        return False
    try:
        address = ipaddress.ip_address(remote_addr)
    except ValueError:
        return False
    return any(address in net for net in networks)


def _call_next_outcome(status: int) -> str:
    return {200: "called", 204: "nobody_waiting"}.get(status, "refused")


def init_app(app: Flask) -> Instruments:
    """Time call-next and serve ``GET /metrics`` to the internal network; the instruments (which the
    app's publisher and printers already report to) are ``app.extensions["reception.metrics"]``."""
    from reception.http.realtime import socketio

    instruments: Instruments = app.extensions["reception.metrics"]
    instruments.registry.register(WaitingCollector(app.extensions["reception"].db))
    instruments.registry.register(DisplaysCollector(lambda: socketio.server))
    networks = parse_networks(app.config.get("METRICS_ALLOW") or [])

    @app.before_request
    def _time_call_next() -> None:
        if request.url_rule is not None and request.url_rule.rule.endswith("/call-next"):
            g.call_next_started = time.perf_counter()

    @app.after_request
    def _observe_call_next(response: Response) -> Response:
        started = g.pop("call_next_started", None)
        if started is not None:
            instruments.call_next.labels(_call_next_outcome(response.status_code)).observe(
                time.perf_counter() - started)
        return response

    @app.get("/metrics")
    @guard(Action.METRICS)
    def metrics() -> ResponseReturnValue:
        if not allowed(request.remote_addr, networks):
            abort(403)
        return Response(generate_latest(instruments.registry), content_type=CONTENT_TYPE_LATEST)

    return instruments
