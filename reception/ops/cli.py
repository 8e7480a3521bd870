"""The ``reception`` console command (README.md, "Command line"; ``reception --help``)."""
# ruff: noqa: E402  (the imports after the gevent patch come after it on purpose)

from __future__ import annotations

import sys

from reception.platform.green import patch_if_serving

# First of all: the production server runs on gevent, patched before the app's modules load (029).
patch_if_serving(sys.argv[1:])

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from flask import Flask

from reception.app import create_app, instance_path
from reception.bootstrap import Core, bootstrap
from reception.kernel.identity import ROLES, Actor


def _app() -> Flask:
    """The whole web app: for the commands that serve it."""
    try:
        return create_app()
    except ValueError as exc:  # a bad setting: say which, without a traceback
        raise click.ClickException(str(exc)) from None


def _config() -> dict[str, Any]:
    """The settings the server runs with (RECEPTION_* variables, the TOML file, the instance folder)."""
    from reception.platform.config import load

    try:
        return load(instance_path())
    except ValueError as exc:  # a bad setting: say which, without a traceback
        raise click.ClickException(str(exc)) from None


def _core() -> Core:
    """The core alone (database, clock, services), for the commands that only run commands or read; with
    a Redis REDIS_URL their live events reach the servers (a disabled user's open sockets close)."""
    from reception.http.realtime import ExternalPublisher
    from reception.platform.db import connect

    config = _config()
    db = connect(config["DATABASE_URL"])
    redis_url = config.get("REDIS_URL") or ""
    return bootstrap(db, publisher=ExternalPublisher(redis_url, db=db)
                     if redis_url.startswith(("redis://", "rediss://")) else None)


@click.group()
def main() -> None:
    """Reception queue and kiosk system."""


