"""A small threaded HTTP server that records JSON requests and fails when told to."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.servers import free_port


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: Any  # parsed JSON (None if the body was not JSON)
    at: float = field(default_factory=time.monotonic)


@dataclass
class Failure:
    kind: str  # "500" | "429" | "timeout" | a provider-specific kind
    retry_after: int | None = None


class HttpProtocolServer:
    """Subclasses answer in :meth:`answer` (path, headers, body) -> (HTTP status, JSON body)."""

    hang_s = 3.0  # a "timeout" failure holds the request this long (clients in tests time out sooner)

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.received: list[Received] = []
        self.failures: deque[Failure] = deque()
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # --- control -----------------------------------------------------------------------------
    def fail(self, kind: str, times: int = 1, retry_after: int | None = None) -> None:
        with self._lock:
            self.failures.extend(Failure(kind, retry_after) for _ in range(times))

    def _next_failure(self) -> Failure | None:
        with self._lock:
            return self.failures.popleft() if self.failures else None

    def start(self) -> HttpProtocolServer:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_args: Any) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    body = None
                status, answer = server._handle(self.path, {k: v for k, v in self.headers.items()}, body)
                data = json.dumps(answer).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # the client gave up (a timeout test)

            do_GET = do_POST  # noqa: N815

        for _ in range(50):  # a restart on the same port may meet the old socket in TIME_WAIT
            try:
                self._httpd = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError(f"port {self.port} stays busy")
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening: clients get connection refused until :meth:`start`."""
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> Any:
        return self.start()

    def __exit__(self, *_exc: Any) -> None:
        self.stop()

    def refused(self) -> bool:
        with socket.socket() as s:
            return s.connect_ex(("127.0.0.1", self.port)) != 0

    # --- answering ---------------------------------------------------------------------------
    def _handle(self, path: str, headers: dict[str, str], body: Any) -> tuple[int, Any]:
        failure = self._next_failure()
        if failure is not None and failure.kind == "timeout":
            time.sleep(self.hang_s)
            return 504, {"error": "late"}
        if failure is not None and failure.kind == "500":
            return 500, {"error": "internal"}
        with self._lock:
            self.received.append(Received(path, headers, body))
        return self.answer(path, headers, body, failure)

    def answer(self, path: str, headers: dict[str, str], body: Any, failure: Failure | None) -> tuple[int, Any]:
        raise NotImplementedError
