"""Health, metrics, request ids and proxy headers of the app (reception.platform)."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families

from reception.http.observability import REQUEST_LOGGER, JsonFormatter
from tests.fakes import RecordingPrinter, add_device, make_test_app


def samples(client: Any) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    r = client.get("/metrics")
    assert r.status_code == 200 and r.mimetype == "text/plain"
    found = {}
    for family in text_string_to_metric_families(r.get_data(as_text=True)):
        for s in family.samples:
            found[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return found


def test_healthz_reports_each_part(client, office) -> None:
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.get_json() == {"status": "ok", "database": "ok", "redis": "not configured", "printers": [],
                            "notifications": {"status": "ok", "queued": 0, "oldest_queued_s": None,
                                              "failed_last_hour": 0}}


def test_healthz_is_503_naming_the_database_when_it_is_unreachable(clock, tmp_path: Path) -> None:
    broken = make_test_app(f"sqlite:///{tmp_path / 'no-such-dir' / 'r.db'}", clock)
    r = broken.test_client().get("/healthz")
    assert r.status_code == 503
    body = r.get_json()
    assert body["status"] == "unavailable" and body["failing"] == ["database"]
    assert body["database"] == "unreachable" and body["redis"] == "not configured"


def test_healthz_stays_200_degraded_naming_redis_when_the_configured_redis_is_down(db_url, clock) -> None:
    """Without Redis the process still serves (decision 030): a balancer keeps it, monitoring sees it."""
    from reception.app import create_app

    app = create_app({"TESTING": True, "DATABASE_URL": db_url, "SECRET_KEY": "t",
                      "REDIS_URL": "redis://127.0.0.1:1/0"}, clock=clock, printer_factory=lambda url: RecordingPrinter())
    try:
        r = app.test_client().get("/healthz")
        assert r.status_code == 200
        body = r.get_json()
        assert body["status"] == "degraded" and body["degraded"] == ["redis"] and "failing" not in body
        assert body["redis"] == "unreachable" and body["database"] == "ok"
    finally:
        app.extensions["reception"].db.dispose()


def test_a_printer_fault_is_reported_but_the_process_stays_healthy(db, db_url, clock, office) -> None:
    app = make_test_app(db_url, clock, printer=RecordingPrinter(ok=False, error="paper out"))
    kiosk = add_device(db, clock, "kiosk", office, printer_url="tcp://10.0.0.5:9100?mode=text")
    client = app.test_client()
    r = client.post("/api/v1/kiosk/tickets", json={"service": "consult"}, headers={"Authorization": f"Bearer {kiosk}"})
    assert r.status_code == 201 and r.get_json()["print"]["ok"] is False
    health = client.get("/healthz")
    assert health.status_code == 200
    body = health.get_json()
    assert body["status"] == "degraded"
    assert [(p["printer"], p["ok"], p["error"]) for p in body["printers"]] == [("tcp://10.0.0.5:9100", False, "paper out")]
    assert samples(client)[("reception_print_failures_total", (("printer", "tcp://10.0.0.5:9100"),))] == 1
    app.extensions["reception"].db.dispose()


def test_metrics_count_issued_tickets_waiting_and_call_latency(api, client) -> None:
    kiosk = api.device("kiosk")
    op = api.user("op", ["operator"])
    before = samples(client)
    assert before[("reception_waiting_tickets", (("office", "T1"), ("service", "consult")))] == 0
    for _ in range(2):
        assert api.call("POST", "/kiosk/tickets", kiosk, json={"service": "consult"}).status_code == 201
    assert api.call("POST", "/kiosk/tickets", kiosk, json={"service": "appeal"}).status_code == 201
    assert api.call("POST", "/desks/1/open", op).status_code == 200
    assert api.call("POST", "/desks/1/call-next", op).status_code == 200

    after = samples(client)
    issued = "reception_tickets_issued_total"
    assert after[(issued, (("office", "T1"), ("service", "consult")))] == 2
    assert after[(issued, (("office", "T1"), ("service", "appeal")))] == 1
    waiting = {k[1]: v for k, v in after.items() if k[0] == "reception_waiting_tickets"}
    assert waiting == {(("office", "T1"), ("service", "consult")): 1, (("office", "T1"), ("service", "appeal")): 1}
    assert after[("reception_call_next_seconds_count", (("outcome", "called"),))] == 1
    assert after[("reception_connected_displays", ())] == 0


def test_metrics_are_for_the_internal_network_only(client) -> None:
    assert client.get("/metrics", environ_overrides={"REMOTE_ADDR": "203.0.113.9"}).status_code == 403
    assert client.get("/metrics", environ_overrides={"REMOTE_ADDR": "10.1.2.3"}).status_code == 200


def test_request_id_is_echoed_or_made_and_logged_as_one_json_line(client, office, caplog) -> None:
    with caplog.at_level(logging.INFO, logger=REQUEST_LOGGER):
        sent = client.get("/api/v1/offices", headers={"X-Request-Id": "nginx-7f3a9c21"})
        made = client.get("/healthz", headers={"X-Request-Id": "bad id <script>"})
        sent.close(), made.close()  # as a server does after the last byte: the line is written then
    assert sent.headers["X-Request-Id"] == "nginx-7f3a9c21"
    assert made.headers["X-Request-Id"] != "bad id <script>" and len(made.headers["X-Request-Id"]) == 32
    lines = [json.loads(JsonFormatter().format(r)) for r in caplog.records if r.name == REQUEST_LOGGER]
    assert [(line["request_id"], line["path"]) for line in lines] == [
        ("nginx-7f3a9c21", "/api/v1/offices"), (made.headers["X-Request-Id"], "/healthz")]
    assert lines[0]["method"] == "GET" and lines[0]["remote_addr"] == "127.0.0.1"
    assert isinstance(lines[0]["status"], int) and "\n" not in JsonFormatter().format(caplog.records[0])


def test_the_request_line_is_written_once_the_answer_has_gone(client, office, caplog) -> None:
    """Off the request's path (decision 026): the caller does not wait for its own log line."""
    with caplog.at_level(logging.INFO, logger=REQUEST_LOGGER):
        answer = client.get("/healthz", headers={"X-Request-Id": "nginx-0a1b2c3d"})
        assert answer.status_code == 200
        assert [r for r in caplog.records if r.name == REQUEST_LOGGER] == []
        answer.close()
    lines = [json.loads(JsonFormatter().format(r)) for r in caplog.records if r.name == REQUEST_LOGGER]
    assert [(line["request_id"], line["path"], line["status"]) for line in lines] == [
        ("nginx-0a1b2c3d", "/healthz", 200)]
    assert lines[0]["duration_ms"] >= 0


