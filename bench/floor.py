"""The product beside its floor, in one run: kiosk ticket issue and call-next over HTTP.

    .venv/bin/python bench/floor.py                      # SQLite (temporary files)
    .venv/bin/python bench/floor.py --pg postgresql+psycopg://postgres@127.0.0.1:5432/test
    .venv/bin/python bench/floor.py --budget             # and the product's shell beside them

The floor (bench/floor_app.py) is a minimal Flask + SQLAlchemy app numbering tickets the same
safe way on the same server (gunicorn, one gevent worker, the same worker_connections) and
database.  Prints req/s and p50/p99 of each, the server's CPU time per request (user + system of
the serving processes, from /proc/<pid>/stat, around each side's own rounds), and the product's
share of the floor's throughput (goal >= 0.5) and its p99 against the floor's (goal <= 2x).
``--budget`` also serves the product with the two commands replaying their first answer
(bench/replay_serve.py): its "shell" is what each request costs around the work, and "room" is how
long the work itself may take for the ratio to reach 0.5 (twice the floor's cost per request less
the shell's; costs per request are 1 / throughput).  Not a test: figures.
"""

from __future__ import annotations

import argparse
import os
import signal
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

from run import cpu_s, kiosk_and_desks, pct, prepare, process_tree, timed  # noqa: E402

from tests.servers import Server, free_port, wait_until_healthy  # noqa: E402


class Figures(NamedTuple):
    rps: float
    p50_ms: float
    p99_ms: float
    cpu_ms: float  # the server's CPU time per request


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


def measure(sides: dict[str, Any], pids: dict[str, list[int]], n: int, concurrency: int,
            rounds: int) -> dict[str, Figures]:
    """One operation on each side in alternating rounds of ``n // rounds`` requests: a slow spell
    of a shared box falls on every side instead of on whichever ran during it. A side's CPU is read
    around its own rounds only (the other sides' servers idle meanwhile)."""
    spent = dict.fromkeys(sides, 0.0)
    cpu = dict.fromkeys(sides, 0.0)
    lat: dict[str, list[float]] = {side: [] for side in sides}
    for _ in range(rounds):
        for side, fn in sides.items():
            before = cpu_s(pids[side])
            elapsed, latencies = timed(fn, n // rounds, concurrency)
            cpu[side] += cpu_s(pids[side]) - before
            spent[side] += elapsed
            lat[side] += latencies
    return {side: Figures(len(lat[side]) / spent[side], statistics.median(lat[side]) * 1000, pct(lat[side], 99),
                          cpu[side] * 1000 / len(lat[side]))
            for side in sides}


def start_shell(product: Server) -> tuple[subprocess.Popen[bytes], str]:
    """The product's environment and database, its two commands replayed (bench/replay_serve.py)."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, str(HERE / "replay_serve.py"), "--port", str(port)], env=product.env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=HERE.parent,
                            start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    wait_until_healthy(base, proc, lambda: "the shell did not start", 60)
    return proc, base


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", help="PostgreSQL URL (its tables are dropped and recreated)")
    parser.add_argument("-n", type=int, default=400, help="requests per measurement")
    parser.add_argument("--rounds", type=int, default=4, help="alternating product/floor rounds per measurement")
    parser.add_argument("--budget", action="store_true", help="serve the product's shell too (bench/replay_serve.py)")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp()
    product_url = args.pg or f"sqlite:///{tmp}/product.db"
    floor_url = args.pg or f"sqlite:///{tmp}/floor.db"
    kiosk, users = prepare(product_url)
    server = Server(product_url).start()
    floor, floor_base = start_floor(floor_url)
    shell, shell_base = start_shell(server) if args.budget else (None, "")
    try:
        issue, call = kiosk_and_desks(server.url, kiosk, users)
        shell_issue, shell_call = kiosk_and_desks(shell_base, kiosk, users) if shell else (None, None)

        def floor_issue(s: requests.Session, _i: int) -> None:
            assert s.post(f"{floor_base}/issue", timeout=30).status_code == 201

        def floor_call(s: requests.Session, _i: int) -> None:
            assert s.post(f"{floor_base}/call", timeout=30).status_code == 200

        pids = {"product": process_tree(server.proc.pid), "floor": process_tree(floor.pid)}  # type: ignore[union-attr]
        if shell:
            pids["shell"] = process_tree(shell.pid)
        print(f"\n{'PostgreSQL' if args.pg else 'SQLite'}: product (`reception serve`) beside the floor "
              f"(bench/floor_app.py), both gunicorn with one gevent worker, {args.n} requests per row; "
              f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        print(f"{'operation':<11}{'conc.':>6}{'product r/s':>13}{'floor r/s':>11}{'ratio':>7}"
              f"{'p50 ms':>8}{'p99 ms':>8}{'floor p50':>10}{'floor p99':>10}{'p99 x':>7}"
              f"{'CPU ms':>8}{'floor CPU':>10}{'CPU x':>7}"
              + (f"{'shell r/s':>11}{'shell ratio':>13}{'shell CPU':>10}{'work ms':>9}{'room ms':>9}"
                 if shell else ""))
        for concurrency in (1, 8):
            for op, product_fn, floor_fn, shell_fn in (("issue", issue, floor_issue, shell_issue),
                                                       ("call-next", call, floor_call, shell_call)):
                sides = {"product": product_fn, "floor": floor_fn} | ({"shell": shell_fn} if shell else {})
                fig = measure(sides, pids, args.n, concurrency, args.rounds)
                mine, base_line = fig["product"], fig["floor"]
                line = (f"{op:<11}{concurrency:>6}{mine.rps:>13.1f}{base_line.rps:>11.1f}"
                        f"{mine.rps / base_line.rps:>7.2f}{mine.p50_ms:>8.1f}{mine.p99_ms:>8.1f}"
                        f"{base_line.p50_ms:>10.1f}{base_line.p99_ms:>10.1f}{mine.p99_ms / base_line.p99_ms:>7.2f}"
                        f"{mine.cpu_ms:>8.2f}{base_line.cpu_ms:>10.2f}{mine.cpu_ms / base_line.cpu_ms:>7.2f}")
                if shell:
                    cost = {side: 1000 / f.rps for side, f in fig.items()}  # ms of the server per request
                    line += (f"{fig['shell'].rps:>11.1f}{fig['shell'].rps / base_line.rps:>13.2f}"
                             f"{fig['shell'].cpu_ms:>10.2f}"
                             f"{cost['product'] - cost['shell']:>9.2f}{2 * cost['floor'] - cost['shell']:>9.2f}")
                print(line)
        print("CPU ms: user + system CPU of the serving processes (gunicorn master and worker) per request; "
              "CPU x: the product's against the floor's")
    finally:
        server.stop()
        floor.terminate()
        floor.wait(timeout=10)
        if shell:
            os.killpg(shell.pid, signal.SIGTERM)
            shell.wait(timeout=10)


if __name__ == "__main__":
    main()
