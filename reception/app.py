"""The Flask app: the core from :mod:`reception.bootstrap`, with the HTTP adapters and the front ends around it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from flask import Flask, request
from flask.typing import ResponseReturnValue
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from reception.bootstrap import bootstrap
from reception.devices.status import probe_from_factory
from reception.hall.view import cached_probe
from reception.http import limits, metrics, security
from reception.http.callers import init_login
from reception.http.csrf import csrf_token, init_csrf
from reception.http.language import init_i18n, request_lang
from reception.http.realtime import SocketIOPublisher, client_manager, settings_from_db, socketio
from reception.http.wiring import Wiring
from reception.kernel.ports import Publisher, TicketPrinter
from reception.kernel.service_layer import Services
from reception.platform import db as dbmod
from reception.platform import green, i18n
from reception.platform.clock import Clock, SystemClock


def _default_printer_factory() -> Callable[[str], TicketPrinter]:
    """One spool (queue + worker) per printer URL, shared by the app (decision 002)."""
    from printers import SpoolRegistry, open_printer

    # One retry only: a visitor stands at the kiosk waiting for the answer.
    registry = SpoolRegistry(open_printer, retries=1)

    class SpooledPrinter:
        def __init__(self, url: str) -> None:
            self.spool = registry.get(url)

        def print_slip(self, slip: Any) -> Any:
            return self.spool.submit_and_wait(slip, timeout=10)

    return SpooledPrinter


def create_app(
    test_config: dict[str, Any] | None = None,
    *,
    clock: Clock | None = None,
    publisher: Publisher | None = None,
    printer_factory: Callable[[str], TicketPrinter] | None = None,
) -> Flask:
    app = Flask("reception", instance_relative_config=True, static_folder=None)
    from reception.platform.config import load

    app.config.update(load(app.instance_path, test_config))
    logging.basicConfig(level=app.config.get("LOG_LEVEL", "INFO"))

    database = dbmod.connect(app.config["DATABASE_URL"])
    # One SocketIO extension serves every app the process builds (tests build many): forget the last
    # app's message-queue client, or an app without Redis would inherit it (Flask-SocketIO keeps it).
    socketio.server_options.pop("client_manager", None)
    # Redis that may go away (decision 030); closing a room disconnects its sockets (revocation).
    manager = client_manager(app.config.get("REDIS_URL"))
    socketio.init_app(
        app,
        async_mode="gevent" if green.patched() else "threading",  # `reception serve` runs on gevent (029)
        message_queue=None if manager else app.config.get("REDIS_URL"),
        **({"client_manager": manager} if manager else {}),
        cors_allowed_origins=security.socket_origin_check(app.config),
        manage_session=False,
    )
    if printer_factory is None and not app.config.get("TESTING"):
        printer_factory = _default_printer_factory()
    the_clock = clock or SystemClock()
    # The metrics count what passes the ports: they wrap the publisher and the printers before the core binds them.
    instruments = app.extensions["reception.metrics"] = metrics.Instruments(the_clock)
    core = bootstrap(
        database, the_clock,
        publisher=metrics.CountingPublisher(
            publisher or SocketIOPublisher(socketio, english_for=settings_from_db(database)), instruments),
        printer_factory=None if printer_factory is None else metrics.counting_factory(printer_factory, instruments),
    )
    app.extensions["reception"] = Wiring(
        db=core.db,
        clock=core.clock,
        services=core.services,
        printer_factory=core.printer_factory,
        # Every hall view refetch would otherwise ask each printer again.
        printer_probe=cached_probe(probe) if (probe := probe_from_factory(core.printer_factory)) else None,
    )
    app.extensions["reception.scheduler"] = retention_scheduler(core.services, app.config)
    app.extensions["reception.resume_scheduler"] = resume_scheduler(core.services)
    app.extensions["reception.report_scheduler"] = report_scheduler(core.services, app.config, app.instance_path)

    from reception.http import assets, plumbing
    from reception.http.api import bp as api_bp

    init_i18n(app)  # Flask-Babel: the request's language
    init_login(app)  # Flask-Login: bearer tokens and the server-side session, one caller per request
    init_csrf(app)  # Flask-WTF: tokens for signed-in browsers' forms and fetches
    plumbing.init_app(app)  # request ids, JSON logs, /healthz, /metrics, proxy headers
    app.register_blueprint(api_bp)
    assets.init_app(app)
    _register_front_ends(app)
    security.init_app(app)
    limits.init_app(app)  # after the views: it wraps the kiosk's ticket views

    @app.context_processor
    def _template_globals() -> dict[str, Any]:
        return {"csrf_token": csrf_token, "lang": request_lang()}

    @app.errorhandler(DBAPIError)
    def _database_error(error: DBAPIError) -> ResponseReturnValue:
        """A full, read-only or unreachable database on a page: the 503 page in plain words (the API's
        blueprint answers problem+json through ``problems.from_unexpected``, the same classification)."""
        from reception.http.health import storage_fault

        if request.path.startswith("/api/") or storage_fault(error) is None:
            raise error  # the API's own handler, or a plain 500
        from backoffice.entry import render_error_page

        return render_error_page(503, i18n.t("error.storage_unavailable", request_lang()))

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> ResponseReturnValue:
        if request.path.startswith("/api/"):
            from reception.http.problems import from_http_exception

            return from_http_exception(error)
        from backoffice.entry import http_error_page  # the one localised HTML error page

        page, status = http_error_page(error)
        allowed = isinstance(error, MethodNotAllowed) and error.valid_methods
        return page, status, {"Allow": ", ".join(allowed)} if allowed else {}  # RFC 9110: a 405 names them

    return app


def instance_path() -> str:
    """The instance folder (the default SQLite file and the kept secret key), as the app finds it."""
    return Flask("reception", instance_relative_config=True).instance_path


def _register_front_ends(app: Flask) -> None:
    """Kiosk, display and back office each expose ``init_app(app)``."""
    import backoffice.web
    import display.web
    import kiosk.web

    for front_end in (kiosk.web, display.web, backoffice.web):
        front_end.init_app(app)


def retention_scheduler(services: Services, config: dict[str, Any]) -> Any:
    """The storage-term run (decision 008) as a daily job; started by the serving process only."""
    from reception.leadership.retention import run_retention
    from reception.platform.scheduler import DailyJob, Scheduler

    job = DailyJob("records.anonymise", int(config["RETENTION_HOUR"]), str(config["TIMEZONE"]),
                   lambda: services.value(run_retention))
    return Scheduler(services.db, services.clock, job)


RESUME_EVERY = timedelta(seconds=30)  # how late a scheduled resume's record (and its ``resumed``) may come


def resume_scheduler(services: Services) -> Any:
    """Records the suspensions whose scheduled resume fell due (decision 012); the rule itself holds
    without it, so a late or missed run only delays the record, the event and the bookings' shift."""
    from reception.offices.suspension import resume_due
    from reception.platform.scheduler import PeriodicJob, Scheduler

    job = PeriodicJob("offices.resume_due", RESUME_EVERY, lambda: services.value(resume_due))
    return Scheduler(services.db, services.clock, job, lease=timedelta(minutes=2))


def report_scheduler(services: Services, config: dict[str, Any], instance: str) -> Any:
    """The subscribed reports (decision 041) as a daily job: on Mondays and the 1st it writes the PDF and
    XLSX under the instance folder's ``reports`` and queues the e-mails."""
    from pathlib import Path

    from reception.platform.scheduler import DailyJob, Scheduler
    from reception.reports.delivery import deliver

    folder = Path(instance) / "reports"
    job = DailyJob("reports.deliver", int(config["REPORT_HOUR"]), str(config["TIMEZONE"]),
                   lambda: deliver(services.db, services.clock, folder))
    return Scheduler(services.db, services.clock, job)
