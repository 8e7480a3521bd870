"""Fake network printers on 127.0.0.1: a good one, and the faults a kiosk meets in real life."""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from printers import EscposPrinter, PrintSpool, open_printer, parse_printer_url, sample_slip
from printers.connectors import TcpTransport
from reception.kernel.ports import PrintOutcome

STATUS_PRINTER, STATUS_PAPER = b"\x10\x04\x01", b"\x10\x04\x04"
GS_R_PAPER = b"\x1d\x72\x01"  # GS r 1: transmit the paper sensor status
PRINTER_BUFFER = 4096  # receive buffer of the fake device: real printers hold a few KB, not megabytes


class FakePrinter:
    """A TCP server thread acting as a raw-9100 printer with a chosen behaviour.

    ``print``: reads the job and answers status requests; ``stall``: accepts, never reads;
    ``reset``: reads ``reset_after`` bytes, then RST; ``close``: reads ``reset_after`` bytes, then
    closes normally.  ``buffer``: its receive buffer (None: the kernel's default, far bigger than
    a ticket, so a stalled printer still takes the whole job into the kernel).
    """

    def __init__(self, behaviour: str = "print", reset_after: int = 2048, failures: int = 0,
                 answers: tuple[bytes | None, bytes | None] = (b"\x12", b"\x12"), buffer: int | None = PRINTER_BUFFER,
                 gs_r: bytes | None = None) -> None:
        self.behaviour, self.reset_after, self.failures = behaviour, reset_after, failures
        self.answers = answers  # to DLE EOT 1 (printer) and DLE EOT 4 (paper); None: that one stays silent
        self.gs_r = gs_r  # to GS r 1 (paper sensor, in turn); None: not supported, silent
        self.jobs: list[bytes] = []
        self.connections = 0
        self.server = socket.create_server(("127.0.0.1", 0))
        if buffer is not None:
            self.server.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, buffer)
        self.port = self.server.getsockname()[1]
        self.job_done = threading.Event()
        self._stop = threading.Event()
        self._held: list[socket.socket] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"tcp://127.0.0.1:{self.port}"

    def _serve(self) -> None:
        self.server.settimeout(0.1)
        while not self._stop.is_set():
            try:
                conn, _ = self.server.accept()
            except TimeoutError:
                continue
            self.connections += 1
            behaviour = "reset" if self.connections <= self.failures else self.behaviour
            if behaviour == "stall":  # accept, never read, never answer
                self._held.append(conn)
            elif behaviour in ("reset", "close"):
                self._reset(conn, rst=behaviour == "reset")
            else:
                self._print(conn)

    def _print(self, conn: socket.socket) -> None:
        data = bytearray()
        conn.settimeout(5)
        with conn:
            while chunk := conn.recv(65536):
                data += chunk
                if chunk.endswith(STATUS_PRINTER) and self.answers[0] is not None:
                    conn.sendall(self.answers[0])
                elif chunk.endswith(STATUS_PAPER) and self.answers[1] is not None:
                    conn.sendall(self.answers[1])
                elif chunk.endswith(GS_R_PAPER) and self.gs_r is not None:
                    conn.sendall(self.gs_r)
        self.jobs.append(bytes(data).removesuffix(STATUS_PRINTER + STATUS_PAPER))  # post-job status check
        self.job_done.set()

    def _reset(self, conn: socket.socket, rst: bool = True) -> None:
        got = 0
        conn.settimeout(5)
        while got < self.reset_after and (chunk := conn.recv(self.reset_after - got)):
            got += len(chunk)
        if rst:
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        conn.close()  # RST, or FIN (the kernel answers what follows with RST)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        for conn in self._held:
            conn.close()
        self.server.close()


@contextmanager
def fake_printer(*args, **kwargs) -> Iterator[FakePrinter]:
    printer = FakePrinter(*args, **kwargs)
    try:
        yield printer
    finally:
        printer.close()


def timed_print(url: str) -> tuple[PrintOutcome, float]:
    start = time.monotonic()
    outcome = open_printer(url).print_slip(sample_slip())
    return outcome, time.monotonic() - start


