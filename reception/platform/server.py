"""The production server: gunicorn with one threaded worker, started from ``reception serve``.

Flask-SocketIO in threading mode with simple-websocket runs under gunicorn's ``gthread``
worker with exactly one worker per process (Socket.IO sessions live in that worker's memory;
more capacity = more processes on more ports behind nginx with sticky sessions, events
shared through Redis).  Each open websocket holds one thread for its lifetime, so
``WORKER_THREADS`` bounds displays + phones + concurrent requests of one process.

The app is built once in the gunicorn master (so a bad configuration fails at once, with
its message, instead of a worker restarting in a loop) and handed to the forked worker;
the master never opens a database connection after that.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication


def _dispose_database(app: Flask, *, close: bool) -> None:
    db = app.extensions["reception"].db
    if close:
        db.dispose()
        return
    # In the forked worker: forget the master's pool without closing its sockets (SQLAlchemy's
    # recommended pattern for fork); the worker opens its own connections.
    db.write_engine.dispose(close=False)
    if db.read_engine is not db.write_engine:
        db.read_engine.dispose(close=False)


def gunicorn_options(app: Flask, host: str, port: int, threads: int | None = None) -> dict[str, Any]:
    cfg = app.config
    bind_host = f"[{host}]" if ":" in host else host
    return {
        "bind": [f"{bind_host}:{port}"],
        "workers": 1,  # never more: Socket.IO's sessions are in the worker's memory
        "worker_class": "gthread",
        "threads": int(threads or cfg["WORKER_THREADS"]),
        "graceful_timeout": int(cfg["GRACEFUL_TIMEOUT"]),
        "keepalive": 5,
        "accesslog": None,  # the app writes one JSON line per request itself
        "errorlog": "-",
        "loglevel": str(cfg["LOG_LEVEL"]).lower(),
        # Proxy headers are trusted in one place only: ProxyFix with PROXY_HOPS.
        "forwarded_allow_ips": "",
        "proc_name": f"reception:{port}",
        # gunicorn >= 24 opens a control socket at one fixed path: several processes would collide.
        "control_socket_disable": True,
        "post_fork": lambda _server, _worker: _dispose_database(app, close=False),
    }


class ProductionServer(BaseApplication):  # type: ignore[misc]
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


def serve_production(app: Flask, host: str, port: int, threads: int | None = None) -> None:
    """Run gunicorn in this process (the master) until it is stopped (SIGTERM: graceful)."""
    _dispose_database(app, close=True)
    ProductionServer(app, gunicorn_options(app, host, port, threads)).run()


def serve_development(app: Flask, host: str, port: int) -> None:
    """Werkzeug's server through Flask-SocketIO: for a developer's machine only."""
    from ..realtime import socketio

    socketio.run(app, host=host, port=port, allow_unsafe_werkzeug=True, use_reloader=False, log_output=False)
