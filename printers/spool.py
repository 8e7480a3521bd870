"""Print spool: one worker thread and one queue per printer, bounded retry, result callback."""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field

from reception.kernel.ports import PrintOutcome, TicketPrinter, TicketSlip

log = logging.getLogger(__name__)

OnResult = Callable[[str, PrintOutcome], None]
_STOP = object()


@dataclass
class _Job:
    slip: TicketSlip
    ref: str
    future: Future[PrintOutcome] = field(default_factory=Future)
    cancelled: threading.Event = field(default_factory=threading.Event)


class PrintSpool:
    """Serialises jobs for one printer on a daemon worker thread.

    Each job is tried ``1 + retries`` times with ``backoff`` seconds between attempts; the final
    outcome goes to the job's Future and to ``on_result(ticket_ref, outcome)`` (for the
    ``printed`` / ``print_failed`` log).  A job whose waiter gave up is not started any more.
    """

    def __init__(self, printer: TicketPrinter | str, *, on_result: OnResult | None = None, retries: int = 2,
                 backoff: tuple[float, ...] = (0.3, 1.0), max_queue: int = 100, name: str | None = None) -> None:
        if isinstance(printer, str):
            from printers import open_printer  # late import: printers/__init__ imports this module

            printer = open_printer(printer)
        self.printer = printer
        self.on_result = on_result
        self.retries = max(0, retries)
        self.backoff = backoff or (0.0,)
        self.name = name or str(getattr(printer, "name", printer))
        self._queue: queue.Queue[_Job | object] = queue.Queue(maxsize=max_queue)
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"print-spool {self.name}", daemon=True)
        self._thread.start()

    def submit(self, slip: TicketSlip, ticket_ref: str | None = None) -> Future[PrintOutcome]:
        """Queue ``slip``; the Future resolves to its final PrintOutcome (never an exception)."""
        return self._enqueue(slip, ticket_ref).future

    def _enqueue(self, slip: TicketSlip, ticket_ref: str | None) -> _Job:
        job = _Job(slip, ticket_ref or slip.code)
        if self._stopping.is_set():
            self._finish(job, PrintOutcome(ok=False, printer=self.name, error="print spool is closed"))
            return job
        try:
            self._queue.put_nowait(job)
        except queue.Full:
            self._finish(job, PrintOutcome(ok=False, printer=self.name, error="print queue is full"))
        return job

    def submit_and_wait(self, slip: TicketSlip, timeout: float = 15.0,
                        ticket_ref: str | None = None) -> PrintOutcome:
        """Queue ``slip`` and wait up to ``timeout`` s; on timeout the job is withdrawn if not yet started."""
        job = self._enqueue(slip, ticket_ref)
        try:
            return job.future.result(timeout=timeout)
        except TimeoutError:
            job.cancelled.set()
            return PrintOutcome(ok=False, printer=self.name, error=f"no result from printer within {timeout:g}s")

    def close(self, timeout: float = 10.0) -> None:
        """Stop accepting jobs, let queued ones finish, and join the worker."""
        if not self._stopping.is_set():
            self._stopping.set()
            self._queue.put(_STOP)
        self._thread.join(timeout)

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is _STOP:
                self._drain_after_stop()
                return
            assert isinstance(item, _Job)
            self._finish(item, self._attempts(item))

    def _drain_after_stop(self) -> None:
        while True:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                return
            if isinstance(item, _Job):
                self._finish(item, PrintOutcome(ok=False, printer=self.name, error="print spool is closed"))

    def _attempts(self, job: _Job) -> PrintOutcome:
        outcome = PrintOutcome(ok=False, printer=self.name, error="not attempted")
        for attempt in range(self.retries + 1):
            if job.cancelled.is_set():
                return PrintOutcome(ok=False, printer=self.name, error=f"withdrawn: {outcome.error}")
            try:
                outcome = self.printer.print_slip(job.slip)
            except Exception as exc:  # TicketPrinter must not raise; stay alive if one does
                log.exception("printer %s raised", self.name)
                outcome = PrintOutcome(ok=False, printer=self.name, error=f"{type(exc).__name__}: {exc}")
            if outcome.ok or not outcome.retryable or attempt == self.retries:
                break
            log.warning("print %s on %s failed (%s), retry %d", job.ref, self.name, outcome.error, attempt + 1)
            job.cancelled.wait(self.backoff[min(attempt, len(self.backoff) - 1)])
        return outcome

    def _finish(self, job: _Job, outcome: PrintOutcome) -> None:
        if not job.future.done():
            job.future.set_result(outcome)
        if self.on_result is not None:
            try:
                self.on_result(job.ref, outcome)
            except Exception:
                log.exception("print on_result callback failed for %s", job.ref)


class SpoolRegistry:
    """One PrintSpool per printer URL, created on first use."""

    def __init__(self, opener: Callable[[str], TicketPrinter] | None = None, *, on_result: OnResult | None = None,
                 retries: int = 2, backoff: tuple[float, ...] = (0.3, 1.0)) -> None:
        self._opener, self._on_result, self._retries, self._backoff = opener, on_result, retries, backoff
        self._spools: dict[str, PrintSpool] = {}
        self._lock = threading.Lock()

    def get(self, url: str) -> PrintSpool:
        with self._lock:
            spool = self._spools.get(url)
            if spool is None:
                spool = PrintSpool(self._opener(url) if self._opener else url, on_result=self._on_result, retries=self._retries,
                                   backoff=self._backoff, name=url)
                self._spools[url] = spool
            return spool

    def close_all(self, timeout: float = 10.0) -> None:
        with self._lock:
            spools, self._spools = list(self._spools.values()), {}
        for spool in spools:
            spool.close(timeout)
