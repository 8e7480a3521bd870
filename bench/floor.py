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

import requests

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from run import kiosk_and_desks, pct, prepare, timed  # noqa: E402

from tests.servers import Server, free_port  # noqa: E402


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


def measure(issue, call, n: int, concurrency: int) -> dict[str, tuple[float, float, float]]:  # type: ignore[no-untyped-def]
    out = {}
    for name, fn in (("issue", issue), ("call-next", call)):
        elapsed, lat = timed(fn, n, concurrency)
        out[name] = (len(lat) / elapsed, statistics.median(lat) * 1000, pct(lat, 99))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", help="PostgreSQL URL (its tables are dropped and recreated)")
    parser.add_argument("-n", type=int, default=400, help="requests per measurement")
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
            product = measure(issue, call, args.n, concurrency)
            base_line = measure(floor_issue, floor_call, args.n, concurrency)
            for op in ("issue", "call-next"):
                rps, p50, p99 = product[op]
                frps, _fp50, fp99 = base_line[op]
                print(f"{op:<11}{concurrency:>6}{rps:>13.1f}{frps:>11.1f}{rps / frps:>7.2f}"
                      f"{p50:>8.1f}{p99:>8.1f}{fp99:>10.1f}{p99 / fp99:>7.2f}")
    finally:
        server.stop()
        floor.terminate()
        floor.wait(timeout=10)


if __name__ == "__main__":
    main()
