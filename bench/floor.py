"""The product beside its floor, in one run: kiosk ticket issue and call-next over HTTP.

    .venv/bin/python bench/floor.py                      # SQLite (temporary files)
    .venv/bin/python bench/floor.py --pg postgresql+psycopg://postgres@127.0.0.1:5432/test

The floor (bench/floor_app.py) is a minimal Flask + SQLAlchemy app numbering tickets the same
safe way on the same kind of server and database.  Prints req/s and p50/p99 of each, and the
product's share of the floor's throughput (goal >= 0.5) and its p99 against the floor's
(goal <= 2x).  Not a test: figures.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any, NamedTuple

import requests

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from run import kiosk_and_desks, pct, prepare, timed  # noqa: E402

from tests.servers import Server, free_port  # noqa: E402


class Figures(NamedTuple):
    rps: float
    p50_ms: float
    p99_ms: float


def start_floor(url: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, str(HERE / "floor_app.py"), "--db", url, "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=HERE.parent)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=1)
            return proc, base
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("floor app did not start")


def measure(product: Any, floor: Any, n: int, concurrency: int, rounds: int) -> tuple[Figures, Figures]:
    """One operation, product and floor in alternating rounds of ``n // rounds`` requests: a slow
    spell of a shared box falls on both sides instead of on whichever ran during it."""
    spent: dict[str, float] = {"product": 0.0, "floor": 0.0}
    lat: dict[str, list[float]] = {"product": [], "floor": []}
    for _ in range(rounds):
        for side, fn in (("product", product), ("floor", floor)):
            elapsed, latencies = timed(fn, n // rounds, concurrency)
            spent[side] += elapsed
            lat[side] += latencies
    product_fig, floor_fig = (Figures(len(lat[side]) / spent[side], statistics.median(lat[side]) * 1000,
                                      pct(lat[side], 99)) for side in ("product", "floor"))
    return product_fig, floor_fig


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", help="PostgreSQL URL (its tables are dropped and recreated)")
    parser.add_argument("-n", type=int, default=400, help="requests per measurement")
    parser.add_argument("--rounds", type=int, default=4, help="alternating product/floor rounds per measurement")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp()
    product_url = args.pg or f"sqlite:///{tmp}/product.db"
    floor_url = args.pg or f"sqlite:///{tmp}/floor.db"
    kiosk, users = prepare(product_url)
    server = Server(product_url).start()
    floor, floor_base = start_floor(floor_url)
    base = server.url
    try:
        issue, call = kiosk_and_desks(base, kiosk, users)

        def floor_issue(s: requests.Session, _i: int) -> None:
            assert s.post(f"{floor_base}/issue", timeout=30).status_code == 201

        def floor_call(s: requests.Session, _i: int) -> None:
            assert s.post(f"{floor_base}/call", timeout=30).status_code == 200

        print(f"\n{'PostgreSQL' if args.pg else 'SQLite'}: product (`reception serve`) beside the floor "
              f"(bench/floor_app.py), same server kind, {args.n} requests per row")
        print(f"{'operation':<11}{'conc.':>6}{'product r/s':>13}{'floor r/s':>11}{'ratio':>7}"
              f"{'p50 ms':>8}{'p99 ms':>8}{'floor p99':>10}{'p99 x':>7}")
        for concurrency in (1, 8):
            for op, product_fn, floor_fn in (("issue", issue, floor_issue), ("call-next", call, floor_call)):
                mine, base_line = measure(product_fn, floor_fn, args.n, concurrency, args.rounds)
                print(f"{op:<11}{concurrency:>6}{mine.rps:>13.1f}{base_line.rps:>11.1f}{mine.rps / base_line.rps:>7.2f}"
                      f"{mine.p50_ms:>8.1f}{mine.p99_ms:>8.1f}{base_line.p99_ms:>10.1f}{mine.p99_ms / base_line.p99_ms:>7.2f}")
    finally:
        server.stop()
        floor.terminate()
        floor.wait(timeout=10)


if __name__ == "__main__":
    main()
