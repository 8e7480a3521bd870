"""The documented nginx config (docs/deploy/nginx.conf) in front of two `reception serve`
processes sharing one database and Redis: HTTP, sticky Socket.IO with the websocket upgrade,
calls handled by either process reaching the display, and the client's address through
X-Forwarded-For (RECEPTION_PROXY_HOPS=1)."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families
from requests.adapters import HTTPAdapter

from tests.integration.test_realtime_multiprocess import DisplayClient, FreshOffice, redis_url  # noqa: F401
from tests.servers import Server, free_port, wait_until_healthy

pytestmark = pytest.mark.slow

NGINX = os.environ.get("RECEPTION_NGINX", "/usr/sbin/nginx")
TEMPLATE = Path(__file__).resolve().parents[2] / "docs" / "deploy" / "nginx.conf"
CLIENT_ADDR = "127.0.0.2"  # still loopback, but not the address nginx talks to the app from


def nginx_site(template: str, listen_port: int, upstream_ports: list[int], log_dir: Path) -> str:
    """The documented site as the test runs it: no TLS lines, plain HTTP, our upstreams and logs."""
    lines = [line for line in template.splitlines() if not line.rstrip().endswith("# tls")]
    site = "\n".join(lines)
    upstreams = "".join(f"    server 127.0.0.1:{p};\n" for p in upstream_ports)
    site, n = re.subn(r"(?m)^(    server 127\.0\.0\.1:\d+;\n)+", upstreams, site + "\n")
    assert n == 1, "the template's upstream servers were not found"
    site, n = re.subn(r"(?m)^(\s*server_name [^;]+;)$", rf"\1\n    listen 127.0.0.1:{listen_port};", site)
    assert n == 1, "the template's server_name was not found"
    return site.replace("/var/log/nginx/", f"{log_dir}/")


def nginx_main(prefix: Path, site: Path, connections: int = 256) -> str:
    temp = "\n".join(f"    {kind}_temp_path {prefix / kind};" for kind in ("client_body", "proxy", "fastcgi",
                                                                                  "uwsgi", "scgi"))
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers must reach the temp dirs
    return (f"{user}worker_processes 1;\ndaemon off;\npid {prefix / 'nginx.pid'};\n"
            f"error_log {prefix / 'error.log'} warn;\nevents {{ worker_connections {connections}; }}\n"
            f"http {{\n{temp}\n    include {site};\n}}\n")


class Nginx:
    """``connections``: nginx's worker_connections (each proxied client holds two)."""

    def __init__(self, prefix: Path, upstream_ports: list[int], connections: int = 256) -> None:
        self.prefix, self.port = prefix, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        site = prefix / "reception.conf"
        site.write_text(nginx_site(TEMPLATE.read_text(), self.port, upstream_ports, prefix))
        self.conf = prefix / "nginx.conf"
        self.conf.write_text(nginx_main(prefix, site, connections))
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 20) -> Nginx:
        # -e: nginx's own error log before the config is read, too, stays in the prefix.
        args = [NGINX, "-p", str(self.prefix), "-e", str(self.prefix / "error.log"), "-c", str(self.conf)]
        check = subprocess.run([*args, "-t"], capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
        self.proc = subprocess.Popen(args,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True)
        wait_until_healthy(self.url, self.proc, lambda: (self.prefix / "error.log").read_text(), timeout)
        return self

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()  # SIGTERM: nginx's fast shutdown, workers included
            self.proc.wait(timeout=10)


class FromAddress(HTTPAdapter):
    """Connections from a chosen local address (so nginx sees a client that is not itself)."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def request_lines(server: Server) -> dict[str, dict[str, Any]]:
    """The app's JSON request lines of one process, by request id."""
    found = {}
    for line in server.log_text().splitlines():
        if line.startswith("{"):
            entry = json.loads(line)
            if entry.get("logger") == "reception.request":
                found[entry["request_id"]] = entry
    return found


def handled_by(servers: list[Server], request_id: str, timeout: float = 5) -> Server:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:  # the line is written as the response leaves
        for server in servers:
            if request_id in request_lines(server):
                return server
        time.sleep(0.05)
    raise AssertionError(f"no process logged request {request_id}")


def connected_displays(server: Server) -> float:
    text = requests.get(f"{server.url}/metrics", timeout=10).text
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == "reception_connected_displays":
                return sample.value
    raise AssertionError("no reception_connected_displays")


@pytest.fixture
def nginx_binary() -> str:
    if not os.access(NGINX, os.X_OK):
        if os.environ.get("CI"):
            pytest.fail(f"{NGINX} is missing in CI (.ci/run installs Debian's nginx)")
        pytest.skip(f"no nginx at {NGINX}")
    return NGINX


@pytest.fixture
def stack(nginx_binary, db, db_url, redis_url, tmp_path) -> Iterator[dict[str, Any]]:  # noqa: F811
    office = FreshOffice(db)
    env = {"RECEPTION_PROXY_HOPS": "1", "RECEPTION_WORKER_CONNECTIONS": "200"}
    started: list[Any] = []
    try:
        for _ in range(2):
            started.append(Server(db_url, redis_url, extra_env=env).start())
        proxy = Nginx(tmp_path, [s.port for s in started]).start()
        started.append(proxy)
        yield {"office": office, "servers": started[:2], "nginx": proxy}
    finally:
        for process in reversed(started):
            process.stop()


def test_http_through_nginx_keeps_the_request_id_and_the_client_address(stack) -> None:
    nginx = stack["nginx"]
    r = requests.get(f"{nginx.url}/healthz", headers={"X-Request-Id": "probe-1234abcd"}, timeout=10)
    assert r.status_code == 200
    body = r.json()
    assert {k: body[k] for k in ("status", "database", "redis")} == {"status": "ok", "database": "ok", "redis": "ok"}
    assert body["notifications"]["status"] == "ok"
    assert r.headers["X-Request-Id"] == "probe-1234abcd"
    made = requests.get(f"{nginx.url}/healthz", timeout=10).headers["X-Request-Id"]
    assert re.fullmatch(r"[0-9a-f]{32}", made), "nginx made the id when the caller sent none"
    assert handled_by(stack["servers"], made) in stack["servers"]
    assert requests.get(f"{nginx.url}/metrics", timeout=10).status_code == 404, "metrics stay internal"

    # The client's address: nginx appends the peer it saw to X-Forwarded-For; the app trusts
    # that one hop only (RECEPTION_PROXY_HOPS=1), not what the client claimed before it.
    session = requests.Session()
    session.mount("http://", FromAddress(CLIENT_ADDR))
    request_id = f"xff-{secrets.token_hex(6)}"
    r = session.get(f"{nginx.url}/healthz", timeout=10,
                    headers={"X-Request-Id": request_id, "X-Forwarded-For": "203.0.113.7"})
    assert r.status_code == 200
    assert request_lines(handled_by(stack["servers"], request_id))[request_id]["remote_addr"] == CLIENT_ADDR


def test_a_display_through_nginx_hears_calls_handled_by_either_process(stack) -> None:
    office, nginx, servers = stack["office"], stack["nginx"], stack["servers"]
    # Long-polling first, then the websocket upgrade: both must reach the same process.
    display = DisplayClient(nginx.url, office.display, transports=["polling", "websocket"])
    try:
        display.wait_for("snapshot")
        assert display.sio.transport() == "websocket"
        assert display.sio.eio.http.cookies.get("reception_node"), "nginx pinned the client with its cookie"
        holders = [s for s in servers if connected_displays(s) == 1]
        assert len(holders) == 1, "the display is connected to exactly one process"
        token = office.login(nginx.url)
        assert office.desk(nginx.url, token, "open").status_code == 200
        # Plain requests carry no sticky cookie, so each lands on either process: call until one
        # was handled by the process the display is not connected to (each call must be heard).
        for attempt in range(12):
            ticket = office.issue(nginx.url)
            request_id = f"call-{attempt}-{secrets.token_hex(4)}"
            r = requests.post(f"{nginx.url}/api/v1/desks/1/call-next?office={office.code}", timeout=10,
                              headers={"Authorization": f"Bearer {token}", "X-Request-Id": request_id})
            assert r.status_code == 200 and r.json()["code"] == ticket["code"], r.text
            display.wait_for("called", lambda d, code=ticket["code"]: d["code"] == code)
            if handled_by(servers, request_id) is not holders[0]:
                break
        else:
            pytest.fail("12 calls through nginx, none handled by the process without the display")
    finally:
        display.close()
