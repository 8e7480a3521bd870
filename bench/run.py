"""Queue throughput over HTTP: tickets issued and call-next per second, p50/p99 latency.

    .venv/bin/python bench/run.py                      # SQLite (temporary file)
    .venv/bin/python bench/run.py --pg postgresql+psycopg://postgres@127.0.0.1:5432/test

Starts a real `reception serve` process (gunicorn, one gevent worker, as shipped; `--dev`:
Werkzeug's development server) and drives it with N client threads. Prints a table; not a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import requests
from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reception.platform.clock import SystemClock  # noqa: E402
from reception.platform.db import connect  # noqa: E402
from reception.platform.orm import Base  # noqa: E402
from reception.schema import tables as models_all  # noqa: E402,F401
from reception.schema.migrate import seed_reference_data  # noqa: E402
from tests.fakes import add_device, add_user, build_office  # noqa: E402
from tests.servers import Server  # noqa: E402

DESKS = 8


def prepare(url: str) -> tuple[str, list[str]]:
    db = connect(url)
    Base.metadata.drop_all(db.write_engine)
    Base.metadata.create_all(db.write_engine)
    seed_reference_data(db)
    desks = [dict(code=str(i), name_uk=f"Вікно {i}", name_en=f"Window {i}", services=["consult", "appeal"])
             for i in range(1, DESKS + 1)]
    # Desks here call back to back; a real clerk never does, so no double-click window.
    build_office(db, "B", desks=desks, settings={"double_call_window_s": 0})
    clock = SystemClock()
    kiosk = add_device(db, clock, "kiosk", "B")  # type: ignore[arg-type]
    users = [f"op{i}" for i in range(1, DESKS + 1)]
    for u in users:
        add_user(db, clock, u, ["operator"], ["B"])  # type: ignore[arg-type]
    db.dispose()
    return kiosk, users


def kiosk_and_desks(base: str, kiosk: str, users: list[str]) -> tuple[Any, Any]:
    """Sign the operators in, open their desks; the kiosk's issue and a desk's call-next as requests."""
    tokens = [requests.post(f"{base}/api/v1/auth/token", json={"username": u, "password": "secret-pass-1"},
                            timeout=10).json()["token"] for u in users]
    for i, tok in enumerate(tokens, start=1):
        requests.post(f"{base}/api/v1/desks/{i}/open", headers={"Authorization": f"Bearer {tok}"}, timeout=10)

    def issue(s: requests.Session, _i: int) -> None:
        r = s.post(f"{base}/api/v1/kiosk/tickets", json={"service": "consult"},
                   headers={"Authorization": f"Bearer {kiosk}"}, timeout=30)
        assert r.status_code == 201, r.text

    def call(s: requests.Session, i: int) -> None:
        r = s.post(f"{base}/api/v1/desks/{i + 1}/call-next", headers={"Authorization": f"Bearer {tokens[i]}"},
                   timeout=30)
        assert r.status_code == 200, r.text

    return issue, call


def timed(fn, n: int, concurrency: int) -> tuple[float, list[float]]:  # type: ignore[no-untyped-def]
    latencies: list[float] = []
    lock = threading.Lock()
    per_worker = n // concurrency

    def worker(i: int) -> None:
        session = requests.Session()
        for _ in range(per_worker):
            t0 = time.perf_counter()
            fn(session, i)
            dt = time.perf_counter() - t0
            with lock:
                latencies.append(dt)

    start = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(worker, range(concurrency)))
    return time.perf_counter() - start, latencies


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def process_tree(pid: int) -> list[int]:
    """A gunicorn master and its worker(s): the processes whose CPU a request costs."""
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return [pid, *(int(child) for child in fh.read().split())]
    except OSError:
        return [pid]


def cpu_s(pids: list[int]) -> float:
    """User + system CPU seconds of these processes (fields 14 and 15 of /proc/<pid>/stat)."""
    total = 0
    for pid in pids:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / CLOCK_TICKS


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", help="PostgreSQL URL (tables are dropped and recreated)")
    parser.add_argument("-n", type=int, default=400, help="requests per measurement")
    parser.add_argument("--dev", action="store_true", help="serve with `reception serve --dev` (Werkzeug)")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp()
    url = args.pg or f"sqlite:///{tmp}/bench.db"
    kiosk, users = prepare(url)
    server = Server(url, dev=args.dev).start()
    base = server.url
    try:
        issue, call = kiosk_and_desks(base, kiosk, users)

        rows = []
        for concurrency in (1, 8):
            elapsed, lat = timed(issue, args.n, concurrency)
            rows.append(("issue ticket", concurrency, len(lat) / elapsed, statistics.median(lat) * 1000, pct(lat, 99)))
            elapsed, lat = timed(call, args.n, concurrency)
            rows.append(("call-next", concurrency, len(lat) / elapsed, statistics.median(lat) * 1000, pct(lat, 99)))
        db_name = "PostgreSQL" if args.pg else "SQLite"
        served = "`reception serve --dev` (Werkzeug)" if args.dev else "`reception serve` (gunicorn gevent)"
        print(f"\n{db_name}, one {served} process, {args.n} requests per row")
        print(f"{'operation':<14}{'conc.':>6}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}")
        for name, conc, rps, p50, p99 in rows:
            print(f"{name:<14}{conc:>6}{rps:>9.1f}{p50:>9.1f}{p99:>9.1f}")
    finally:
        server.stop()
        if args.pg:
            db = connect(url)
            with db.write_engine.begin() as conn:
                conn.execute(text("SELECT 1"))
            db.dispose()


if __name__ == "__main__":
    main()
