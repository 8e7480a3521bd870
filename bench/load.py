"""A bounded load run on loopback: Debian's nginx, with the documented config, in front of two
`reception serve` processes sharing PostgreSQL and Redis; kiosks issue tickets, desks call
next and finish, hundreds of wall displays listen over Socket.IO.

    .venv/bin/python bench/load.py --pg postgresql+psycopg://postgres@127.0.0.1:5432/DB \\
        --redis redis://127.0.0.1:6379/0 [--seconds 60]

The PostgreSQL database's tables are dropped and recreated. Defaults: 32 kiosks, 16 desks and
500 displays spread over 8 offices, 60 s. Prints one table (throughput and p50/p99 of issue,
call-next and finish, call -> display latency, errors by kind, displays connected at the end)
and how the CPU was shared. Not a test: figures.

Clients: the kiosks and desks are asyncio tasks over aiohttp in this process; the displays are
python-socketio asyncio clients in one child process (polling first, then the websocket
upgrade, as a browser's Socket.IO does, through nginx's sticky cookie). Both share the machine's
cores with the servers, nginx, PostgreSQL and Redis, so the figures are a floor for that box,
not the servers' capacity alone. Times on both sides come from CLOCK_MONOTONIC (one clock for
every process on Linux).
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from run import pct  # noqa: E402

from tests.servers import Server  # noqa: E402

# Pacing (seconds), documented in the output. Compressed time: a real kiosk sees a visitor every
# minute or so and a real visit lasts minutes; here each kiosk and desk works back to back with
# a short pause, so that 32 kiosks and 16 desks make a busy central server's traffic.
KIOSK_THINK = (1.5, 4.5)  # a visitor reads the menu, taps, takes the slip
DESK_SERVICE = (1.0, 3.0)  # from the call-next answer to "finish"
DESK_IDLE = 1.0  # nobody waiting: the clerk presses Next again after this
SERVICES = (("consult", 0.7), ("appeal", 0.3))
# What board.js does with a `queue` hint: it applies the waiting counts the hint carries; a gap in
# the versions (or a hint without counts) asks for one debounced resync 1.2-2.0 s (+1.5 s unless a
# gap) later; a resync unanswered for 5 s (the server throttles) is asked again.
RESYNC_DELAY, RESYNC_HINT_EXTRA, RESYNC_WATCHDOG = (1.2, 2.0), 1.5, 5.0
GRACE = 3.0  # after the last call: events still on their way
CONNECT_AT_ONCE = 20  # displays connecting concurrently before the run


@dataclass
class Layout:
    offices: int
    kiosks: int
    desks: int
    displays: int

    def office(self, i: int) -> str:
        return f"L{i % self.offices + 1}"

    def desk_zone(self, local: int) -> str:
        return "ab"[local % 2]

    def display_zone(self, local: int) -> str | None:
        """One display in five shows the whole office; the others one zone each."""
        return None if local % 5 == 0 else "ab"[local % 2]


def prepare(url: str, layout: Layout) -> dict[str, Any]:
    """Fresh tables, the offices and their devices and staff; the tokens and who is where."""
    from reception.platform.clock import SystemClock
    from reception.platform.db import connect
    from reception.platform.orm import Base
    from reception.schema import tables as models_all  # noqa: F401
    from reception.schema.migrate import seed_reference_data
    from tests.fakes import add_device, add_user, build_office

    db = connect(url)
    Base.metadata.drop_all(db.write_engine)
    Base.metadata.create_all(db.write_engine)
    seed_reference_data(db)
    clock = SystemClock()
    desks = Counter(layout.office(d) for d in range(layout.desks))
    for i in range(layout.offices):
        code = layout.office(i)
        build_office(db, code, desks=[
            dict(code=str(n), name_uk=f"Вікно {n}", name_en=f"Window {n}", zone=layout.desk_zone(n - 1),
                 services=[s for s, _ in SERVICES]) for n in range(1, desks[code] + 1)])
    kiosks = [(layout.office(k), add_device(db, clock, "kiosk", layout.office(k)))  # type: ignore[arg-type]
              for k in range(layout.kiosks)]
    operators = []
    for code, count in desks.items():
        for n in range(1, count + 1):
            name = f"op{code.lower()}d{n}"
            add_user(db, clock, name, ["operator"], [code])  # type: ignore[arg-type]
            operators.append((code, str(n), layout.desk_zone(n - 1), name))
    displays = []
    for i in range(layout.displays):
        code, zone = layout.office(i), layout.display_zone(i // layout.offices)
        displays.append((code, zone, add_device(db, clock, "display", code, zone=zone)))  # type: ignore[arg-type]
    db.dispose()
    return {"kiosks": kiosks, "operators": operators, "displays": displays}


# --- measurements ------------------------------------------------------------------------------


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: Counter[str] = field(default_factory=Counter)
    calls: list[tuple[str, str, str, float, float]] = field(default_factory=list)  # office, zone, code, sent, answered
    idle_calls: int = 0
    last_done: float = 0.0

    def took(self, op: str, started: float) -> None:
        now = time.monotonic()
        self.latencies.setdefault(op, []).append(now - started)
        self.last_done = max(self.last_done, now)


async def _post(tally: Tally, http: Any, op: str, url: str, headers: dict[str, str],
                body: dict[str, Any]) -> tuple[int, Any, float, float]:
    """One request; (status, JSON or None, sent, answered); failures counted by kind."""
    import aiohttp

    sent = time.monotonic()
    try:
        async with http.post(url, json=body, headers=headers) as r:
            data = await r.json(content_type=None) if r.status != 204 else None
            status = r.status
    except (TimeoutError, aiohttp.ClientError) as exc:
        tally.errors[f"{op}: {type(exc).__name__}"] += 1
        return 0, None, sent, time.monotonic()
    return status, data, sent, time.monotonic()


async def kiosk(tally: Tally, http: Any, base: str, token: str, rng: random.Random, deadline: float) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    names, weights = [name for name, _ in SERVICES], [weight for _, weight in SERVICES]
    await asyncio.sleep(rng.uniform(0, KIOSK_THINK[1]))  # the kiosks do not all start on one beat
    while time.monotonic() < deadline:
        service = rng.choices(names, weights)[0]
        status, _, sent, _ = await _post(tally, http, "issue", f"{base}/api/v1/kiosk/tickets", headers,
                                         {"service": service})
        if status == 201:
            tally.took("issue", sent)
        elif status:
            tally.errors[f"issue: HTTP {status}"] += 1
        await asyncio.sleep(rng.uniform(*KIOSK_THINK))


async def desk(tally: Tally, http: Any, base: str, office: str, desk_code: str, zone: str, token: str,
               rng: random.Random, deadline: float) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    while time.monotonic() < deadline:
        status, ticket, sent, answered = await _post(
            tally, http, "call-next", f"{base}/api/v1/desks/{desk_code}/call-next?office={office}", headers, {})
        if status == 204:
            tally.idle_calls += 1
            await asyncio.sleep(DESK_IDLE)
            continue
        if status != 200:
            if status:
                tally.errors[f"call-next: HTTP {status}"] += 1
            await asyncio.sleep(DESK_IDLE)
            continue
        tally.took("call-next", sent)
        tally.calls.append((office, zone, ticket["code"], sent, answered))
        await asyncio.sleep(rng.uniform(*DESK_SERVICE))
        status, _, sent, _ = await _post(tally, http, "finish", f"{base}/api/v1/tickets/{ticket['id']}/finish",
                                         headers, {})
        if status == 200:
            tally.took("finish", sent)
        elif status:
            tally.errors[f"finish: HTTP {status}"] += 1


async def sign_in(http: Any, base: str, office: str, desk_code: str, username: str) -> str:
    async with http.post(f"{base}/api/v1/auth/token",
                         json={"username": username, "password": "secret-pass-1"}) as r:
        assert r.status == 200, await r.text()
        token = str((await r.json())["token"])
    async with http.post(f"{base}/api/v1/desks/{desk_code}/open?office={office}",
                         headers={"Authorization": f"Bearer {token}"}) as r:
        assert r.status == 200, await r.text()
    return token


async def drive(base: str, setup: dict[str, Any], seconds: float, seed: int, ready: Any) -> tuple[Tally, float]:
    """Sign the desks in, then run kiosks and desks until the deadline; (tally, t0)."""
    import aiohttp

    timeout = aiohttp.ClientTimeout(total=30)
    # One session (one keep-alive connection) per device, as separate machines would have.
    sessions = [aiohttp.ClientSession(timeout=timeout) for _ in range(len(setup["kiosks"]) + len(setup["operators"]))]
    try:
        desk_sessions = sessions[len(setup["kiosks"]):]
        tokens = [await sign_in(http, base, office, code, user)
                  for http, (office, code, _zone, user) in zip(desk_sessions, setup["operators"], strict=True)]
        await ready()
        tally = Tally()
        t0 = time.monotonic()
        deadline = t0 + seconds
        rng = random.Random(seed)
        tasks = [kiosk(tally, http, base, token, random.Random(rng.random()), deadline)
                 for http, (_office, token) in zip(sessions, setup["kiosks"], strict=False)]
        tasks += [desk(tally, http, base, office, code, zone, token, random.Random(rng.random()), deadline)
                  for http, (office, code, zone, _user), token in zip(desk_sessions, setup["operators"], tokens,
                                                                       strict=True)]
        await asyncio.gather(*tasks)
        return tally, t0
    finally:
        for http in sessions:
            await http.close()


# --- the displays (child process) ----------------------------------------------------------------


class Display:
    """One wall display: python-socketio's asyncio client, behaving as board.js does."""

    def __init__(self, base: str, office: str, zone: str | None, token: str, rng: random.Random,
                 resync: bool) -> None:
        import aiohttp
        import socketio

        self.base, self.office, self.zone, self.token, self.rng = base, office, zone, token, rng
        self.resyncs = resync  # False: only listen (to tell the resyncs' share of the load)
        # Its own cookie jar (a browser each): nginx's sticky cookie on a bare IP address is
        # refused by aiohttp's default jar, and without it long-polling would wander between processes.
        self.http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
        self.sio = socketio.AsyncClient(http_session=self.http, reconnection=True, reconnection_delay=1,
                                        reconnection_delay_max=30, randomization_factor=0.5)
        self.version = -1
        self.arrivals: dict[str, float] = {}
        self.counts: Counter[str] = Counter()
        self.timer: asyncio.TimerHandle | None = None  # board.js's resyncTimer
        self.watchdog: asyncio.TimerHandle | None = None  # and its resyncWatchdog
        ns = "/display"
        self.sio.on("snapshot", self.on_snapshot, namespace=ns)
        self.sio.on("called", self.on_called, namespace=ns)
        self.sio.on("recalled", self.on_called, namespace=ns)
        self.sio.on("queue", self.on_hint, namespace=ns)
        self.sio.on("disconnect", lambda *_: self.counts.update(["disconnects"]), namespace=ns)

    async def connect(self) -> None:
        await self.sio.connect(self.base, namespaces=["/display"], auth={"token": self.token},
                               transports=["polling", "websocket"], wait_timeout=30)

    def on_snapshot(self, snap: dict[str, Any]) -> None:
        self.counts["snapshots"] += 1
        self.version = max(self.version, int(snap.get("version", -1)))
        if self.watchdog is not None:
            self.watchdog.cancel()
            self.watchdog = None

    def on_called(self, call: dict[str, Any]) -> None:
        self.arrivals.setdefault(str(call.get("code")), time.monotonic())
        version = int(call.get("version", -1))
        if version > self.version:
            gap = self.version >= 0 and version > self.version + 1
            self.version = version
            if gap:
                self.schedule(0)

    def on_hint(self, hint: dict[str, Any]) -> None:
        self.counts["hints"] += 1
        version = int(hint.get("version", -1))
        if version > self.version:
            gap = version > self.version + 1
            self.version = version
            # board.js applies the counts a hint carries; only a gap, or a hint without counts, resyncs.
            if gap or not isinstance(hint.get("waiting"), dict):
                self.schedule(0 if gap else RESYNC_HINT_EXTRA)

    def schedule(self, extra: float) -> None:
        """board.js's scheduleResync: one pending resync at a time; a snapshot clears only the watchdog."""
        if self.timer is None and self.resyncs:
            self.timer = asyncio.get_running_loop().call_later(
                self.rng.uniform(*RESYNC_DELAY) + extra, lambda: asyncio.ensure_future(self.ask()))

    async def ask(self) -> None:
        self.timer = None
        if not self.sio.connected:
            return  # the snapshot on reconnect will do
        self.counts["resyncs"] += 1
        if self.watchdog is not None:
            self.watchdog.cancel()
        self.watchdog = asyncio.get_running_loop().call_later(RESYNC_WATCHDOG, lambda: self.schedule(0))
        await self.sio.emit("resync", namespace="/display")


