"""The production server: gunicorn with one gevent worker, started from ``reception serve``.

Every connection is a greenlet of gunicorn's ``gevent`` worker (decision 029): a slow or silent
client costs a few kilobytes, never one of a fixed number of threads, and a request's headers
must arrive within ``keepalive`` seconds (gunicorn wraps each header read in a gevent timeout) or
the connection is closed.  Flask-SocketIO runs in gevent mode with simple-websocket.  Exactly one
worker per process (Socket.IO sessions live in that worker's memory; more capacity = more
processes on more ports behind nginx with sticky sessions, events shared through Redis).
``WORKER_CONNECTIONS`` bounds the open connections of one process (displays, phones, requests,
idle keep-alives); the :class:`SocketBudget` keeps a share of them for plain requests.  The
process is patched by ``green.patch_if_serving`` before the app is imported.

The app is built once in the gunicorn master (so a bad configuration fails at once, with
its message, instead of a worker restarting in a loop) and handed to the forked worker;
the master never opens a database connection after that.
"""

from __future__ import annotations

import gc
import resource
import threading
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication

SOCKETIO_PATH = "/socket.io/"


def _dispose_database(app: Flask, *, close: bool) -> None:
    # In the forked worker (close=False): forget the master's pools without closing their sockets;
    # the worker opens its own connections.
    app.extensions["reception"].db.dispose(close=close)


def _in_worker(app: Flask) -> None:
    _dispose_database(app, close=False)
    # Everything built at start-up (mappers, compiled statements, schemas, catalogues) lives as long
    # as the worker: keep it out of the garbage collector's full passes, which otherwise walk that
    # whole heap now and then in the middle of somebody's request.
    gc.freeze()
    start_jobs(app)


def start_jobs(app: Flask) -> None:
    """The scheduled jobs (decisions 018 and 012) run in the serving process, never in a CLI command or a
    test app."""
    for scheduler in scheduled_jobs(app):
        scheduler.start()


def scheduled_jobs(app: Flask) -> list[Any]:
    """Every job the app built: ``reception.app`` keeps each :class:`Scheduler` among its extensions (a job
    that is off, such as the feed without a token, is kept as None and so is not here)."""
    from reception.platform.scheduler import Scheduler

    return [extension for extension in app.extensions.values() if isinstance(extension, Scheduler)]


# Seconds a request's headers (and an idle keep-alive connection's next request) may take.
HEADER_DEADLINE_S = 5


def gunicorn_options(app: Flask, host: str, port: int, connections: int | None = None) -> dict[str, Any]:
    cfg = app.config
    bind_host = f"[{host}]" if ":" in host else host
    return {
        "bind": [f"{bind_host}:{port}"],
        "workers": 1,  # never more: Socket.IO's sessions are in the worker's memory
        "worker_class": "gevent",
        "worker_connections": int(connections or max(cfg["WORKER_CONNECTIONS"], cfg.get("WORKER_THREADS") or 0)),
        "graceful_timeout": int(cfg["GRACEFUL_TIMEOUT"]),
        # The gevent worker reads every request's headers under this deadline, the first one too.
        "keepalive": HEADER_DEADLINE_S,
        "backlog": 2048,
        "accesslog": None,  # the app writes one JSON line per request itself
        "errorlog": "-",
        "loglevel": str(cfg["LOG_LEVEL"]).lower(),
        # Proxy headers are trusted in one place only: ProxyFix with PROXY_HOPS.
        "forwarded_allow_ips": "",
        "proc_name": f"reception:{port}",
        # Recent gunicorn opens a control socket at one fixed path: several processes would collide.
        "control_socket_disable": True,
        "post_fork": lambda _server, _worker: _in_worker(app),
    }