@pytest.mark.parametrize("hops, secure", [(0, False), (1, True)])
def test_proxy_headers_count_only_behind_a_configured_proxy(db, db_url, clock, office, hops, secure) -> None:
    from reception.http.plumbing import trust_proxies

    app = make_test_app(db_url, clock)
    trust_proxies(app, hops)
    display = add_device(db, clock, "display", office)
    r = app.test_client().get(f"/display?token={display}", headers={
        "X-Forwarded-For": "198.51.100.4", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "queue.example.gov.ua"})
    assert r.status_code == 302
    assert ("Secure" in r.headers["Set-Cookie"]) is secure
    app.extensions["reception"].db.dispose()


def test_gunicorn_runs_one_gevent_worker_configured_from_the_app(app) -> None:
    from reception.ops.server import HEADER_DEADLINE_S, ProductionServer, gunicorn_options

    options = gunicorn_options(app, "::", 8001)
    assert options["bind"] == ["[::]:8001"] and options["worker_connections"] == app.config["WORKER_CONNECTIONS"] == 10_000
    server = ProductionServer(app, gunicorn_options(app, "127.0.0.1", 8002, connections=800))
    assert (server.cfg.workers, server.cfg.worker_class_str, server.cfg.worker_connections) == (1, "gevent", 800)
    assert server.cfg.keepalive == HEADER_DEADLINE_S  # the gevent worker's deadline for every request's headers
    assert server.cfg.graceful_timeout == 10 and server.cfg.accesslog is None
    assert server.load() is app