@main.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the schema of RECEPTION_DATABASE_URL."""
    from reception.schema.migrate import upgrade

    core = _core()
    upgrade(core.db)
    click.echo(f"schema is up to date: {_safe_url(core.db.url)}")


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _public_base(app: Flask, host: str, port: int) -> str:
    """RECEPTION_PUBLIC_BASE_URL, else this server's own address (the ticket QR links follow it); the
    log names the base the QR codes really carry."""
    if not app.config.get("PUBLIC_BASE_URL"):
        app.config["PUBLIC_BASE_URL"] = f"http://{host}:{port}"
        logging.getLogger(__name__).warning(
            "RECEPTION_PUBLIC_BASE_URL is not set: ticket QR codes point to %s (this server's own address)",
            app.config["PUBLIC_BASE_URL"])
    return str(app.config["PUBLIC_BASE_URL"]).rstrip("/")


def _serve(app: Flask, host: str, port: int, connections: int | None, dev: bool) -> None:
    from reception.ops import server

    if dev:
        server.serve_development(app, host, port)
    else:
        server.serve_production(app, host, port, connections)


_CONNECTIONS = click.option("--connections", default=None, type=click.IntRange(16, 100_000),
                            help="open connections of the process (default: RECEPTION_WORKER_CONNECTIONS, 10000)")
_DEV = click.option("--dev", is_flag=True, help="Werkzeug's development server instead of gunicorn")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@_CONNECTIONS
@_DEV
def demo(host: str, port: int, connections: int | None, dev: bool) -> None:
    """Seed a demo office (if empty) and serve; embedded SQLite by default."""
    from reception.ops.demo import banner, seed
    from reception.schema.migrate import upgrade

    app = _app()
    w = app.extensions["reception"]
    upgrade(w.db)
    info = seed(w.db, w.clock, app.instance_path)
    speech = app.extensions.get("display.speech")
    for line in banner(f"http://{host}:{port}", info, speech_available=bool(speech and speech.available)):
        click.echo(line)
    public = _public_base(app, host, port)
    click.echo(f"  QR на талонах / ticket QR links: {public}/t/…  (RECEPTION_PUBLIC_BASE_URL)")
    _serve(app, host, port, connections, dev)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@_CONNECTIONS
@_DEV
def serve(host: str, port: int, connections: int | None, dev: bool) -> None:
    """Serve with gunicorn (one gevent worker; several processes behind nginx, docs/deployment.md)."""
    app = _app()
    click.echo(f"QR на талонах / ticket QR links: {_public_base(app, host, port)}/t/…  (RECEPTION_PUBLIC_BASE_URL)")
    _serve(app, host, port, connections, dev)


def _database_url() -> str:
    """RECEPTION_DATABASE_URL (or the TOML file, or the default SQLite file), as `serve` uses it."""
    return str(_config()["DATABASE_URL"])


@main.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="replace PATH if it exists")
def backup_command(path: Path, yes: bool) -> None:
    """Copy the whole database to PATH, safe while the server runs (SQLite: online copy; PostgreSQL: pg_dump -Fc)."""
    from reception.ops import backup as b

    url = _database_url()
    try:
        kind = b.backup(url, path, overwrite=yes)
    except b.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"резервну копію збережено / backup written: {path} ({b.NAMES[kind]}, {path.stat().st_size} bytes) "
               f"from {_safe_url(url)}")


@main.command("restore")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="replace what the database holds now")
def restore_command(path: Path, yes: bool) -> None:
    """Replace the whole database with the backup in PATH (stop the servers first)."""
    from reception.ops import backup as b

    url = _database_url()
    try:
        if not yes and path.is_file() and b.holds_data(url):
            raise b.BackupError(f"{_safe_url(url)} уже містить дані, відновлення їх замінить; додайте --yes / "
                                f"the database holds data that a restore replaces: add --yes to go ahead")
        kind = b.restore(url, path)
        after = b.summary(url)
    except b.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    revision = f"schema revision {after.revision}" if after.revision else "no schema revision recorded"
    click.echo(f"відновлено / restored: {path} ({b.NAMES[kind]}) into {_safe_url(url)}: "
               f"{after.tables} tables, {after.rows} rows, {revision}")
    click.echo("далі / next: `reception db upgrade` (if this release is newer than the backup), then start the servers")


@main.group()
def user() -> None:
    """Staff accounts."""


@user.command("add")
@click.argument("name")
@click.option("--role", "roles", multiple=True, required=True, type=click.Choice(ROLES))
@click.option("--office", "offices", multiple=True)
@click.option("--full-name", default="")
@click.option("--password-stdin", is_flag=True, help="read the password from standard input")
@click.option("--temporary/--permanent", default=False, show_default=True,
              help="the user must change this password at first sign-in (off: the server's own first admin)")
def user_add(name: str, roles: tuple[str, ...], offices: tuple[str, ...], full_name: str, password_stdin: bool,
             temporary: bool) -> None:
    """Create a user (the administration's command: the same rules as the admin page)."""
    from reception.accounts.administration import create_user

    password = _read_password(password_stdin)
    made = _run_admin(create_user, username=name, password=password, roles=list(roles), offices=list(offices),
                      full_name=full_name, temporary=temporary)
    click.echo(f"user {name} created (id {made['id']})")


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return str(click.prompt("Пароль / password", hide_input=True, confirmation_prompt=True))


def _console_actor() -> Actor:
    """Whoever runs the console on the server acts as an administrator (audited without a user)."""
    return Actor(username="console", roles=frozenset({"admin"}))


def _run_admin(command: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run an administration command through the service layer; a refusal is a Ukrainian message."""
    from reception.kernel.errors import DomainError
    from reception.platform.i18n import t

    try:
        return _core().services.value(command, _console_actor(), *args, **kwargs)
    except DomainError as exc:
        raise click.ClickException(t(exc.key, "uk", **exc.params)) from exc


def _user_id(name: str) -> int:
    from sqlalchemy import select

    from reception.accounts.models import User

    with _core().db.read() as s:
        user_id = s.scalar(select(User.id).where(User.username == name))
    if user_id is None:
        raise click.ClickException(f"користувача {name} не знайдено / no such user")
    return int(user_id)


@user.command("list")
def user_list() -> None:
    """List staff accounts: name, roles, offices, state."""
    from reception.accounts.administration import list_users

    with _core().db.read() as s:
        users = list_users(s, _console_actor())
    for u in users:
        state = "вимкнено/disabled" if u["disabled"] else "діє/active"
        click.echo(f"{u['id']}\t{u['username']}\t{','.join(u['roles'])}\t{','.join(u['offices']) or '-'}\t{state}")


@user.command("disable")
@click.argument("name")
@click.option("--enable", is_flag=True, help="switch the account back on")
def user_disable(name: str, enable: bool) -> None:
    """Disable (or --enable) a user: their sessions and tokens stop working."""
    from reception.accounts.administration import update_user

    _run_admin(update_user, _user_id(name), {"disabled": not enable})
    click.echo(f"user {name} {'enabled' if enable else 'disabled'}")


@user.command("passwd")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="read the password from standard input")
def user_passwd(name: str, password_stdin: bool) -> None:
    """Set a new, temporary password for a user: they choose their own at the next sign-in (a password
    someone else chose is never kept)."""
    from reception.accounts.administration import set_password

    _run_admin(set_password, _user_id(name), _read_password(password_stdin))
    click.echo(f"password of {name} changed (temporary: to be changed at next sign-in)")


@main.group()
def device() -> None:
    """Kiosks and displays."""


@device.command("list")
@click.option("--office", default=None, help="only this office (by code)")
def device_list(office: str | None) -> None:
    """List kiosks and displays with their last contact."""
    from reception.accounts.devices import list_devices

    with _core().db.read() as s:
        devices = list_devices(s, _console_actor(), office)
    for d in devices:
        state = "діє/active" if d["active"] else "відкликано/revoked"
        click.echo(f"{d['id']}\t{d['kind']}\t{d['office']}\t{d['name'] or '-'}\t{d['zone'] or '-'}\t"
                   f"{d['last_seen_at'] or 'never'}\t{state}")


@device.command("revoke")
@click.argument("device_id", type=int)
def device_revoke(device_id: int) -> None:
    """Revoke a device's token: it stops working at once."""
    from reception.accounts.devices import revoke_device

    _run_admin(revoke_device, device_id)
    click.echo(f"device {device_id} revoked")


@device.command("add")
@click.argument("kind", type=click.Choice(["kiosk", "display"]))
@click.option("--office", required=True)
@click.option("--zone", default=None)
@click.option("--printer", default=None, help="printer URL, e.g. tcp://10.0.0.5:9100?mode=text&codepage=cp1251")
@click.option("--name", default="")
def device_add(kind: str, office: str, zone: str | None, printer: str | None, name: str) -> None:
    """Register a device; its token is printed alone on the last line."""
    from reception.accounts.service import create_device
    from reception.kernel.errors import DomainError
    from reception.platform.i18n import t

    if printer:
        from printers import parse_printer_url

        try:
            parse_printer_url(printer)
        except ValueError as exc:
            raise click.ClickException(f"printer URL: {exc}") from exc
    w = _core()
    try:
        device_id, token = create_device(w.db, w.clock, kind=kind, office_code=office, zone=zone,
                                         printer_url=printer, name=name)
    except DomainError as exc:
        raise click.ClickException(t(exc.key, "uk", **exc.params)) from exc
    click.echo(f"{kind} {device_id} registered for office {office}")
    click.echo(token)


@main.command("print-test")
@click.argument("printer_url")
@click.option("--office", default=None)
@click.option("--lang", default="uk", type=click.Choice(["uk", "en"]))
def print_test(printer_url: str, office: str | None, lang: str) -> None:
    """Print a sample ticket (ESC/POS, PDF or PNG by URL scheme)."""
    from printers import open_printer, sample_slip

    try:
        printer = open_printer(printer_url)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    slip = sample_slip(lang=lang)
    if office:
        from dataclasses import replace

        slip = replace(slip, office_name=office)
    outcome = printer.print_slip(slip)
    if not outcome.ok:
        raise click.ClickException(f"друк не вдався / print failed: {outcome.error}")
    click.echo(f"надруковано / printed: {outcome.printer}")


@main.group()
def records() -> None:
    """Reception records."""


@records.command("anonymise")
@click.option("--office", default=None, help="only this office (by code); all offices otherwise")
@click.option("--dry-run", is_flag=True, help="count what is due, change nothing")
def records_anonymise(office: str | None, dry_run: bool) -> None:
    """Anonymise records and appointments past the storage term (records_retention_years)."""
    from reception.kernel.errors import DomainError
    from reception.leadership.retention import preview_retention, run_retention
    from reception.platform.i18n import t

    w = _core()
    try:
        outcome = (preview_retention(w.db, w.clock, None, office) if dry_run
                   else w.services.value(run_retention, None, office))
    except DomainError as exc:
        raise click.ClickException(t(exc.key, "uk", **exc.params)) from exc
    if dry_run:
        click.echo("пробний запуск, нічого не змінено / dry run, nothing changed")
        click.echo(f"підлягає знеособленню карток / records due: {outcome.records}")
        click.echo(f"записів на прийом / appointments due: {outcome.appointments}")
    else:
        click.echo(f"знеособлено карток / records anonymised: {outcome.records}")
        click.echo(f"записів на прийом / appointments anonymised: {outcome.appointments}")
        if office is None:  # the addresses of messages and subscriptions (decision 037): every office
            from reception.notifications.personal_data import anonymise_notifications

            cfg = _config()
            blanked = w.services.value(anonymise_notifications, int(cfg.get("NOTIFY_KEEP_DAYS") or 30))
            click.echo(f"адрес повідомлень / message addresses blanked: {blanked.messages}")
            click.echo(f"адрес підписок / subscription addresses blanked: {blanked.subscriptions}")
        for what, count in outcome.others:
            click.echo(f"{what}: {count}")


@main.group()
def reports() -> None:
    """Queue reports."""


@reports.command("rollup")
@click.option("--office", default=None, help="only this office (by code); all offices otherwise")
@click.option("--from", "day_from", default=None, help="first day, YYYY-MM-DD (default: a year back)")
def reports_rollup(office: str | None, day_from: str | None) -> None:
    """Pre-aggregate the closed days and months, so the first report of a long period is quick."""
    from reception.kernel.errors import DomainError
    from reception.platform.i18n import t
    from reception.reports.service import build_rollups, parse_day

    w = _core()
    try:
        count = build_rollups(w.db, w.clock, office, parse_day(day_from, "from"))
    except DomainError as exc:
        raise click.ClickException(t(exc.key, "uk", **exc.params)) from exc
    click.echo(f"підсумки зведено, установ / roll-ups built, offices: {count}")


@main.command()
@click.option("--scenario", default="normal", show_default=True,
              help="quiet, normal, peak or desk_closing_midday, or a scenario file (.toml or .json; "
                   "docs/scenarios/example.toml)")
@click.option("--seed", default=1, show_default=True, type=int)
@click.option("--database", default=None, help="an empty database URL (default: a temporary SQLite file)")
@click.option("--closes", default=None, metavar="HH:MM", help="end the day early (default: the scenario's 18:00)")
def simulate(scenario: str, seed: int, database: str | None, closes: str | None) -> None:
    """Simulate an office day through the real queue commands; CSV per ticket on standard output."""
    from reception.simulation import SCENARIOS, Scenario
    from reception.simulation import simulate as simulate_day
    from reception.simulation.output import write_csv
    from reception.simulation.scenario_file import ScenarioError, load

    chosen: str | Scenario = scenario
    if scenario not in SCENARIOS:
        if not (scenario.endswith((".toml", ".json")) or os.path.isfile(scenario)):
            raise click.BadParameter(f"{scenario!r} is not one of {', '.join(SCENARIOS)} nor a scenario file",
                                     param_hint="--scenario")
        try:
            chosen = load(scenario)
        except ScenarioError as exc:
            raise click.BadParameter("\n  ".join([str(scenario), *exc.problems]), param_hint="--scenario") from exc
    try:
        day = simulate_day(chosen, seed, database_url=database, closes=closes)
    except RuntimeError as exc:
        raise click.ClickException(str(exc)) from exc
    write_csv(day, sys.stdout)


@main.group()
def staffing() -> None:
    """Staffing plans (decision 041)."""


@staffing.command("simulate")
@click.option("--office", required=True, help="the office's code")
@click.option("--date", "day", default=None, help="the office-local day, YYYY-MM-DD (default: today)")
@click.option("--target-pct", default=80, show_default=True, type=click.IntRange(1, 99),
              help="share of visitors called within each service's target wait")
@click.option("--seed", default=1, show_default=True, type=int)
@click.option("--write", "write_to", default=None, type=click.Path(dir_okay=False),
              help="also write the plan's scenario as a JSON scenario file, to edit and run with `simulate`")
def staffing_simulate(office: str, day: str | None, target_pct: int, seed: int, write_to: str | None) -> None:
    """The day's plan (Erlang C per hour) simulated as a whole, beside the office's desks as set up today."""
    import json

    from sqlalchemy import select

    from reception.kernel.bounds import parse_date
    from reception.kernel.errors import DomainError
    from reception.offices.lookups import office_by_code
    from reception.offices.models import Desk, DeskService, Service
    from reception.offices.rules import office_day
    from reception.platform.i18n import t
    from reception.simulation import simulate as simulate_day
    from reception.simulation.from_plan import STAFFING, scenario_data, waits_by_hour
    from reception.simulation.scenario_file import ScenarioError, parse
    from reception.staffing.history import office_staffing

    core = _core()
    now = core.clock.now()
    try:
        with core.db.read() as s:
            record = office_by_code(s, office)
            chosen = parse_date(day, "date", exact=True) or office_day(now, record.timezone)
            plan = office_staffing(s, record, chosen, now, target_pct=float(target_pct))
            prefixes = {code: prefix for code, prefix in s.execute(
                select(Service.code, Service.prefix).where(Service.office_id == record.id))}
            served: dict[str, list[str]] = {}
            for desk, service in s.execute(select(Desk.code, Service.code)
                                           .join(DeskService, DeskService.desk_id == Desk.id)
                                           .join(Service, Service.id == DeskService.service_id)
                                           .where(Desk.office_id == record.id, Desk.kind != "room")
                                           .order_by(Desk.code)):
                served.setdefault(desk, []).append(service)
    except DomainError as exc:
        raise click.ClickException(t(exc.key, "uk", **exc.params)) from exc
    results = {}
    for staffing_kind in STAFFING:
        data = scenario_data(plan, prefixes, list(served.items()), staffing_kind)
        if data is None:
            continue
        if write_to and staffing_kind == "plan":
            with open(write_to, "w", encoding="utf-8") as out:
                json.dump(data, out, ensure_ascii=False, indent=2)
        try:
            scenario = parse(data, data["name"])
        except ScenarioError as exc:
            raise click.ClickException(str(exc)) from exc
        results[staffing_kind] = waits_by_hour(simulate_day(scenario, seed), scenario)
    if not results:
        raise click.ClickException("нічого моделювати: установа цього дня не працює / nothing to simulate")
    click.echo("hour,arrivals_expected,desks_needed,desks_planned,erlang_wait_min,"
               "plan_visitors,plan_wait_min,plan_not_called,today_visitors,today_wait_min,today_not_called")

    def cells(kind: str, hour: int) -> str:
        row = results.get(kind, {}).get(hour, {})
        wait = row.get("wait_min")
        return f"{row.get('visitors', 0)},{'' if wait is None else wait},{row.get('not_called', 0)}"

    for row in plan["by_hour"]:
        h = row["hour"]
        click.echo(f"{h:02d}:00,{row['arrivals_expected']},{row['desks_needed']},{row['desks_planned']},"
                   f"{row['expected_wait_min']},{cells('plan', h)},{cells('today', h)}")


if __name__ == "__main__":  # pragma: no cover
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