def test_good_printer_receives_code_page_bytes_and_cut() -> None:
    with fake_printer() as fake:
        outcome, _ = timed_print(f"{fake.url}?profile=TM-T20II&mode=text")
        assert outcome == PrintOutcome(ok=True, printer=f"{fake.url}?profile=TM-T20II&mode=text")
        assert fake.job_done.wait(5)
    job = fake.jobs[0]
    assert job.startswith(b"\x1b@\x1bt\x2e")  # init, then CP1251 (table 46 on this profile)
    for text in ("Відкритий офіс Міністерства юстиції України", "А-017", "Її,", "Ґудзик,", "ІЄЇ,", "п'ять"):
        assert text.encode("cp1251") in job, text
    assert job.endswith(b"\x1dV\x00")  # full cut


def test_good_printer_receives_whole_image_job() -> None:
    with fake_printer() as fake:
        printer = open_printer(fake.url)
        assert isinstance(printer, EscposPrinter)
        expected = printer.render(sample_slip())
        assert printer.print_slip(sample_slip()).ok
        assert fake.job_done.wait(5)
    assert len(fake.jobs[0]) == len(expected) > 20_000
    assert fake.jobs[0].startswith(b"\x1b@\x1dv0\x00\x48\x00")  # 576 px = 72 bytes per row
    assert fake.jobs[0].endswith(b"\x1dV\x00")


def test_status_of_answering_printer() -> None:
    with fake_printer() as fake:
        status = open_printer(fake.url).status()
    assert status.online is True and status.paper == "ok"


def test_printer_reporting_paper_out_or_offline_fails_the_job() -> None:
    with fake_printer(answers=(b"\x12", b"\x72")) as fake:
        outcome, _ = timed_print(f"{fake.url}?mode=text")
        status = open_printer(fake.url).status()
    assert not outcome.ok and "paper out" in (outcome.error or "")
    assert status.paper == "out"
    with fake_printer(answers=(b"\x1a", b"\x12")) as fake:
        outcome, _ = timed_print(f"{fake.url}?mode=text")
    assert not outcome.ok and "offline" in (outcome.error or "")


def test_silent_printer_fails_unconfirmed_unless_known_silent() -> None:
    """A job the printer never confirms may be sitting unread in its buffer: not "printed"."""
    with fake_printer(answers=(b"", b"")) as fake:
        unconfirmed, _ = timed_print(f"{fake.url}?mode=text")
        trusted, _ = timed_print(f"{fake.url}?mode=text&confirm=0")  # configured as a printer that never answers
        status = open_printer(fake.url).status()
    assert not unconfirmed.ok and "did not confirm" in (unconfirmed.error or "") and not unconfirmed.retryable
    assert trusted.ok
    assert status.online is None and status.paper == "unknown"