def test_only_the_production_server_runs_on_gevent(app) -> None:
    from reception.ops.server import serve_production
    from reception.platform.green import patched, serves_with_gevent

    assert serves_with_gevent(["serve", "--port", "8001"]) and serves_with_gevent(["demo"])
    assert not any(map(serves_with_gevent, (["serve", "--dev"], ["db", "upgrade"], ["serve", "--help"], [])))
    assert not patched(), "the test suite runs on plain threads"
    with pytest.raises(RuntimeError, match="monkey patching"):  # a native lock held across a yield would freeze it
        serve_production(app, "127.0.0.1", 8003)


def test_serving_settings_from_the_environment(monkeypatch, tmp_path: Path) -> None:
    from reception.platform.config import load

    monkeypatch.setenv("RECEPTION_WORKER_CONNECTIONS", "4000")
    monkeypatch.setenv("RECEPTION_PROXY_HOPS", "1")
    monkeypatch.setenv("RECEPTION_METRICS_ALLOW", "10.0.0.0/8, 192.0.2.1/32")
    config = load(str(tmp_path))
    assert (config["WORKER_CONNECTIONS"], config["PROXY_HOPS"]) == (4000, 1)
    assert config["METRICS_ALLOW"] == ["10.0.0.0/8", "192.0.2.1/32"]
    monkeypatch.setenv("RECEPTION_PROXY_HOPS", "one")
    with pytest.raises(ValueError, match="RECEPTION_PROXY_HOPS must be a whole number"):
        load(str(tmp_path))


def test_socketio_never_takes_the_connections_kept_for_plain_requests() -> None:
    import threading

    from werkzeug.test import Client
    from werkzeug.wrappers import Response

    from reception.ops.server import SocketBudget, socket_budget

    release, entered = threading.Event(), threading.Event()

    def app(environ, start_response):
        if environ["PATH_INFO"].startswith("/socket.io/"):
            entered.set()
            release.wait(10)  # an open websocket holds its thread
        return Response("ok")(environ, start_response)

    refused: list[int] = []
    budget = SocketBudget(app, limit=1, on_refused=lambda: refused.append(1))
    holder = threading.Thread(target=lambda: Client(budget).get("/socket.io/?EIO=4&transport=websocket"))
    holder.start()
    try:
        assert entered.wait(10)
        busy = Client(budget).get("/socket.io/?EIO=4&transport=polling")
        assert busy.status_code == 503 and busy.headers["Retry-After"] == "2" and refused == [1]
        assert Client(budget).get("/api/v1/kiosk/menu").status_code == 200, "plain requests still pass"
    finally:
        release.set()
        holder.join(10)
    assert budget.in_flight == 0
    assert Client(budget).get("/socket.io/?EIO=4&transport=polling").status_code == 200
    assert (socket_budget(100), socket_budget(20), socket_budget(4)) == (90, 16, 1)


def test_a_mistyped_metrics_network_stops_the_app_at_start(db_url, clock) -> None:
    from reception.app import create_app

    with pytest.raises(ValueError, match="METRICS_ALLOW"):
        create_app({"TESTING": True, "DATABASE_URL": db_url, "SECRET_KEY": "t", "METRICS_ALLOW": ["10.0.0.300/8"]},
                   clock=clock, printer_factory=lambda url: RecordingPrinter())


def test_every_record_written_during_a_request_carries_its_id(app) -> None:
    from flask import g

    with app.test_request_context("/kiosk"):
        g.request_id = "req-0123456789"
        record = logging.LogRecord("reception.devices.printing", logging.ERROR, __file__, 1, "printer %s down", ("tcp",), None)
        line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "req-0123456789" and line["msg"] == "printer tcp down" and line["level"] == "ERROR"


def test_the_threaded_servers_knob_is_still_accepted_as_a_floor_for_connections(app, monkeypatch, tmp_path: Path) -> None:
    """RECEPTION_WORKER_THREADS sized the old threaded server; deployments still set it (600 for 500 displays)."""
    from reception.ops.server import gunicorn_options
    from reception.platform.config import load

    monkeypatch.setenv("RECEPTION_WORKER_THREADS", "600")
    assert load(str(tmp_path))["WORKER_THREADS"] == 600
    app.config["WORKER_THREADS"] = 20_000
    assert gunicorn_options(app, "127.0.0.1", 8004)["worker_connections"] == 20_000
    app.config["WORKER_THREADS"] = 600  # below the default: the connections stay at 10,000
    assert gunicorn_options(app, "127.0.0.1", 8004)["worker_connections"] == 10_000