class ProductionServer(BaseApplication):
    """gunicorn configured in code: no gunicorn.conf.py, no command-line parsing."""

    def __init__(self, app: Flask, options: dict[str, Any]) -> None:
        self.application, self.options = app, options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if key in self.cfg.settings:  # a setting this gunicorn does not know is not needed by it
                self.cfg.set(key, value)

    def load(self) -> Flask:
        return self.application


class SocketBudget:
    """WSGI middleware: Socket.IO may hold at most ``limit`` of the worker's connections at once.

    A websocket (or a pending long-poll) keeps its connection (a greenlet); were every one the
    worker may hold taken by displays and phone pages, gunicorn would stop accepting and a
    kiosk's request would wait behind them.  Past the budget a Socket.IO request gets 503 at once
    (its client reconnects after a pause), and the rest stay free for plain requests.
    """

    def __init__(self, app: Callable[..., Iterable[bytes]], limit: int,
                 on_refused: Callable[[], None] | None = None) -> None:
        self.app, self.limit, self.on_refused = app, limit, on_refused
        self.in_flight = 0
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if not environ.get("PATH_INFO", "").startswith(SOCKETIO_PATH):
            return self.app(environ, start_response)
        with self._lock:
            admitted = self.in_flight < self.limit
            if admitted:
                self.in_flight += 1
        if not admitted:
            if self.on_refused:
                self.on_refused()
            start_response("503 Service Unavailable", [("Content-Type", "text/plain"), ("Retry-After", "2")])
            return [b"busy"]
        try:
            # Socket.IO's bodies are small and whole (a websocket runs inside the call itself), so
            # reading it here keeps the thread counted until the answer is complete.
            result = self.app(environ, start_response)
            try:
                return list(result)
            finally:
                if hasattr(result, "close"):
                    result.close()
        finally:
            with self._lock:
                self.in_flight -= 1


def socket_budget(connections: int) -> int:
    """Connections Socket.IO may hold: all but a tenth (at least 4) kept for plain requests."""
    return max(1, connections - max(4, connections // 10))


def raise_open_files_limit(connections: int) -> None:
    """Each connection is a file descriptor: lift the soft limit (often 1,024) towards the hard one."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = connections + 256  # the database pool, Redis, log files, nginx's keep-alives
    if soft != resource.RLIM_INFINITY and soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted if hard == resource.RLIM_INFINITY else min(wanted, hard),
                                                    hard))


def production_defaults(config: dict[str, Any]) -> None:
    """Settings left unset that the production server decides: the answers' model check is off
    (decision 027; the tests and development keep it on, requests are validated always)."""
    if config.get("VALIDATE_RESPONSES") is None:
        config["VALIDATE_RESPONSES"] = False


def serve_production(app: Flask, host: str, port: int, connections: int | None = None) -> None:
    """Run gunicorn in this process (the master) until it is stopped (SIGTERM: graceful)."""
    from reception.platform.green import patched

    if not patched():  # `reception serve` patches first thing (cli.py); anything else must too
        raise RuntimeError("the production server needs gevent's monkey patching before the app is imported")
    production_defaults(app.config)
    options = gunicorn_options(app, host, port, connections)
    raise_open_files_limit(options["worker_connections"])
    instruments = app.extensions.get("reception.metrics")
    app.wsgi_app = SocketBudget(app.wsgi_app, socket_budget(options["worker_connections"]),  # type: ignore[method-assign]
                                instruments.socket_refused.inc if instruments else None)
    _dispose_database(app, close=True)
    # Greenlets the app started while being built (limits' first sweep, due in 10 ms) end here, in the
    # master: one carried over the fork would end in the worker with a KeyError from threading.
    import gevent

    gevent.sleep(0.05)
    ProductionServer(app, options).run()


def serve_development(app: Flask, host: str, port: int) -> None:
    """Werkzeug's server through Flask-SocketIO: for a developer's machine only."""
    from reception.http.realtime import socketio

    start_jobs(app)
    socketio.run(app, host=host, port=port, allow_unsafe_werkzeug=True, use_reloader=False, log_output=False)
