"""Slow and silent clients against `reception serve`, directly and through nginx, while a kiosk issues tickets.

    .venv/bin/python bench/slow_clients.py [--seconds 30] [--pg URL] [--only direct|nginx] [--loads a,b]

Three loads, one after another, each for ``--seconds`` (loopback only; the attackers reconnect
whenever the server closes them, so the pressure lasts the whole phase, and stop by themselves):

- ``slowloris``: 400 connections, each sends a request line, then one header line every 10 s;
- ``silent``: 1,000 connections that send nothing;
- ``websockets``: 1,500 Engine.IO websocket handshakes (``/socket.io/?EIO=4&transport=websocket``),
  each kept open without answering the server's pings.

Meanwhile one kiosk issues a ticket (``POST /api/v1/kiosk/tickets``) every 0.25 s with a 10 s
timeout, from another loopback address (127.0.0.2) than the attackers (127.0.0.3). Prints, per
target and load: tickets issued / failed, p50 / p99 / max of the kiosk ticket, and what the
attackers saw. The attackers run in a child process (asyncio), the kiosk in this one.

Targets: one `reception serve` process (a one-office install facing clients itself) and Debian's
nginx with docs/deploy/nginx.conf (TLS lines dropped, as tests/integration/test_nginx.py runs it)
in front of it. SQLite in a temporary folder unless ``--pg`` (its tables are dropped). Not a test:
figures (docs/load.md).
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from run import pct  # noqa: E402

from tests.integration.test_nginx import NGINX, FromAddress, Nginx  # noqa: E402
from tests.servers import Server  # noqa: E402

KIOSK_ADDR, ATTACK_ADDR = "127.0.0.2", "127.0.0.3"
KIOSK_EVERY, KIOSK_TIMEOUT = 0.25, 10.0
LOADS = {"slowloris": 400, "silent": 1000, "websockets": 1500}
SLOWLORIS_EVERY = 10.0


def prepare(url: str) -> str:
    from reception.platform.clock import SystemClock
    from reception.platform.db import connect
    from reception.platform.orm import Base
    from reception.schema import tables as models_all  # noqa: F401
    from reception.schema.migrate import seed_reference_data
    from tests.fakes import add_device, build_office

    db = connect(url)
    Base.metadata.drop_all(db.write_engine)
    Base.metadata.create_all(db.write_engine)
    seed_reference_data(db)
    build_office(db, "B")
    kiosk = add_device(db, SystemClock(), "kiosk", "B")  # type: ignore[arg-type]
    db.dispose()
    return kiosk


# --- the attackers (child process, asyncio) ---------------------------------------------------------

async def _one(kind: str, host: str, port: int, until: float, seen: Counter[str]) -> None:
    """One attacking connection, reopened whenever the server closes it, until ``until``."""
    while time.monotonic() < until:
        try:
            reader, writer = await asyncio.open_connection(host, port, local_addr=(ATTACK_ADDR, 0))
        except OSError:
            seen["connect failed"] += 1
            await asyncio.sleep(0.5)
            continue
        seen["opened"] += 1
        try:
            if kind == "slowloris":
                writer.write(f"GET /kiosk/ HTTP/1.1\r\nHost: {host}:{port}\r\n".encode())
                await writer.drain()
                n = 0
                while time.monotonic() < until:
                    try:  # the server answering (or closing) ends this connection
                        data = await asyncio.wait_for(reader.read(4096), SLOWLORIS_EVERY)
                    except TimeoutError:
                        n += 1
                        writer.write(f"X-Slow-{n}: {n}\r\n".encode())
                        await writer.drain()
                        continue
                    seen["answered" if data else "closed by the server"] += 1
                    break
            elif kind == "silent":
                data = await asyncio.wait_for(reader.read(4096), max(0.0, until - time.monotonic()))
                seen["answered" if data else "closed by the server"] += 1
            else:
                writer.write((f"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: {host}:{port}\r\n"
                              "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
                              ).encode())
                await writer.drain()
                head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), max(0.1, until - time.monotonic()))
                status = head.split(b" ", 2)[1].decode() if head.startswith(b"HTTP/") else "?"
                seen[f"handshake {status}"] += 1
                while time.monotonic() < until:  # hold it open; never answer a ping
                    data = await asyncio.wait_for(reader.read(4096), max(0.0, until - time.monotonic()))
                    if not data:
                        seen["closed by the server"] += 1
                        break
        except TimeoutError:
            pass
        except (OSError, asyncio.IncompleteReadError):
            seen["closed by the server"] += 1
        finally:
            writer.close()
        if kind == "websockets":
            await asyncio.sleep(0.5)  # a display's client waits before it reconnects


async def _attack(kind: str, host: str, port: int, seconds: float) -> Counter[str]:
    seen: Counter[str] = Counter()
    until = time.monotonic() + seconds
    await asyncio.gather(*(_one(kind, host, port, until, seen) for _ in range(LOADS[kind])))
    return seen


def attack(kind: str, host: str, port: int, seconds: float, out: Any) -> None:
    out.put(dict(asyncio.run(_attack(kind, host, port, seconds))))


# --- the kiosk (this process) -----------------------------------------------------------------------

def kiosk(base: str, token: str, seconds: float) -> tuple[list[float], Counter[str]]:
    session = requests.Session()
    session.mount("http://", FromAddress(KIOSK_ADDR))
    latencies: list[float] = []
    failed: Counter[str] = Counter()
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        t0 = time.monotonic()
        try:
            r = session.post(f"{base}/api/v1/kiosk/tickets", json={"service": "consult"},
                             headers={"Authorization": f"Bearer {token}"}, timeout=KIOSK_TIMEOUT)
            if r.status_code == 201:
                latencies.append(time.monotonic() - t0)
            else:
                failed[f"HTTP {r.status_code}"] += 1
        except requests.RequestException as exc:
            failed[type(exc).__name__] += 1
        time.sleep(max(0.0, KIOSK_EVERY - (time.monotonic() - t0)))
    return latencies, failed


def phase(target: str, base: str, host: str, port: int, token: str, load: str, seconds: float) -> str:
    seen: dict[str, int] = {}
    proc = None
    if load != "none":
        out: Any = mp.get_context("fork").Queue()
        proc = mp.get_context("fork").Process(target=attack, args=(load, host, port, seconds, out))
        proc.start()
        time.sleep(0.2)  # the attack starts first: the kiosk meets it as it builds up
    latencies, failed = kiosk(base, token, seconds)
    if proc is not None:
        seen = out.get(timeout=seconds + 30)
        proc.join(timeout=10)
    issued = len(latencies)
    p50 = statistics.median(latencies) * 1000 if latencies else float("nan")
    p99 = pct(latencies, 99) if latencies else float("nan")
    worst = max(latencies) * 1000 if latencies else float("nan")
    fails = sum(failed.values())
    what = ", ".join(f"{k} {v}" for k, v in sorted(seen.items())) or "-"
    why = ", ".join(f"{k} {v}" for k, v in sorted(failed.items()))
    line = (f"{target:7} {load:11} {issued:6d} {fails:6d} {p50:8.1f} {p99:8.1f} {worst:8.1f}   "
            f"{why + '; ' if why else ''}attackers: {what}")
    print(line, flush=True)
    time.sleep(2)  # let the server close what is left before the next load
    return line


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=30.0, help="length of each load (default 30)")
    parser.add_argument("--pg", help="PostgreSQL URL (its tables are dropped and recreated)")
    parser.add_argument("--only", choices=("direct", "nginx"), help="one target only")
    parser.add_argument("--loads", default="none,slowloris,silent,websockets",
                        help="comma-separated, from: none,slowloris,silent,websockets")
    parser.add_argument("--env", action="append", default=[], metavar="KEY=VALUE",
                        help="extra environment for `reception serve` (e.g. RECEPTION_WORKER_THREADS=200)")
    args = parser.parse_args()
    loads = [x for x in args.loads.split(",") if x]
    assert all(x == "none" or x in LOADS for x in loads), loads
    assert args.seconds <= 300, "bounded: at most 300 s per load"
    tmp = Path(tempfile.mkdtemp(prefix="slow-clients-"))
    url = args.pg or f"sqlite:///{tmp}/bench.db"
    token = prepare(url)
    extra = dict(kv.split("=", 1) for kv in args.env)
    targets = [args.only] if args.only else ["direct", "nginx"]
    print(f"bench/slow_clients.py --seconds {args.seconds:g} --loads {','.join(loads)}"
          f"{' --pg' if args.pg else ''} {' '.join('--env ' + kv for kv in args.env)}")
    print(f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; database {'PostgreSQL' if args.pg else 'SQLite'}; "
          f"kiosk: a ticket every {KIOSK_EVERY:g} s, {KIOSK_TIMEOUT:g} s timeout; load average "
          f"{os.getloadavg()[0]:.1f}")
    print(f"{'target':7} {'load':11} {'issued':>6} {'failed':>6} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for target in targets:
        env = {"RECEPTION_PROXY_HOPS": "1"} if target == "nginx" else {}
        server = Server(url, extra_env=env | extra).start(timeout=120)  # a busy box starts slowly
        proxy = None
        try:
            if target == "nginx":
                if not os.access(NGINX, os.X_OK):
                    print(f"nginx: no {NGINX}, skipped")
                    continue
                prefix = tmp / "nginx"
                prefix.mkdir(exist_ok=True)
                proxy = Nginx(prefix, [server.port], connections=8192).start()
                base, port = proxy.url, proxy.port
            else:
                base, port = server.url, server.port
            for load in loads:
                phase(target, base, "127.0.0.1", port, token, load, args.seconds if load != "none" else 5)
        finally:
            if proxy:
                proxy.stop()
            server.stop()


if __name__ == "__main__":
    main()
