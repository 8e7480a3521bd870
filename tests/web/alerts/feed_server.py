"""A local HTTP server speaking alerts.in.ua's API v1 (``GET /v1/alerts/active.json``): bearer token,
``Last-Modified`` / ``If-Modified-Since`` (304), 429 with ``Retry-After``, and the faults the poller meets."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from reception.platform.clock import FakeClock

TOKEN = "test-feed-token"


def alert(uid: str, oblast_uid: str, started_at: str = "2026-11-24T08:30:00.000Z", alert_type: str = "air_raid",
          location_type: str = "oblast", title: str = "Київська область") -> dict[str, Any]:
    """One active alert as the API gives it."""
    return {"id": abs(hash((uid, started_at, alert_type))) % 100000, "location_title": title,
            "location_type": location_type, "started_at": started_at, "finished_at": None,
            "updated_at": started_at, "alert_type": alert_type, "location_uid": uid,
            "location_oblast": "Київська область", "location_oblast_uid": int(oblast_uid) if oblast_uid else None,
            "notes": None, "calculated": None}


class FeedServer:
    """``mode``: "ok" (the alerts below), "garbage" (not the format), "html" (a proxy's error page),
    "429" (too many requests, ``Retry-After: retry_after``), "500"; ``stop()``: down (refused)."""

    def __init__(self, clock: FakeClock, port: int = 0) -> None:
        self.clock = clock
        self.alerts: list[dict[str, Any]] = []
        self.mode = "ok"
        self.retry_after = "60"
        self.modified = clock.now()
        self.requests: list[dict[str, str]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                server.requests.append({k: v for k, v in self.headers.items()} | {"path": self.path})
                if self.path != "/v1/alerts/active.json":
                    return self._send(404, b'{"message": "Not found"}')
                if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                    return self._send(401, b'{"message": "Unauthorized"}')
                if server.mode == "429":
                    return self._send(429, b'{"message": "Too many requests"}', {"Retry-After": server.retry_after})
                if server.mode == "500":
                    return self._send(500, b"Internal Server Error")
                if server.mode == "garbage":
                    return self._send(200, b'{"alerts": "none today", "meta": {}}')
                if server.mode == "html":
                    return self._send(200, b"<html><body>502 Bad Gateway</body></html>")
                stamp = format_datetime(server.modified.replace(microsecond=0), usegmt=True)
                if self.headers.get("If-Modified-Since") == stamp:
                    return self._send(304, b"", {"Last-Modified": stamp})
                body = {"alerts": server.alerts,
                        "meta": {"last_updated_at": server.modified.strftime("%Y/%m/%d %H:%M:%S +0000"),
                                 "type": "full"},
                        "disclaimer": "If you use this API, you must agree with the Terms of Use."}
                self._send(200, json.dumps(body).encode(), {"Last-Modified": stamp})

            def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                if status != 304:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if status != 304:
                    self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()

    def set_alerts(self, alerts: list[dict[str, Any]]) -> None:
        self.alerts = alerts
        self.modified = max(self.clock.now(), self.modified + timedelta(seconds=1))  # a new Last-Modified

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
