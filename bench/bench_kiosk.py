"""Kiosk tap-to-ticket over HTTP: menu fetch + POST /kiosk/tickets (which prints before answering).

    .venv/bin/python bench/bench_kiosk.py            # 300 tickets per row, temporary SQLite
    .venv/bin/python bench/bench_kiosk.py -n 1000

Starts a real `reception serve` process on a temporary SQLite file; its kiosks print through the
production path (print spool -> ESC/POS renderer -> ``dummy://`` transport), once in text mode and
once in image mode.  One visitor = GET /kiosk/menu then POST /kiosk/tickets, timed end to end.
Prints a table; not a test.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reception.platform.clock import SystemClock  # noqa: E402
from reception.platform.db import connect  # noqa: E402
from reception.platform.orm import Base  # noqa: E402
from reception.schema import tables as models_all  # noqa: E402,F401
from reception.schema.migrate import seed_reference_data  # noqa: E402
from tests.fakes import add_device, build_office  # noqa: E402
from tests.servers import Server  # noqa: E402

PRINTERS = {"ESC/POS text": "dummy://?mode=text", "ESC/POS image": "dummy://"}


def prepare(url: str, kiosks_per_printer: int) -> dict[str, list[str]]:
    """A fresh office with kiosks per printer kind; returns their tokens."""
    db = connect(url)
    Base.metadata.create_all(db.write_engine)
    seed_reference_data(db)
    build_office(db, "B")
    clock = SystemClock()
    tokens = {name: [add_device(db, clock, "kiosk", "B", printer_url=printer)  # type: ignore[arg-type]
                     for _ in range(kiosks_per_printer)]
              for name, printer in PRINTERS.items()}
    db.dispose()
    return tokens


def visitor(session: requests.Session, base: str, token: str, service: str) -> tuple[float, float]:
    """One tap-to-ticket: (menu seconds, ticket seconds)."""
    headers = {"Authorization": f"Bearer {token}"}
    t0 = time.perf_counter()
    menu = session.get(f"{base}/api/v1/kiosk/menu", params={"lang": "uk"}, headers=headers, timeout=10)
    assert menu.status_code == 200, menu.text
    t1 = time.perf_counter()
    r = session.post(f"{base}/api/v1/kiosk/tickets", json={"service": service, "priority": None, "lang": "uk"},
                     headers=headers, timeout=30)
    assert r.status_code == 201 and r.json()["print"]["ok"], r.text
    return t1 - t0, time.perf_counter() - t1


def run(base: str, tokens: list[str], n: int) -> tuple[float, list[float], list[float], list[float]]:
    """``n`` visitors spread over the given kiosks in parallel (one visitor at a time per kiosk)."""
    menus: list[float] = []
    posts: list[float] = []
    totals: list[float] = []
    lock = threading.Lock()

    def kiosk(index: int) -> None:
        session = requests.Session()
        for i in range(n // len(tokens)):
            menu_s, post_s = visitor(session, base, tokens[index], ("consult", "appeal")[i % 2])
            with lock:
                menus.append(menu_s)
                posts.append(post_s)
                totals.append(menu_s + post_s)

    start = time.perf_counter()
    with ThreadPoolExecutor(len(tokens)) as pool:
        list(pool.map(kiosk, range(len(tokens))))
    return time.perf_counter() - start, menus, posts, totals


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=300, help="tickets per row")
    parser.add_argument("--kiosks", type=int, default=4, help="kiosks working at once in the parallel rows")
    args = parser.parse_args()
    url = f"sqlite:///{tempfile.mkdtemp()}/bench_kiosk.db"
    tokens = prepare(url, args.kiosks)
    server = Server(url).start()
    try:
        rows = []
        for name, kiosk_tokens in tokens.items():
            visitor(requests.Session(), server.url, kiosk_tokens[0], "consult")  # warm up renderer and spool
            for kiosks in (1, args.kiosks):
                elapsed, menus, posts, totals = run(server.url, kiosk_tokens[:kiosks], args.n)
                rows.append((name, kiosks, len(totals) / elapsed, statistics.median(menus) * 1000,
                             statistics.median(posts) * 1000, statistics.median(totals) * 1000, pct(totals, 99)))
        print(f"\nKiosk tap-to-ticket over HTTP: SQLite, one `reception serve` process, {args.n} tickets per row")
        print("(menu = GET /kiosk/menu; ticket = POST /kiosk/tickets incl. render + spool + dummy:// print)")
        print(f"{'printer':<15}{'kiosks':>7}{'tickets/s':>11}{'menu p50':>10}{'ticket p50':>12}"
              f"{'tap p50 ms':>12}{'tap p99 ms':>12}")
        for name, kiosks, rate, menu50, post50, p50, p99 in rows:
            print(f"{name:<15}{kiosks:>7}{rate:>11.1f}{menu50:>10.1f}{post50:>12.1f}{p50:>12.1f}{p99:>12.1f}")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
