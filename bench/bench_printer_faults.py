"""How long a visitor waits for the verdict on a faulty network printer (real TCP on 127.0.0.1).

Run: .venv/bin/python bench/bench_printer_faults.py

Each fault is printed to through the kiosk's path (a spool with one retry, as the app wires
it) and through the printer alone; the table shows the outcome, the wait and the reason.
Prints a table; not a test.
"""

from __future__ import annotations

import socket
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from printers import PrintSpool, open_printer, sample_slip  # noqa: E402
from reception.kernel.ports import PrintOutcome  # noqa: E402
from tests.integration.printers.test_printers_network import fake_printer  # noqa: E402

CASES = {  # name: (FakePrinter keywords, URL options)
    "good printer (image)": ({}, ""),
    "good printer (text)": ({}, "?mode=text"),
    "never reads, big buffer (image)": ({"behaviour": "stall", "buffer": None}, ""),
    "never reads, big buffer (text)": ({"behaviour": "stall", "buffer": None}, "?mode=text"),
    "never reads, 4 KB buffer (image)": ({"behaviour": "stall"}, ""),
    "resets mid-job": ({"behaviour": "reset", "buffer": None}, ""),
    "closes mid-job": ({"behaviour": "close", "buffer": None}, ""),
    "silent, confirm=0 (text)": ({"answers": (b"", b"")}, "?mode=text&confirm=0"),
}


def timed(fn: Callable[[], PrintOutcome]) -> tuple[PrintOutcome, float]:
    start = time.monotonic()
    outcome = fn()
    return outcome, time.monotonic() - start


def alone(url: str) -> tuple[PrintOutcome, float]:
    return timed(lambda: open_printer(url).print_slip(sample_slip()))


def through_spool(url: str) -> tuple[PrintOutcome, float]:
    """As the kiosk prints: one spool per printer, one retry, a 10 s wait."""
    spool = PrintSpool(open_printer(url), retries=1, name=url)
    try:
        return timed(lambda: spool.submit_and_wait(sample_slip(), timeout=10))
    finally:
        spool.close()


def main() -> None:
    print(f"{'printer':<36}{'alone s':>9}{'kiosk s':>9}  outcome")
    for name, (fake_kwargs, options) in CASES.items():
        with fake_printer(**fake_kwargs) as fake:
            single, t_alone = alone(fake.url + options)
        with fake_printer(**fake_kwargs) as fake:
            kiosk, t_kiosk = through_spool(fake.url + options)
        verdict = "printed" if kiosk.ok else f"failed: {(kiosk.error or '').split(': ', 1)[-1][:70]}"
        assert single.ok == kiosk.ok
        print(f"{name:<36}{t_alone:>9.2f}{t_kiosk:>9.2f}  {verdict}")
    probe = socket.create_server(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    refused, t_refused = alone(f"tcp://127.0.0.1:{port}")
    print(f"{'refused':<36}{t_refused:>9.2f}{'':>9}  failed: {refused.error}", flush=True)


if __name__ == "__main__":
    main()