def test_connection_refused_is_an_outcome() -> None:
    probe = socket.create_server(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    outcome, _ = timed_print(f"tcp://127.0.0.1:{port}")
    assert not outcome.ok and "refused" in (outcome.error or "") and outcome.retryable
    status = open_printer(f"tcp://127.0.0.1:{port}").status()
    assert status.online is False and status.paper == "unknown"


def test_printer_that_never_reads_with_a_small_buffer_stalls_the_write() -> None:
    with fake_printer("stall") as fake:
        outcome, _ = timed_print(fake.url)  # an image job: far more than the printer's 4 KB buffer
        status = open_printer(fake.url).status()
    assert not outcome.ok and "stopped reading" in (outcome.error or "") and not outcome.retryable
    assert status.online is None and status.paper == "unknown"  # silence is not "ok"


@pytest.mark.parametrize("mode", ["text", "image"])
def test_printer_that_accepts_but_never_reads_is_reported_failed(mode: str) -> None:
    """The kernel takes the whole job into its buffer; the printer itself never reads a byte."""
    with fake_printer("stall", buffer=None) as fake:
        outcome, elapsed = timed_print(f"{fake.url}?mode={mode}")
    print(f"never-reading printer ({mode}): failed after {elapsed:.2f}s")
    assert not outcome.ok and not outcome.retryable
    assert "did not confirm" in (outcome.error or "") or "stopped reading" in (outcome.error or "")


@pytest.mark.parametrize("behaviour", ["reset", "close"])
def test_printer_that_drops_the_connection_mid_job(behaviour: str) -> None:
    with fake_printer(behaviour, reset_after=2048, buffer=None) as fake:
        outcome, elapsed = timed_print(fake.url)
    print(f"printer that {behaviour}s mid-job: failed after {elapsed:.2f}s")
    assert not outcome.ok and outcome.error
    assert "reset" in outcome.error or "EPIPE" in outcome.error or "ECONNRESET" in outcome.error
    assert outcome.retryable  # nothing was printed whole: one more try is worth it


def test_unresolvable_host_is_an_outcome() -> None:
    outcome, _ = timed_print("tcp://printer.invalid:9100")
    assert not outcome.ok and outcome.error


def test_spool_does_not_retry_a_printer_that_took_the_job_without_reading() -> None:
    results: list[tuple[str, PrintOutcome]] = []
    with fake_printer("stall", buffer=None) as fake:
        spool = PrintSpool(open_printer(f"{fake.url}?mode=text"), on_result=lambda ref, o: results.append((ref, o)),
                           retries=2, backoff=(0.05,), name=fake.url)
        outcome = spool.submit_and_wait(sample_slip(), timeout=30, ticket_ref="ticket-3")
        spool.close()
        connections = fake.connections
    assert not outcome.ok and connections == 1  # a second copy could come out if it ever wakes up
    assert results == [("ticket-3", outcome)]


def test_spool_retries_a_reset_and_reports_via_callback() -> None:
    results: list[tuple[str, PrintOutcome]] = []
    with fake_printer(failures=1, reset_after=512) as fake:
        cfg = parse_printer_url(fake.url)
        printer = EscposPrinter(cfg, TcpTransport("127.0.0.1", fake.port, write_timeout=2))
        spool = PrintSpool(printer, on_result=lambda ref, o: results.append((ref, o)), retries=2,
                           backoff=(0.05,), name=fake.url)
        outcome = spool.submit_and_wait(sample_slip(), timeout=10, ticket_ref="ticket-1")
        spool.close()
        assert fake.job_done.wait(5)
    assert outcome.ok
    assert fake.connections == 2
    assert results == [("ticket-1", outcome)]


def test_spool_reports_failure_after_bounded_retries() -> None:
    results: list[tuple[str, PrintOutcome]] = []
    probe = socket.create_server(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    spool = PrintSpool(f"tcp://127.0.0.1:{port}", on_result=lambda ref, o: results.append((ref, o)),
                       retries=2, backoff=(0.05, 0.1))
    start = time.monotonic()
    outcome = spool.submit_and_wait(sample_slip(), timeout=10, ticket_ref="ticket-2")
    spool.close()
    print(f"refused three times: {time.monotonic() - start:.2f}s")
    assert not outcome.ok and "refused" in (outcome.error or "")
    assert results == [("ticket-2", outcome)]


@pytest.mark.parametrize("dle_eot_4, gs_r, paper, level", [
    (b"\x12", None, "ok", 2), (b"\x1e", None, "near_end", 1), (b"\x72", None, "out", 0),
    (None, b"\x00", "ok", 2), (None, b"\x03", "near_end", 1), (None, b"\x0c", "out", 0), (None, None, "unknown", None)])
def test_paper_sensor_over_tcp_in_python_escpos_numbers(dle_eot_4: bytes | None, gs_r: bytes | None, paper: str,
                                                         level: int | None) -> None:
    """DLE EOT 4 as a real printer answers it; a printer silent to it is asked GS r 1; silence stays unknown."""
    with fake_printer(answers=(b"\x12", dle_eot_4), gs_r=gs_r) as fake:
        printer = open_printer(fake.url)
        assert printer.status().paper == paper
        assert isinstance(printer, EscposPrinter) and printer.paper_status() == level