def display_fleet(base: str, specs: list[tuple[str, str | None, str]], seed: int, resync: bool, pipe: Any) -> None:
    """The child process: connect every display, report, listen until told, report again."""
    asyncio.run(_fleet(base, specs, seed, resync, pipe))


async def _fleet(base: str, specs: list[tuple[str, str | None, str]], seed: int, resync: bool, pipe: Any) -> None:
    loop = asyncio.get_running_loop()
    rng = random.Random(seed)
    displays = [Display(base, office, zone, token, random.Random(rng.random()), resync)
                for office, zone, token in specs]
    errors: Counter[str] = Counter()
    gate = asyncio.Semaphore(CONNECT_AT_ONCE)

    async def connect(d: Display) -> None:
        async with gate:
            for attempt in range(5):  # board.js keeps retrying; a refused attempt is counted
                try:
                    await d.connect()
                    return
                except Exception as exc:  # noqa: BLE001 - any failure is one kind of error to count
                    errors[f"display connect: {type(exc).__name__}"] += 1
                    await asyncio.sleep(1 + attempt)

    started = time.monotonic()
    await asyncio.gather(*(connect(d) for d in displays))
    pipe.send(("connected", sum(d.sio.connected for d in displays), dict(errors), time.monotonic() - started))
    await loop.run_in_executor(None, pipe.recv)  # "report"
    counts: Counter[str] = Counter()
    for d in displays:
        counts.update(d.counts)
    pipe.send(("report", [(d.office, d.zone, d.arrivals) for d in displays],
               sum(d.sio.connected for d in displays), dict(counts)))
    await loop.run_in_executor(None, pipe.recv)  # "stop": the process is killed with its sockets


