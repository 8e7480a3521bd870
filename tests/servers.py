"""Start real `reception serve` processes for multi-process tests and benchmarks."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_healthy(url: str, proc: subprocess.Popen[bytes], exited: Callable[[], str], timeout: float) -> None:
    """Until ``url``/healthz answers 200; ``exited()`` explains a process that died meanwhile."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(exited())
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not start within {timeout:g} s")


class Server:
    def __init__(self, db_url: str, redis_url: str | None = None, port: int | None = None,
                 extra_env: dict[str, str] | None = None, dev: bool = False) -> None:
        self.port, self.dev = port or free_port(), dev
        self.url = f"http://127.0.0.1:{self.port}"
        # Load tests drive one kiosk token as fast as many kiosks: its per-device limit is lifted.
        env = os.environ | {"RECEPTION_DATABASE_URL": db_url, "RECEPTION_SECRET_KEY": "multi-process-test",
                            "RECEPTION_KIOSK_TICKET_RATE": "1000000 per minute",
                            "PYTHONUNBUFFERED": "1"} | (extra_env or {})
        if redis_url:
            env["RECEPTION_REDIS_URL"] = redis_url
        self.env = env
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 30) -> Server:
        # Logs go to a file: an unread pipe would fill up and stall the server.
        self.log = tempfile.NamedTemporaryFile(prefix=f"reception-{self.port}-", suffix=".log", delete=False)  # noqa: SIM115
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "reception.ops.cli", "serve", "--port", str(self.port), *(["--dev"] if self.dev else [])],
            env=self.env, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True,  # gunicorn's master and worker: stopped (or killed) together
        )
        try:
            wait_until_healthy(self.url, self.proc, lambda: f"server exited: {self.log_text()[-2000:]}", timeout)
        except BaseException:
            self.stop(kill=True)  # one that never answered is not left running behind the failure
            raise
        return self

    def worker_pid(self) -> int:
        """The process that serves: gunicorn's worker (the master's child), or the process itself (--dev)."""
        assert self.proc is not None
        try:
            with open(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children") as fh:
                children = fh.read().split()
        except OSError:
            children = []
        return int(children[0]) if children else self.proc.pid

    def log_text(self) -> str:
        with open(self.log.name, encoding="utf-8", errors="replace") as fh:
            return fh.read()

    def stop(self, kill: bool = False) -> None:
        if self.proc and self.proc.poll() is None:
            if kill:  # a crash: the worker dies with its master, as under systemd's KillMode=mixed
                os.killpg(self.proc.pid, signal.SIGKILL)
            else:
                self.proc.terminate()
            self.proc.wait(timeout=20)


@contextmanager
def servers(db_url: str, n: int = 2, redis_url: str | None = None) -> Iterator[list[Server]]:
    started = [Server(db_url, redis_url).start() for _ in range(n)]
    try:
        yield started
    finally:
        for server in started:
            server.stop()


class RedisServer:
    """A throwaway ``redis-server`` on a free port, to stop and start again (an outage) in a test."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 10) -> RedisServer:
        import redis

        self.proc = subprocess.Popen(["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                                      "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + timeout
        while True:
            try:
                redis.Redis.from_url(self.url, socket_connect_timeout=0.5).ping()
                return self
            except redis.RedisError:
                if time.time() > deadline or self.proc.poll() is not None:
                    raise RuntimeError(f"redis-server on {self.port} did not start") from None
                time.sleep(0.05)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
