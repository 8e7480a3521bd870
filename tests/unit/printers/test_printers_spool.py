"""PrintSpool with in-memory printers: retry, callback, waiting, withdrawal."""

from __future__ import annotations

import threading
import time

from printers import PrintSpool, SpoolRegistry, sample_slip
from reception.kernel.ports import PrintOutcome, TicketSlip


class FlakyPrinter:
    name = "fake://flaky"

    def __init__(self, failures: int, delay: float = 0.0, raises: bool = False) -> None:
        self.failures, self.delay, self.raises = failures, delay, raises
        self.calls = 0

    def print_slip(self, slip: TicketSlip) -> PrintOutcome:
        self.calls += 1
        time.sleep(self.delay)
        if self.calls <= self.failures:
            if self.raises:
                raise RuntimeError("driver exploded")
            return PrintOutcome(ok=False, printer=self.name, error="timed out")
        return PrintOutcome(ok=True, printer=self.name)


def test_retries_then_succeeds_and_reports_once() -> None:
    results: list[tuple[str, PrintOutcome]] = []
    printer = FlakyPrinter(failures=2)
    spool = PrintSpool(printer, on_result=lambda ref, o: results.append((ref, o)), retries=2, backoff=(0.01,))
    outcome = spool.submit_and_wait(sample_slip(), timeout=5, ticket_ref="t-42")
    spool.close()
    assert outcome.ok and printer.calls == 3
    assert results == [("t-42", outcome)]


def test_gives_up_after_bounded_retries() -> None:
    results: list[tuple[str, PrintOutcome]] = []
    printer = FlakyPrinter(failures=99, raises=True)
    spool = PrintSpool(printer, on_result=lambda ref, o: results.append((ref, o)), retries=2, backoff=(0.01,))
    outcome = spool.submit_and_wait(sample_slip(), timeout=5)
    spool.close()
    assert not outcome.ok and "driver exploded" in (outcome.error or "")
    assert printer.calls == 3
    assert results[0][0] == "А-017" and not results[0][1].ok


def test_one_worker_serialises_jobs_in_order() -> None:
    seen: list[str] = []
    lock = threading.Lock()

    class Recorder:
        name = "fake://rec"

        def print_slip(self, slip: TicketSlip) -> PrintOutcome:
            with lock:
                seen.append(slip.code)
            time.sleep(0.005)
            return PrintOutcome(ok=True, printer=self.name)

    spool = PrintSpool(Recorder())
    slips = [sample_slip() for _ in range(5)]
    futures = [spool.submit(s.__class__(**{**s.__dict__, "code": f"А-{i:03d}"})) for i, s in enumerate(slips)]
    assert all(f.result(timeout=5).ok for f in futures)
    spool.close()
    assert seen == [f"А-{i:03d}" for i in range(5)]
    assert sum(t.name.startswith("print-spool fake://rec") for t in threading.enumerate()) == 0


def test_wait_timeout_withdraws_a_queued_job() -> None:
    results: list[tuple[str, PrintOutcome]] = []
    printer = FlakyPrinter(failures=0, delay=0.5)
    spool = PrintSpool(printer, on_result=lambda ref, o: results.append((ref, o)))
    spool.submit(sample_slip(), ticket_ref="first")
    start = time.monotonic()
    outcome = spool.submit_and_wait(sample_slip(), timeout=0.1, ticket_ref="second")
    assert time.monotonic() - start < 0.4
    assert not outcome.ok and "within 0.1s" in (outcome.error or "")
    spool.close()
    assert printer.calls == 1  # the withdrawn job was never printed late
    assert [r for r, _ in results] == ["first", "second"]
    assert results[1][1].error and results[1][1].error.startswith("withdrawn")


def test_closed_spool_and_callback_errors_do_not_raise() -> None:
    def bad_callback(ref: str, outcome: PrintOutcome) -> None:
        raise ValueError("logger down")

    spool = PrintSpool(FlakyPrinter(failures=0), on_result=bad_callback)
    assert spool.submit_and_wait(sample_slip(), timeout=5).ok
    spool.close()
    assert not spool.submit(sample_slip()).result(timeout=1).ok


def test_registry_gives_one_spool_per_url(tmp_path) -> None:
    registry = SpoolRegistry()
    a = registry.get(f"png://{tmp_path}")
    assert registry.get(f"png://{tmp_path}") is a
    assert registry.get("dummy://") is not a
    assert a.submit_and_wait(sample_slip(), timeout=10).ok
    registry.close_all()