# --- CPU accounting ------------------------------------------------------------------------------------


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return [int(c) for c in fh.read().split()]
    except OSError:
        return []


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its children (gunicorn's master and worker, nginx's)."""
    total = 0.0
    for p in [pid, *_children(pid)]:
        try:
            with open(f"/proc/{p}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except OSError:
            pass
    return total


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, from /proc/stat."""
    with open("/proc/stat") as fh:
        values = [int(v) for v in fh.readline().split()[1:]]
    tick = os.sysconf("SC_CLK_TCK")
    idle = values[3] + values[4]
    return (sum(values) - idle) / tick, sum(values) / tick


def metric(url: str, name: str) -> float:
    import requests
    from prometheus_client.parser import text_string_to_metric_families

    text = requests.get(f"{url}/metrics", timeout=10).text
    return sum(s.value for f in text_string_to_metric_families(text) for s in f.samples if s.name == name)


# --- the run ---------------------------------------------------------------------------------------------


def nginx_version() -> str:
    from tests.integration.test_nginx import NGINX

    out = subprocess.run([NGINX, "-v"], capture_output=True, text=True).stderr.strip()
    return out.split("/", 1)[-1] if "/" in out else out


def spread(n: int, k: int) -> str:
    """n things dealt round-robin over k offices: how many each gets ("4" or "62-63")."""
    low, high = n // k, -(-n // k)
    return str(low) if low == high else f"{low}-{high}"


