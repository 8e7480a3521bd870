"""The ``reception`` console command (API.md, "Command line")."""

from __future__ import annotations

import os
import sys

import click

from .app import create_app


def _app():  # type: ignore[no-untyped-def]
    return create_app()


def _wiring(app):  # type: ignore[no-untyped-def]
    return app.extensions["reception"]


@click.group()
def main() -> None:
    """Reception queue and kiosk system."""


@main.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the schema of RECEPTION_DATABASE_URL."""
    from .migrate import upgrade

    app = _app()
    upgrade(_wiring(app).db)
    click.echo(f"schema is up to date: {_safe_url(app.config['DATABASE_URL'])}")


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _serve(app, host: str, port: int) -> None:  # type: ignore[no-untyped-def]
    from .realtime import socketio

    socketio.run(app, host=host, port=port, allow_unsafe_werkzeug=True, use_reloader=False, log_output=False)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
def demo(host: str, port: int) -> None:
    """Seed a demo office (if empty) and serve; embedded SQLite by default."""
    from .demo import seed
    from .migrate import upgrade

    app = _app()
    w = _wiring(app)
    upgrade(w.db)
    info = seed(w.db, w.clock, app.instance_path)
    base = f"http://{host}:{port}"
    click.echo("")
    click.echo("Демо-установа готова / demo office ready:")
    click.echo(f"  Кіоск / kiosk:        {base}/kiosk?token={info['kiosk_token']}")
    click.echo(f"  Табло / display:      {base}/display?token={info['display_token']}")
    click.echo(f"  Робоче місце / desk:  {base}/login")
    click.echo(f"  Розклад / schedule:   {base}/schedule")
    click.echo(f"  API:                  {base}/api/v1/openapi.json")
    for user, password in info["users"].items():
        click.echo(f"  {user:<11} / {password}")
    click.echo("")
    _serve(app, host, port)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
def serve(host: str, port: int) -> None:
    """Serve (threaded; for production run gunicorn, see docs/deployment.md)."""
    app = _app()
    _serve(app, host, port)


@main.group()
def user() -> None:
    """Staff accounts."""


@user.command("add")
@click.argument("name")
@click.option("--role", "roles", multiple=True, required=True,
              type=click.Choice(["admin", "manager", "operator", "leader", "call_centre", "auditor"]))
@click.option("--office", "offices", multiple=True)
@click.option("--full-name", default="")
@click.option("--password-stdin", is_flag=True, help="read the password from standard input")
def user_add(name: str, roles: tuple[str, ...], offices: tuple[str, ...], full_name: str, password_stdin: bool) -> None:
    """Create a user."""
    from .accounts import create_user
    from .errors import DomainError
    from .i18n import t

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Пароль / password", hide_input=True, confirmation_prompt=True)
    app = _app()
    w = _wiring(app)
    try:
        user_id = create_user(w.db, w.clock, username=name, password=password, roles=list(roles),
                              office_codes=list(offices), full_name=full_name)
    except DomainError as exc:
        raise click.ClickException(t(exc.key, "uk", **exc.params)) from exc
    click.echo(f"user {name} created (id {user_id})")


@main.group()
def device() -> None:
    """Kiosks and displays."""


@device.command("add")
@click.argument("kind", type=click.Choice(["kiosk", "display"]))
@click.option("--office", required=True)
@click.option("--zone", default=None)
@click.option("--printer", default=None, help="printer URL, e.g. tcp://10.0.0.5:9100?mode=text&codepage=cp1251")
@click.option("--name", default="")
def device_add(kind: str, office: str, zone: str | None, printer: str | None, name: str) -> None:
    """Register a device; its token is printed alone on the last line."""
    from .accounts import create_device
    from .errors import DomainError
    from .i18n import t

    if printer:
        from printers import parse_printer_url

        try:
            parse_printer_url(printer)
        except ValueError as exc:
            raise click.ClickException(f"printer URL: {exc}") from exc
    app = _app()
    w = _wiring(app)
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
    from .errors import DomainError
    from .i18n import t
    from .leadership.retention import run_retention

    app = _app()
    w = _wiring(app)
    try:
        outcome = run_retention(w.db, w.clock, None, office, dry_run=dry_run)
    except DomainError as exc:
        raise click.ClickException(t(exc.key, "uk", **exc.params)) from exc
    if dry_run:
        click.echo("пробний запуск, нічого не змінено / dry run, nothing changed")
        click.echo(f"підлягає знеособленню карток / records due: {outcome.records}")
        click.echo(f"записів на прийом / appointments due: {outcome.appointments}")
    else:
        click.echo(f"знеособлено карток / records anonymised: {outcome.records}")
        click.echo(f"записів на прийом / appointments anonymised: {outcome.appointments}")


@main.command()
@click.option("--scenario", default="normal", show_default=True,
              help="quiet, normal, peak or desk_closing_midday")
@click.option("--seed", default=1, show_default=True, type=int)
@click.option("--database", default=None, help="an empty database URL (default: a temporary SQLite file)")
@click.option("--closes", default=None, metavar="HH:MM", help="end the day early (default: the scenario's 18:00)")
def simulate(scenario: str, seed: int, database: str | None, closes: str | None) -> None:
    """Simulate an office day through the real queue commands; CSV per ticket on standard output."""
    from .simulation import SCENARIOS
    from .simulation import simulate as simulate_day
    from .simulation.output import write_csv

    if scenario not in SCENARIOS:
        raise click.BadParameter(f"{scenario!r} is not one of {', '.join(SCENARIOS)}", param_hint="--scenario")
    try:
        day = simulate_day(scenario, seed, database_url=database, closes=closes)
    except RuntimeError as exc:
        raise click.ClickException(str(exc)) from exc
    write_csv(day, sys.stdout)


if __name__ == "__main__":  # pragma: no cover
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
