"""Wall-display fan-out: call-next -> `called` receipt latency, and memory per connected display.

    .venv/bin/python bench/bench_display.py                 # SQLite file, Redis on localhost
    .venv/bin/python bench/bench_display.py --levels 50,200 --calls 20 --interval 0.25 \
        --redis redis://127.0.0.1:6379/0

Starts real `reception serve` processes (gunicorn, one gevent worker, as shipped) and connects N
wall displays to ``/display`` over the websocket transport. The displays are minimal Engine.IO /
Socket.IO clients (aiohttp websockets, a few asyncio worker processes): a display stamps a frame
the moment it is read and parses nothing else, so the figures are the server's, not the clients'.

For each N, K calls are made over HTTP, one every ``--interval`` seconds. The office has no
double-click window (``double_call_window_s`` 0), so every call calls a new visitor and publishes
one `called` event; a call that called nobody new is counted and left out. One clock on both
sides (CLOCK_MONOTONIC, system-wide on Linux): latency = a display's receipt - the moment the
call's request was sent. Expected receipts = calls that published x N; a receipt missing at the
end counts as missed, never as a latency. "One process": clients and the call on the same server.
"Two processes": the call goes to server A, the displays sit on server B, events travel through
Redis. Prints a table; not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, NamedTuple

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from run import cpu_s  # noqa: E402

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
LATE_MS = 2000.0  # "late": a called number shown more than 2 s after the clerk pressed Next


def rss_kb(pid: int) -> int:
    with open(f"/proc/{pid}/status") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("VmRSS:"))


def prepare(url: str, tickets: int) -> dict[str, str]:
    db = connect(url)
    Base.metadata.drop_all(db.write_engine)
    Base.metadata.create_all(db.write_engine)
    seed_reference_data(db)
    # No double-click window: a second Next within it would answer the same visitor and publish nothing.
    build_office(db, OFFICE, desks=[dict(code="1", name_uk="Вікно 1", name_en="Window 1", services=["consult"])],
                 settings={"double_call_window_s": 0})
    clock = SystemClock()
    info = {"display": add_device(db, clock, "display", OFFICE),  # type: ignore[arg-type]
            "kiosk": add_device(db, clock, "kiosk", OFFICE)}  # type: ignore[arg-type]
    add_user(db, clock, "benchop", ["operator"], [OFFICE])  # type: ignore[arg-type]
    run = services(db, clock)
    for _ in range(tickets):
        run.value(issue_ticket, office_code=OFFICE, service_code="consult")
    db.dispose()
    return info


# --- the displays: minimal Socket.IO clients, a share of them per worker process -------------------

CALLED = '42/display,["called",'


async def _display(session: Any, url: str, token: str, index: int, ready: asyncio.Future[None],
                   arrivals: list[tuple[int, str, float]], lost: list[int], frames: list[int]) -> None:
    """One wall display: Engine.IO v4 over a websocket, the /display namespace, pongs; stamps `called`."""
    ws_url = url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
    try:
        async with session.ws_connect(ws_url, autoping=True, max_msg_size=0) as ws:
            opening = await ws.receive_str()
            assert opening.startswith("0"), opening
            await ws.send_str("40/display," + json.dumps({"token": token}))
            while True:
                msg = await ws.receive()
                now = time.monotonic()  # first thing: the moment the frame is read
                if msg.type.name != "TEXT":
                    break
                data = msg.data
                if data.startswith("42"):  # any event: what each display is sent costs the server a frame
                    frames[0] += 1
                if data.startswith(CALLED):
                    arrivals.append((index, json.loads(data[len("42/display,"):])[1]["code"], now))
                elif data == "2":  # Engine.IO ping: answer, or the server drops the display
                    await ws.send_str("3")
                elif data.startswith("40/display,") and not ready.done():
                    ready.set_result(None)
                elif data.startswith("44/display,"):
                    raise RuntimeError(f"display refused: {data}")
    except Exception as exc:  # noqa: BLE001 - reported to the bench, not raised in a task nobody awaits
        if not ready.done():
            ready.set_exception(exc)
    lost.append(index)


async def _worker(url: str, token: str, first_index: int, commands: Any, replies: Any) -> None:
    import aiohttp

    loop = asyncio.get_running_loop()
    arrivals: list[tuple[int, str, float]] = []
    lost: list[int] = []
    frames = [0]  # event frames heard by this worker's displays since the last collect
    tasks: list[asyncio.Task[None]] = []
    gate = asyncio.Semaphore(20)  # handshakes in flight at once per worker
    # limit=0: aiohttp's default pool holds 100 connections, and each display keeps one for good.
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:

        async def one(index: int) -> None:
            ready: asyncio.Future[None] = loop.create_future()
            async with gate:
                tasks.append(asyncio.create_task(_display(session, url, token, index, ready, arrivals, lost, frames)))
                await asyncio.wait_for(ready, 60)

        while True:
            cmd, arg = await loop.run_in_executor(None, commands.get)
            if cmd == "connect":
                start = first_index + len(tasks)
                await asyncio.gather(*(one(start + i) for i in range(arg)))
                replies.put(("connected", len(tasks) - len(lost), rss_kb(os.getpid())))
            elif cmd == "collect":
                replies.put(("arrivals", list(arrivals), len(lost), frames[0]))
                arrivals.clear()  # in place: every display's task holds this very list
                frames[0] = 0
            else:
                return


def worker(url: str, token: str, first_index: int, commands: Any, replies: Any) -> None:
    asyncio.run(_worker(url, token, first_index, commands, replies))


class Fleet:
    def __init__(self, url: str, token: str, workers: int = WORKERS) -> None:
        ctx = mp.get_context("spawn")
        self.pipes = [(ctx.Queue(), ctx.Queue()) for _ in range(workers)]
        # Display numbers are unique across workers: worker w numbers its displays from w * 100,000.
        self.procs = [ctx.Process(target=worker, args=(url, token, w * 100_000, c, r), daemon=True)
                      for w, (c, r) in enumerate(self.pipes)]
        for p in self.procs:
            p.start()
        self.size = 0

    def grow_to(self, n: int) -> tuple[int, int]:
        """Connect displays up to n in all; returns (displays open, the workers' total RSS in kB)."""
        extra = n - self.size
        shares = [extra // len(self.pipes) + (1 if i < extra % len(self.pipes) else 0) for i in range(len(self.pipes))]
        for (commands, _), share in zip(self.pipes, shares, strict=True):
            commands.put(("connect", share))
        total_rss = total_open = 0
        for _, replies in self.pipes:
            _tag, count, rss = replies.get(timeout=600)
            total_rss += rss
            total_open += count
        self.size = n
        return total_open, total_rss

    def arrivals(self) -> tuple[list[tuple[int, str, float]], int, int]:
        """The `called` receipts since the last look, displays lost, event frames heard."""
        merged: list[tuple[int, str, float]] = []
        lost = heard = 0
        for commands, _ in self.pipes:
            commands.put(("collect", None))
        for _, replies in self.pipes:
            _tag, got, gone, frames = replies.get(timeout=60)
            merged += got
            lost += gone
            heard += frames
        return merged, lost, heard

    def stop(self) -> None:
        for commands, _ in self.pipes:
            commands.put(("stop", None))
        for p in self.procs:
            p.join(timeout=5)
            if p.is_alive():
                p.kill()
                p.join(timeout=5)


# --- the run -------------------------------------------------------------------------------------------


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] if ordered else float("nan")


class Row(NamedTuple):
    mode: str
    displays: int
    published: int
    calls: int
    received: int
    expected: int
    negative: int
    p50: float
    p99: float
    worst: float
    late_share: float
    call_p50: float
    server_cpu_ms: float  # the listening server's CPU per published call
    server_kb: float
    client_kb: float
    lost: int
    frames: float  # event frames each display was sent per published call


def run_mode(name: str, caller: Server, listener: Server, info: dict[str, str], levels: list[int],
             calls: int, interval: float, settle: float, workers: int) -> list[Row]:
    http = requests.Session()
    r = http.post(f"{caller.url}/api/v1/auth/token", json={"username": "benchop", "password": "secret-pass-1"},
                  timeout=10)
    r.raise_for_status()
    http.headers["Authorization"] = f"Bearer {r.json()['token']}"
    http.post(f"{caller.url}/api/v1/desks/1/open", timeout=10).raise_for_status()
    fleet = Fleet(listener.url, info["display"], workers)
    rows = []
    try:
        listening = listener.worker_pid()
        base_rss = rss_kb(listening)
        _open, client_base = fleet.grow_to(0)
        fleet.arrivals()
        for n in levels:
            opened, client_rss = fleet.grow_to(n)
            time.sleep(1.0)  # let the connects' snapshots and heartbeats settle
            server_rss = rss_kb(listening)
            fleet.arrivals()  # the connects' snapshots are not the calls' frames
            sent: dict[str, float] = {}
            answered: list[float] = []
            cpu_before = cpu_s([listening])
            next_at = time.monotonic()
            for _ in range(calls):
                next_at += interval
                t0 = time.monotonic()
                resp = http.post(f"{caller.url}/api/v1/desks/1/call-next", timeout=30)
                answered.append((time.monotonic() - t0) * 1000)
                resp.raise_for_status()
                code = resp.json()["code"] if resp.status_code == 200 else None
                if code is not None and code not in sent:  # a new visitor: one `called` event
                    sent[code] = t0
                time.sleep(max(0.0, next_at - time.monotonic()))
            time.sleep(settle)
            cpu_used = cpu_s([listening]) - cpu_before
            arrivals, lost, frames = fleet.arrivals()
            seen: set[tuple[int, str]] = set()
            latencies: list[float] = []
            for display, code, stamp in arrivals:
                if code in sent and (display, code) not in seen:
                    seen.add((display, code))
                    latencies.append((stamp - sent[code]) * 1000)
            negative = sum(1 for x in latencies if x < 0)  # impossible on one clock; shown if it ever happens
            late = sum(1 for x in latencies if x > LATE_MS)
            row = Row(name, n, len(sent), calls, len(latencies), opened * len(sent), negative,
                      pct(latencies, 0.5), pct(latencies, 0.99), max(latencies, default=float("nan")),
                      late / len(latencies) if latencies else float("nan"), pct(answered, 0.5),
                      cpu_used * 1000 / max(1, len(sent)), (server_rss - base_rss) / n, (client_rss - client_base) / n,
                      lost, frames / max(1, opened * len(sent)))
            rows.append(row)
            print(f"  {name:<22} N={n:<4} open {opened}  received {row.received}/{row.expected}  "
                  f"p50 {row.p50:.1f} ms  p99 {row.p99:.1f} ms  max {row.worst:.1f} ms  "
                  f">2 s {100 * row.late_share:.1f}%", flush=True)
    finally:
        fleet.stop()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--levels", default="50,200,500")
    parser.add_argument("--calls", type=int, default=20, help="calls per level")
    parser.add_argument("--interval", type=float, default=0.25, help="seconds between the starts of two calls")
    parser.add_argument("--settle", type=float, default=3.0, help="seconds to wait for late events after the calls")
    parser.add_argument("--workers", type=int, default=WORKERS, help="client processes holding the displays")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--pg", default=None, help="PostgreSQL URL (default: a temporary SQLite file)")
    parser.add_argument("--only", choices=["one", "two"], help="run one mode only")
    args = parser.parse_args()
    levels = [int(x) for x in args.levels.split(",")]
    tmp = tempfile.mkdtemp(prefix="bench-display-")
    url = args.pg or f"sqlite:///{tmp}/bench.db"
    rows: list[Row] = []
    started = time.time()
    load_before = os.getloadavg()

    info = prepare(url, tickets=2 * len(levels) * args.calls + 10)
    if args.only != "two":
        one = Server(url).start()  # a display is a greenlet: the default WORKER_CONNECTIONS holds thousands
        try:
            rows += run_mode("one process", one, one, info, levels, args.calls, args.interval, args.settle,
                             args.workers)
        finally:
            one.stop()
    if args.only != "one":
        a, b = Server(url, args.redis).start(), Server(url, args.redis).start()
        try:
            rows += run_mode("two processes + Redis", a, b, info, levels, args.calls, args.interval, args.settle,
                             args.workers)
        finally:
            a.stop()
            b.stop()

    print()
    print(f"{'mode':<22} {'displays':>8} {'calls':>7} {'received':>13} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} "
          f"{'>2 s':>6} {'call ms':>8} {'CPU ms/call':>11} {'frames/d':>8} {'server kB/d':>11} {'client kB/d':>11}")
    for r in rows:
        print(f"{r.mode:<22} {r.displays:>8} {r.published:>3}/{r.calls:<3} {r.received:>6}/{r.expected:<6} "
              f"{r.p50:>8.1f} {r.p99:>8.1f} {r.worst:>8.1f} {100 * r.late_share:>5.1f}% {r.call_p50:>8.1f} "
              f"{r.server_cpu_ms:>11.1f} {r.frames:>8.2f} {r.server_kb:>11.0f} {r.client_kb:>11.1f}"
              + (f"   negative latencies: {r.negative}" if r.negative else "")
              + (f"   displays lost: {r.lost}" if r.lost else ""))
    print(f"\ncalls: published (a new visitor called) / made, one every {args.interval:g} s; received: first "
          f"receipts of a published call / published x displays open; latency from the call's request sent to "
          f"the display's receipt (one monotonic clock); >2 s: share of receipts later than that;")
    print("call ms: call-next's own answer time (p50); CPU ms/call: the listening server's CPU during the calls "
          "and the settle time, per published call; frames/d: event frames a display was sent per published call;")
    print("server kB/d: RSS growth of the listening server from 0 to N displays, per display; client kB/d: the same "
          "for the client workers (asyncio, aiohttp).")
    print(f"database {'PostgreSQL' if args.pg else 'SQLite'}; displays on {args.workers} client processes; "
          f"load average before {load_before[0]:.1f}, after {os.getloadavg()[0]:.1f} "
          f"({os.cpu_count()} cores); total {time.time() - started:.0f} s")


if __name__ == "__main__":
    main()
