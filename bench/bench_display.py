"""Wall-display fan-out: call-next -> `called` receipt latency, and memory per connected display.

    .venv/bin/python bench/bench_display.py                 # SQLite file, Redis on localhost
    .venv/bin/python bench/bench_display.py --levels 50,200 --calls 10 --redis redis://127.0.0.1:6379/0

Starts real `reception serve` processes (gunicorn, one gevent worker, as shipped) and
connects N python-socketio
display clients over the websocket transport, spread over a few worker processes so the
clients' own GIL does not dominate the figures. For each N: K calls are made over HTTP; each
client stamps the `called` event on arrival; latency = arrival - moment before the HTTP call.
"One process": clients and the call on the same server. "Two processes": the call goes to
server A, clients sit on server B, events travel through Redis. Prints a table; not a test.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reception.platform.clock import SystemClock  # noqa: E402
from reception.platform.db import connect  # noqa: E402
from reception.platform.orm import Base  # noqa: E402
from reception.queue.commands import issue_ticket  # noqa: E402
from reception.schema import tables as models_all  # noqa: E402,F401
from reception.schema.migrate import seed_reference_data  # noqa: E402
from tests.fakes import add_device, add_user, build_office, services  # noqa: E402
from tests.servers import Server  # noqa: E402

OFFICE = "BD"
WORKERS = 4


def rss_kb(pid: int) -> int:
    with open(f"/proc/{pid}/status") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("VmRSS:"))


def prepare(url: str, tickets: int) -> dict[str, str]:
    db = connect(url)
    Base.metadata.drop_all(db.write_engine)
    Base.metadata.create_all(db.write_engine)
    seed_reference_data(db)
    build_office(db, OFFICE, desks=[dict(code="1", name_uk="Вікно 1", name_en="Window 1", services=["consult"])])
    clock = SystemClock()
    info = {"display": add_device(db, clock, "display", OFFICE),  # type: ignore[arg-type]
            "kiosk": add_device(db, clock, "kiosk", OFFICE)}  # type: ignore[arg-type]
    add_user(db, clock, "benchop", ["operator"], [OFFICE])  # type: ignore[arg-type]
    run = services(db, clock)
    for _ in range(tickets):
        run.value(issue_ticket, office_code=OFFICE, service_code="consult")
    db.dispose()
    return info


# --- client workers --------------------------------------------------------------------------------


def worker(url: str, token: str, commands: Any, replies: Any) -> None:
    """Holds a share of the display clients; stamps every `called` it hears."""
    import socketio

    clients: list[Any] = []
    arrivals: dict[str, list[float]] = {}

    def make() -> Any:
        sio = socketio.Client(reconnection=False)

        def on_called(data: dict[str, Any]) -> None:
            arrivals.setdefault(data["code"], []).append(time.time())

        sio.on("called", on_called, namespace="/display")
        sio.connect(url, namespaces=["/display"], auth={"token": token}, transports=["websocket"], wait_timeout=30)
        return sio

    while True:
        cmd, arg = commands.get()
        if cmd == "connect":
            for _ in range(arg):
                clients.append(make())
            replies.put(("connected", len(clients), rss_kb(mp.current_process().pid or 0)))
        elif cmd == "collect":
            replies.put(("arrivals", arrivals))
            arrivals = {}


class Fleet:
    def __init__(self, url: str, token: str, workers: int = WORKERS) -> None:
        ctx = mp.get_context("spawn")
        self.pipes = [(ctx.Queue(), ctx.Queue()) for _ in range(workers)]
        self.procs = [ctx.Process(target=worker, args=(url, token, c, r), daemon=True) for c, r in self.pipes]
        for p in self.procs:
            p.start()
        self.size = 0

    def grow_to(self, n: int) -> int:
        """Connect clients up to n in all; returns the workers' total RSS (kB)."""
        extra = n - self.size
        shares = [extra // len(self.pipes) + (1 if i < extra % len(self.pipes) else 0) for i in range(len(self.pipes))]
        for (commands, _), share in zip(self.pipes, shares, strict=True):
            commands.put(("connect", share))
        total_rss = 0
        for _, replies in self.pipes:
            _tag, _count, rss = replies.get(timeout=300)
            total_rss += rss
        self.size = n
        return total_rss

    def arrivals(self) -> dict[str, list[float]]:
        merged: dict[str, list[float]] = {}
        for commands, _ in self.pipes:
            commands.put(("collect", None))
        for _, replies in self.pipes:
            _tag, got = replies.get(timeout=60)
            for code, stamps in got.items():
                merged.setdefault(code, []).extend(stamps)
        return merged

    def stop(self) -> None:
        # The clients die with their workers: a polite disconnect of hundreds takes minutes.
        for p in self.procs:
            p.kill()
            p.join(timeout=10)


# --- the run -------------------------------------------------------------------------------------------


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def run_mode(name: str, caller: Server, listener: Server, info: dict[str, str], levels: list[int],
             calls: int) -> list[tuple[Any, ...]]:
    http = requests.Session()
    r = http.post(f"{caller.url}/api/v1/auth/token", json={"username": "benchop", "password": "secret-pass-1"},
                  timeout=10)
    http.headers["Authorization"] = f"Bearer {r.json()['token']}"
    http.post(f"{caller.url}/api/v1/desks/1/open", timeout=10).raise_for_status()
    fleet = Fleet(listener.url, info["display"])
    rows = []
    try:
        base_rss = rss_kb(listener.worker_pid())
        client_base = fleet.grow_to(0)
        for n in levels:
            client_rss = fleet.grow_to(n)
            time.sleep(1.0)  # let the server settle its threads
            server_rss = rss_kb(listener.worker_pid())
            sent: dict[str, float] = {}
            for _ in range(calls):
                t0 = time.time()
                resp = http.post(f"{caller.url}/api/v1/desks/1/call-next", timeout=30)
                resp.raise_for_status()
                sent[resp.json()["code"]] = t0
                time.sleep(0.25)
            time.sleep(2.0)
            arrivals = fleet.arrivals()
            latencies = [(stamp - sent[code]) * 1000 for code, stamps in arrivals.items() if code in sent
                         for stamp in stamps]
            expected = n * calls
            rows.append((name, n, len(latencies), expected, pct(latencies, 0.5) if latencies else float("nan"),
                         pct(latencies, 0.99) if latencies else float("nan"),
                         max(latencies) if latencies else float("nan"),
                         (server_rss - base_rss) / n, (client_rss - client_base) / n))
            print(f"  {name:<22} N={n:<4} received {len(latencies)}/{expected}  "
                  f"p50 {rows[-1][4]:.1f} ms  p99 {rows[-1][5]:.1f} ms", flush=True)
    finally:
        fleet.stop()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--levels", default="50,200,500")
    parser.add_argument("--calls", type=int, default=10)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--pg", default=None, help="PostgreSQL URL (default: a temporary SQLite file)")
    args = parser.parse_args()
    levels = [int(x) for x in args.levels.split(",")]
    tmp = tempfile.mkdtemp(prefix="bench-display-")
    url = args.pg or f"sqlite:///{tmp}/bench.db"
    rows: list[tuple[Any, ...]] = []
    started = time.time()

    info = prepare(url, tickets=2 * len(levels) * args.calls + 10)
    one = Server(url).start()  # a display is a greenlet: the default WORKER_CONNECTIONS holds thousands
    try:
        rows += run_mode("one process", one, one, info, levels, args.calls)
    finally:
        one.stop()

    a, b = Server(url, args.redis).start(), Server(url, args.redis).start()
    try:
        rows += run_mode("two processes + Redis", a, b, info, levels, args.calls)
    finally:
        a.stop()
        b.stop()

    print()
    print(f"{'mode':<22} {'displays':>8} {'received':>13} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} "
          f"{'server kB/display':>18} {'client kB/display':>18}")
    for name, n, got, expected, p50, p99, worst, server_kb, client_kb in rows:
        print(f"{name:<22} {n:>8} {got:>6}/{expected:<6} {p50:>8.1f} {p99:>8.1f} {worst:>8.1f} "
              f"{server_kb:>18.0f} {client_kb:>18.0f}")
    print(f"\n{args.calls} calls per level; database {'PostgreSQL' if args.pg else 'SQLite'}; "
          f"clients on {WORKERS} worker processes; total {time.time() - started:.0f} s")
    print("server kB/display = RSS growth of the listening server from 0 to N displays, divided by N;")
    print("client kB/display = RSS growth of the client workers divided by N (python-socketio, threads).")


if __name__ == "__main__":
    main()
