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
from reception.http.frames import share_frames
from reception.http.language import init_i18n, request_lang
from reception.http.realtime import SocketIOPublisher, client_manager, settings_from_db, socketio
from reception.http.wiring import Wiring
from reception.kernel.ports import Publisher, TicketPrinter
from reception.kernel.service_layer import Services
from reception.notifications.config import NotifyConfig
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
    if green.patched():  # one framing per event for every idle websocket (frames.py; greenlets only)
        share_frames(socketio.server)
    if printer_factory is None and not app.config.get("TESTING"):
        printer_factory = _default_printer_factory()
    the_clock = clock or SystemClock()
    # The metrics count what passes the ports: they wrap the publisher and the printers before the core binds them.
    instruments = app.extensions["reception.metrics"] = metrics.Instruments(the_clock)
    core = bootstrap(
        database, the_clock,
        publisher=metrics.CountingPublisher(
            publisher or SocketIOPublisher(socketio, english_for=settings_from_db(database),
                                        background=green.patched()), instruments),
        printer_factory=None if printer_factory is None else metrics.counting_factory(printer_factory, instruments),
        notify=NotifyConfig.from_mapping(app.config),
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
    app.extensions["reception.notify_scheduler"] = notify_scheduler(core.services, app.config)
    app.extensions["reception.alerts_scheduler"] = alerts_scheduler(core.services, app.config, probe)
    app.extensions["reception.feed_scheduler"] = feed_scheduler(core.services, app.config)
    app.extensions["reception.notify_reminder"] = reminder_scheduler(core.services, app.config)
    app.extensions["reception.appeal_drafts_scheduler"] = appeal_drafts_scheduler(core.services)
    app.extensions["reception.mail_intake"] = mail = mail_intake_config(app.config, app.instance_path)
    app.extensions["reception.mail_scheduler"] = mail_intake_scheduler(core.services, mail)
    app.extensions["reception.mail_retention"] = mail_retention_scheduler(core.services, app.config, app.instance_path)
    app.extensions["reception.report_scheduler"] = report_scheduler(core.services, app.config, app.instance_path)
    app.extensions["reception.booking_no_show"] = booking_no_show_scheduler(core.services)

    from reception.http import assets, hooks, plumbing
    from reception.http.api import bp as api_bp

    init_i18n(app)  # Flask-Babel: the request's language
    init_login(app)  # Flask-Login: bearer tokens and the server-side session, one caller per request
    init_csrf(app)  # Flask-WTF: tokens for signed-in browsers' forms and fetches
    plumbing.init_app(app)  # request ids, JSON logs, /healthz, /metrics, proxy headers
    app.register_blueprint(api_bp)
    hooks.init_app(app)  # the providers' webhooks (decision 038)
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
    from reception.notifications.personal_data import anonymise_notifications
    from reception.platform.scheduler import DailyJob, Scheduler

    keep_days = int(config.get("NOTIFY_KEEP_DAYS") or 30)
    job = DailyJob("records.anonymise", int(config["RETENTION_HOUR"]), str(config["TIMEZONE"]),
                   lambda: (services.value(run_retention), services.value(anonymise_notifications, keep_days)))
    return Scheduler(services.db, services.clock, job)


RESUME_EVERY = timedelta(seconds=30)  # how late a scheduled resume's record (and its ``resumed``) may come


def resume_scheduler(services: Services) -> Any:
    """Records the suspensions whose scheduled resume fell due (decision 012); the rule itself holds
    without it, so a late or missed run only delays the record, the event and the bookings' shift."""
    from reception.offices.suspension import resume_due
    from reception.platform.scheduler import PeriodicJob, Scheduler

    job = PeriodicJob("offices.resume_due", RESUME_EVERY, lambda: services.value(resume_due))
    return Scheduler(services.db, services.clock, job, lease=timedelta(minutes=2))


def notify_scheduler(services: Services, config: dict[str, Any]) -> Any:
    """The outbox's delivery job (decision 037): the channels configured now, every NOTIFY_POLL_S seconds."""
    from reception.notifications.channels import configured_channels
    from reception.notifications.delivery import deliver_due
    from reception.platform.scheduler import PeriodicJob, Scheduler

    channels = configured_channels(config)
    attempts = int(config.get("NOTIFY_MAX_ATTEMPTS") or 8)
    job = PeriodicJob("notifications.deliver", timedelta(seconds=int(config.get("NOTIFY_POLL_S") or 5)),
                      lambda: deliver_due(services.db, services.clock, channels, max_attempts=attempts))
    return Scheduler(services.db, services.clock, job, lease=timedelta(minutes=2))


def alerts_scheduler(services: Services, config: dict[str, Any], probe: Any = None) -> Any:
    """The alert rules of every office (decision 040): read the kiosks' paper sensors, then evaluate."""
    from reception.alerts.evaluate import evaluate_all
    from reception.devices.status import record_paper
    from reception.platform.scheduler import PeriodicJob, Scheduler

    quiet_min = int(config["ALERT_QUIET_MIN"])

    def run() -> int:
        record_paper(services.db, services.clock, probe)
        return services.value(evaluate_all, quiet_min)

    job = PeriodicJob("alerts.evaluate", timedelta(seconds=int(config["ALERT_EVALUATE_S"])), run)
    return Scheduler(services.db, services.clock, job, lease=timedelta(minutes=2))


def feed_scheduler(services: Services, config: dict[str, Any]) -> Any:
    """The air-raid feed's poller (decision 040); none without a token (the feed answers nobody without one)."""
    from reception.alerts.feed import FeedPoller
    from reception.platform.scheduler import PeriodicJob, Scheduler

    if not config.get("ALERT_FEED_TOKEN"):
        return None
    poller = FeedPoller(services, str(config["ALERT_FEED_URL"]), str(config["ALERT_FEED_TOKEN"]),
                        int(config["ALERT_FEED_POLL_S"]), int(config["ALERT_QUIET_MIN"]))
    job = PeriodicJob("alerts.feed", timedelta(seconds=int(config["ALERT_FEED_POLL_S"])), poller.poll)
    return Scheduler(services.db, services.clock, job, lease=timedelta(minutes=2))


REMINDER_HOUR = 18  # office-local: the day-before reminder goes out in the early evening


def reminder_scheduler(services: Services, config: dict[str, Any]) -> Any:
    """The bookings' reminder the day before (decision 038), once a day."""
    from reception.notifications.triggers import remind_tomorrow
    from reception.platform.scheduler import DailyJob, Scheduler

    job = DailyJob("notifications.remind", REMINDER_HOUR, str(config["TIMEZONE"]), lambda: services.value(remind_tomorrow))
    return Scheduler(services.db, services.clock, job)


APPEAL_DRAFTS_EVERY = timedelta(hours=1)


def appeal_drafts_scheduler(services: Services) -> Any:
    """Forgets the call screen's abandoned drafts (decision 042): they hold a caller's name and phone."""
    from reception.appeals.journal import forget_stale_drafts
    from reception.platform.scheduler import PeriodicJob, Scheduler

    job = PeriodicJob("appeals.forget_drafts", APPEAL_DRAFTS_EVERY, lambda: services.value(forget_stale_drafts))
    return Scheduler(services.db, services.clock, job, lease=timedelta(minutes=10))


def mail_intake_config(config: dict[str, Any], instance: str) -> Any:
    """The office's mailbox (decision 043), or None when RECEPTION_IMAP_URL is unset; a bad URL stops the start."""
    from reception.appeals.intake import IntakeConfig

    return IntakeConfig.from_config(config, instance)


def mail_intake_scheduler(services: Services, mail: Any) -> Any:
    """Polls the mailbox every RECEPTION_IMAP_POLL_S seconds; a failed poll is retried at the next tick."""
    if mail is None:
        return None
    from reception.appeals.intake import poll
    from reception.platform.scheduler import PeriodicJob, Scheduler

    job = PeriodicJob("appeals.imap", mail.every, lambda: poll(services, mail))
    return Scheduler(services.db, services.clock, job, lease=max(timedelta(minutes=5), 3 * mail.every))


def mail_retention_scheduler(services: Services, config: dict[str, Any], instance: str) -> Any:
    """Clears letters past their term (decision 043) at the records' retention hour; started by the serving process."""
    from reception.appeals.intake import attachments_dir
    from reception.appeals.mail_retention import job
    from reception.platform.scheduler import DailyJob, Scheduler

    daily = DailyJob("appeals.mail_retention", int(config["RETENTION_HOUR"]), str(config["TIMEZONE"]),
                     job(services, attachments_dir(config, instance)))
    return Scheduler(services.db, services.clock, daily)
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


def booking_no_show_scheduler(services: Services) -> Any:
    """Marks the bookings nobody came for as no-shows (decision 044), every few minutes."""
    from reception.booking.no_show import mark_no_shows
    from reception.platform.scheduler import PeriodicJob, Scheduler

    job = PeriodicJob("booking.no_show", timedelta(minutes=5), lambda: services.value(mark_no_shows))
    return Scheduler(services.db, services.clock, job, lease=timedelta(minutes=2))
