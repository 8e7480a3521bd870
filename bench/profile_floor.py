"""Where the time of the floor's two requests goes, in process: kiosk ticket issue and desk
call-next through Flask's test client (every middleware, the real database), under cProfile.

    .venv/bin/python bench/profile_floor.py [--pg URL] [-n 300] [--sort tottime] [--top 40] [--shell]

Prints SQL statements per request and the profile of each operation. ``--shell``: the two commands
replay their first answer (bench/replay.py), so what is profiled is the request's shell alone.
Not a test: figures.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import event

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from replay import replay_commands  # noqa: E402
from run import DESKS, prepare  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", help="PostgreSQL URL (its tables are dropped and recreated)")
    parser.add_argument("-n", type=int, default=300)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--top", type=int, default=45)
    parser.add_argument("--sql", action="store_true", help="print the statements of one request of each")
    parser.add_argument("--shell", action="store_true", help="the two commands replay their first answer")
    parser.add_argument("--timing", action="store_true",
                        help="mean wall time of each statement (driver call to answer), not profiled")
    args = parser.parse_args()
    if args.shell:
        replay_commands()
    url = args.pg or f"sqlite:///{tempfile.mkdtemp()}/profile.db"
    kiosk, users = prepare(url)
    os.environ |= {"RECEPTION_DATABASE_URL": url, "RECEPTION_SECRET_KEY": "profile",
                   "RECEPTION_KIOSK_TICKET_RATE": "1000000 per minute", "RECEPTION_LOG_LEVEL": "WARNING"}
    from reception.app import create_app
    from reception.ops.server import production_defaults

    app = create_app()
    production_defaults(app.config)  # as `reception serve` runs it (answers unchecked unless set)
    client = app.test_client()
    db = app.extensions["reception"].db
    statements: list[str] = []
    started: list[float] = []
    spent: dict[str, list[float]] = {}

    def before(_c: object, _cur: object, stmt: str, *_a: object) -> None:
        statements.append(stmt)
        started.append(time.perf_counter())

    def after(_c: object, _cur: object, stmt: str, *_a: object) -> None:
        spent.setdefault(" ".join(stmt.split())[:110], []).append(time.perf_counter() - started.pop())

    for engine in db.engines:
        event.listen(engine, "before_cursor_execute", before)
        event.listen(engine, "after_cursor_execute", after)
    tokens = [client.post("/api/v1/auth/token", json={"username": u, "password": "secret-pass-1"}).json["token"]
              for u in users]
    for i, tok in enumerate(tokens, start=1):
        assert client.post(f"/api/v1/desks/{i}/open", headers={"Authorization": f"Bearer {tok}"}).status_code == 200

    def issue(_i: int) -> None:
        r = client.post("/api/v1/kiosk/tickets", json={"service": "consult"},
                        headers={"Authorization": f"Bearer {kiosk}"})
        assert r.status_code == 201, r.text

    def call(i: int) -> None:
        r = client.post(f"/api/v1/desks/{i % DESKS + 1}/call-next",
                        headers={"Authorization": f"Bearer {tokens[i % DESKS]}"})
        assert r.status_code == 200, r.text

    for name, fn in (("issue", issue), ("call-next", call)):
        for i in range(20):  # warm up: caches, first connections
            fn(i)
        statements.clear()
        fn(0)
        print(f"\n== {name}: {len(statements)} SQL statements per request")
        if args.sql:
            for s in statements:
                print("   ", " ".join(s.split())[:200])
        if args.timing:
            spent.clear()
            t0 = time.perf_counter()
            for i in range(args.n):
                fn(i)
            elapsed = time.perf_counter() - t0
            print(f"   {1000 * elapsed / args.n:.2f} ms per request, of which in statements:")
            for stmt, times in spent.items():
                print(f"   {1000 * sum(times) / args.n:6.3f} ms  x{len(times) / args.n:.1f}  {stmt}")
            continue
        profile = cProfile.Profile()
        t0 = time.perf_counter()
        profile.enable()
        for i in range(args.n):
            fn(i)
        profile.disable()
        elapsed = time.perf_counter() - t0
        print(f"   {args.n / elapsed:.1f} req/s under the profiler")
        stats = pstats.Stats(profile)
        print(f"   {stats.total_calls / args.n:.0f} Python calls per request")  # type: ignore[attr-defined]
        stats.sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