def deliveries(calls: list[tuple[str, str, str, float, float]],
               heard: list[tuple[str, str | None, dict[str, float]]]) -> tuple[list[float], list[float], int, int]:
    """Per call and per display that should show it (its office, unzoned or of the desk's zone):
    (latency from the call-next answer, latency from the request, delivered, missed)."""
    from_answer: list[float] = []
    from_request: list[float] = []
    missed = 0
    for office, zone, code, sent, answered in calls:
        for d_office, d_zone, arrivals in heard:
            if d_office != office or d_zone not in (None, zone):
                continue
            at = arrivals.get(code)
            if at is None:
                missed += 1
            else:
                from_answer.append(at - answered)
                from_request.append(at - sent)
    return from_answer, from_request, len(from_answer), missed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pg", required=True, help="PostgreSQL URL (its tables are dropped and recreated)")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--kiosks", type=int, default=32)
    parser.add_argument("--desks", type=int, default=16)
    parser.add_argument("--displays", type=int, default=500)
    parser.add_argument("--offices", type=int, default=8)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-resync", action="store_true",
                        help="displays only listen (no board.js resyncs): to tell their share of the load")
    args = parser.parse_args()
    from tests.integration.test_nginx import Nginx

    layout = Layout(args.offices, args.kiosks, args.desks, args.displays)
    started_at = datetime.now(UTC)
    setup = prepare(args.pg, layout)
    env = {"RECEPTION_PROXY_HOPS": "1",
           "RECEPTION_LOGIN_RATE_PER_ADDRESS": "1000 per minute"}  # 16 sign-ins a run, several runs a minute
    prefix = Path(tempfile.mkdtemp(prefix="reception-load-"))
    ctx = mp.get_context("spawn")
    pipe, child_end = ctx.Pipe()
    with ExitStack() as running:  # whatever started is stopped, even when a later start fails
        servers = []
        for _ in range(2):
            servers.append(Server(args.pg, args.redis, extra_env=env))
            running.callback(servers[-1].stop)
            servers[-1].start()
        proxy = Nginx(prefix, [s.port for s in servers], connections=4096)
        running.callback(proxy.stop)
        proxy.start()
        fleet = ctx.Process(target=display_fleet, daemon=True,
                            args=(proxy.url, setup["displays"], args.seed, not args.no_resync, child_end))
        fleet.start()
        running.callback(fleet.kill)  # the clients die with it: a polite disconnect of 500 is slow
        _, connected, connect_errors, connect_s = pipe.recv()
        print(f"{connected}/{len(setup['displays'])} displays connected in {connect_s:.1f} s", flush=True)

        def cpu_now() -> dict[str, float]:
            return {"servers": sum(cpu_seconds(s.proc.pid) for s in servers if s.proc),
                    "nginx": cpu_seconds(proxy.proc.pid) if proxy.proc else 0.0,
                    "displays": cpu_seconds(fleet.pid or 0), "drivers": time.process_time()}

        marks: dict[str, Any] = {}

        async def ready() -> None:  # the window opens: CPU counters start here
            marks["cpu"], marks["machine"] = cpu_now(), machine_busy()

        tally, t0 = asyncio.run(drive(proxy.url, setup, args.seconds, args.seed, ready))
        window = max(tally.last_done, t0 + args.seconds) - t0
        cpu, (busy, total) = cpu_now(), machine_busy()
        time.sleep(GRACE)
        server_side = [metric(s.url, "reception_connected_displays") for s in servers]
        refused = sum(metric(s.url, "reception_socketio_refused_total") for s in servers)
        pipe.send("report")
        _, heard, still_connected, counts = pipe.recv()
        pipe.send("stop")
    shutil.rmtree(prefix, ignore_errors=True)
    for s in servers:  # the servers' logs are kept only when something went wrong
        if tally.errors:
            print(f"server log: {s.log.name}")
        else:
            os.unlink(s.log.name)

    from_answer, from_request, delivered, missed = deliveries(tally.calls, heard)
    errors = tally.errors + Counter(connect_errors)
    if missed:
        errors["display: a call event that never arrived"] = missed
    lost = len(setup["displays"]) - still_connected
    if lost:
        errors["display: not connected at the end"] = lost
    if refused:
        errors["server: Socket.IO requests refused (no thread free)"] = int(refused)
    cores = os.cpu_count() or 1
    machine_cpu = busy - marks["machine"][0]
    machine_all = (total - marks["machine"][1]) or 1.0
    ours = {k: cpu[k] - marks["cpu"][k] for k in cpu}

    lines = [f"bench/load.py --seconds {args.seconds:g} --kiosks {args.kiosks} --desks {args.desks} "
             f"--displays {args.displays} --offices {args.offices} --seed {args.seed}"
             + (" --no-resync" if args.no_resync else ""),
             f"{started_at:%Y-%m-%d %H:%M} UTC; nginx {nginx_version()} (docs/deploy/nginx.conf, TLS lines dropped) "
             f"-> 2 x `reception serve` (gunicorn gevent, one worker each), PostgreSQL, Redis",
             f"layout: {args.offices} offices, each {spread(args.kiosks, args.offices)} kiosks, "
             f"{spread(args.desks, args.offices)} desks (zones a, b), {spread(args.displays, args.offices)} displays "
             f"(1 in 5 unzoned, the rest one zone each): {args.kiosks} kiosks, {args.desks} desks, "
             f"{args.displays} displays",
             f"pacing: kiosk = a ticket, then {KIOSK_THINK[0]:g}-{KIOSK_THINK[1]:g} s think time; desk = call-next, "
             f"{DESK_SERVICE[0]:g}-{DESK_SERVICE[1]:g} s service, finish, call-next at once "
             f"({DESK_IDLE:g} s pause if nobody waits); uniform at random, seed {args.seed}",
             "         display = " + ("listens only (--no-resync)" if args.no_resync else
                                  "board.js: counts from each hint; a resync 1.2-2 s after a gap in the versions "
                                  "(2.7-3.5 s after a hint without counts), again after 5 s unanswered"),
             "",
             f"{'operation':<38}{'count':>8}{'per s':>8}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}"]
    for op in ("issue", "call-next", "finish"):
        lat = tally.latencies.get(op, [])
        if lat:
            lines.append(f"{op:<38}{len(lat):>8}{len(lat) / window:>8.1f}{statistics.median(lat) * 1000:>9.1f}"
                         f"{pct(lat, 99):>9.1f}{max(lat) * 1000:>9.1f}")
        else:
            lines.append(f"{op:<38}{0:>8}")
    lines.append(f"{'call-next, nobody waiting (204)':<38}{tally.idle_calls:>8}{tally.idle_calls / window:>8.1f}")
    for name, lat in (("call -> display, from call-next answer", from_answer),
                      ("call -> display, from call-next sent", from_request)):
        if lat:
            lines.append(f"{name:<38}{len(lat):>8}{len(lat) / window:>8.1f}{statistics.median(lat) * 1000:>9.1f}"
                         f"{pct(lat, 99):>9.1f}{max(lat) * 1000:>9.1f}")
    lines += ["",
              f"displays connected at the end: {still_connected}/{len(setup['displays'])} (clients); "
              f"{sum(server_side):.0f} by the servers' reception_connected_displays "
              f"({' + '.join(f'{v:.0f}' for v in server_side)}); all connected in {connect_s:.1f} s before the window",
              f"display traffic: {counts.get('hints', 0)} queue hints, {counts.get('resyncs', 0)} resyncs asked, "
              f"{counts.get('snapshots', 0)} snapshots, {counts.get('disconnects', 0)} disconnects; "
              f"{delivered} call events delivered, {missed} missed",
              "errors: " + ("none" if not errors else "; ".join(f"{k}: {v}" for k, v in sorted(errors.items()))),
              f"window {window:.1f} s; CPU seconds in it: servers {ours['servers']:.1f}, nginx {ours['nginx']:.1f}, "
              f"display clients {ours['displays']:.1f}, kiosk and desk clients {ours['drivers']:.1f}; "
              f"machine busy {machine_cpu / machine_all * 100:.0f}% of {cores} cores "
              f"({machine_cpu - sum(ours.values()):.1f} CPU s by others: PostgreSQL, Redis, other sessions)"]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
