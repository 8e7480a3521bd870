"""Where a call's fan-out to N wall displays spends the serving process's time, under cProfile.

    .venv/bin/python bench/profile_fanout.py [--displays 500] [--calls 20] [--interval 0.25] [--top 30]

Serves the product as `reception serve` does (gunicorn, one gevent worker) from this file, with two
additions for measuring only: ``POST /__bench/profile`` starts (and, again, stops) cProfile in the
worker, and each event's fan-out (``SocketIOPublisher.send``, in the publishing greenlet) is timed. Connects N displays
(bench/bench_display.py's clients), profiles K calls only (not the connects), and prints the
profile's top functions by own time, the publish time per call and each call's spread: from the
first to the last display's receipt. ``--calls-only`` drops the displays' ``queue`` hints in the
served process (one frame per display per call instead of three): what fewer frames would save.
Not a test: figures.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

SERVING = sys.argv[1:2] == ["--serve"]
if SERVING:
    from reception.platform.green import patch_if_serving

    patch_if_serving(["serve"])  # as `reception serve` does, before the app's modules load (decision 029)

import argparse  # noqa: E402
import cProfile  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import pstats  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

PROFILE_PATH = "/__bench/profile"


def serve(argv: list[str]) -> None:
    from reception.http import realtime
    from reception.ops import server as serving

    out = os.environ["BENCH_PROFILE_OUT"]
    profiler = cProfile.Profile()
    state: dict[str, Any] = {"on": False, "publishes": []}
    real_publish = realtime.SocketIOPublisher.send
    if os.environ.get("BENCH_CALLS_ONLY"):  # an experiment: displays hear the calls and nothing else
        real_fan_out = realtime.fan_out

        def calls_only(emit: Any, event: Any, **kwargs: Any) -> None:
            def filtered(name: str, data: Any, namespace: str, to: str) -> Any:
                if namespace == realtime.DISPLAY_NS and name == "queue":
                    return None
                return emit(name, data, namespace=namespace, to=to)
            real_fan_out(filtered, event, **kwargs)

        realtime.fan_out = calls_only

    def timed_publish(self: realtime.SocketIOPublisher, event: Any) -> None:
        t0, c0 = time.perf_counter(), time.thread_time()
        real_publish(self, event)
        if state["on"]:
            state["publishes"].append((event.name, (time.perf_counter() - t0) * 1000,
                                       (time.thread_time() - c0) * 1000))

    def toggle() -> None:
        if state["on"]:
            profiler.disable()
            profiler.dump_stats(out)
            with open(out + ".json", "w") as fh:
                json.dump(state["publishes"], fh)
        else:
            state["publishes"] = []
            if not os.environ.get("BENCH_NO_PROFILE"):
                profiler.enable()
        state["on"] = not state["on"]

    def with_switch(wsgi: Any) -> Any:
        def app(environ: dict[str, Any], start_response: Any) -> Any:
            if environ.get("PATH_INFO") == PROFILE_PATH:
                toggle()
                start_response("204 No Content", [])
                return [b""]
            return wsgi(environ, start_response)
        return app

    real_serve = serving.serve_production

    def serve_production(app: Any, host: str, port: int, connections: int | None = None) -> None:
        app.wsgi_app = with_switch(app.wsgi_app)
        real_serve(app, host, port, connections)

    serving.serve_production = serve_production
    realtime.SocketIOPublisher.send = timed_publish  # type: ignore[method-assign]
    from reception.ops.cli import main as cli_main

    cli_main(["serve", *argv])


def drive() -> None:
    import requests
    from bench_display import Fleet, prepare
    from run import cpu_s

    from tests.servers import Server, free_port, wait_until_healthy

    parser = argparse.ArgumentParser()
    parser.add_argument("--displays", type=int, default=500)
    parser.add_argument("--calls", type=int, default=20)
    parser.add_argument("--interval", type=float, default=0.25)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--calls-only", action="store_true", help="displays get no `queue` hints (an experiment)")
    parser.add_argument("--no-profile", action="store_true", help="time without cProfile's own overhead")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="profile-fanout-")
    url = f"sqlite:///{tmp}/bench.db"
    out = f"{tmp}/fanout.prof"
    info = prepare(url, tickets=args.calls + 10)
    product = Server(url)  # its environment only; served from this file
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(f"{tmp}/server.log", "wb")  # noqa: SIM115
    env = product.env | {"BENCH_PROFILE_OUT": out}
    env |= {"BENCH_CALLS_ONLY": "1"} if args.calls_only else {}
    env |= {"BENCH_NO_PROFILE": "1"} if args.no_profile else {}
    proc = subprocess.Popen([sys.executable, __file__, "--serve", "--port", str(port)], env=env, stdout=log,
                            stderr=subprocess.STDOUT, cwd=HERE.parent, start_new_session=True)
    wait_until_healthy(base, proc, lambda: "the server did not start", 60)
    fleet = None
    try:
        http = requests.Session()
        r = http.post(f"{base}/api/v1/auth/token", json={"username": "benchop", "password": "secret-pass-1"},
                      timeout=10)
        http.headers["Authorization"] = f"Bearer {r.json()['token']}"
        http.post(f"{base}/api/v1/desks/1/open", timeout=10).raise_for_status()
        fleet = Fleet(base, info["display"], args.workers)
        opened, _rss = fleet.grow_to(args.displays)
        time.sleep(2.0)
        fleet.arrivals()
        with open(f"/proc/{proc.pid}/task/{proc.pid}/children") as fh:
            worker = int(fh.read().split()[0])
        sent: dict[str, float] = {}
        http.post(f"{base}{PROFILE_PATH}", timeout=10)
        cpu0 = cpu_s([worker])
        next_at = time.monotonic()
        for _ in range(args.calls):
            next_at += args.interval
            t0 = time.monotonic()
            resp = http.post(f"{base}/api/v1/desks/1/call-next", timeout=30)
            if resp.status_code == 200:
                sent.setdefault(resp.json()["code"], t0)
            time.sleep(max(0.0, next_at - time.monotonic()))
        time.sleep(3.0)
        cpu_used = cpu_s([worker]) - cpu0
        http.post(f"{base}{PROFILE_PATH}", timeout=10)
        arrivals, _lost, frames = fleet.arrivals()
    finally:
        if fleet:
            fleet.stop()
        proc.terminate()
        proc.wait(timeout=20)
    by_code: dict[str, list[float]] = {}
    for _display, code, stamp in arrivals:
        if code in sent:
            by_code.setdefault(code, []).append((stamp - sent[code]) * 1000)
    with open(out + ".json") as fh:
        publishes = json.load(fh)
    called = [p for p in publishes if p[0] == "called"]
    firsts = [min(v) for v in by_code.values()]
    lasts = [max(v) for v in by_code.values()]
    spreads = [max(v) - min(v) for v in by_code.values()]
    print(f"\n{opened} displays on one `reception serve` process (SQLite), {len(sent)} calls, "
          + ("the displays' `queue` hints dropped, " if args.calls_only else "") +
          f"one every {args.interval:g} s; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"receipts {sum(len(v) for v in by_code.values())}/{opened * len(sent)}; per call (ms, median of calls): "
          f"first display {statistics.median(firsts):.1f}, last display {statistics.median(lasts):.1f}, "
          f"spread first->last {statistics.median(spreads):.1f} (max {max(spreads):.1f})")
    print(f"event frames sent to each display per call: {frames / max(1, opened * len(sent)):.2f}")
    print(f"worker CPU during the calls: {cpu_used * 1000 / max(1, len(sent)):.1f} ms per call; "
          f"fan-out of a `called` event (send()): median {statistics.median(p[1] for p in called):.1f} ms wall, "
          f"{statistics.median(p[2] for p in called):.1f} ms CPU")
    if not args.no_profile:
        print()
        pstats.Stats(out).strip_dirs().sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    if SERVING:
        serve(sys.argv[2:])
    else:
        drive()
