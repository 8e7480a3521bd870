"""``offices.config_version``: advanced by the database itself whenever an office's configuration changes.

The configuration is what a kiosk ticket is checked against: the office's own settings and hours, its
services and their categories, its desks and which services they serve, and its suspension (leadership's
reception knobs live in ``offices.settings``). Per-process snapshots of it (``reception.offices.snapshot``)
are valid exactly while this number has not moved (decision 036).

One mechanism, in the database: ``AFTER`` triggers on those tables (SQLite and PostgreSQL) bump the
office's number in the same transaction as the change, whoever writes it — an ORM flush, a bulk
``update()``, a Core statement, a migration or a hand-typed SQL line in psql. No code path calls
anything, so none can forget to. A desk's live state (open, paused, who sits there, its priority
streak) is not configuration: only the listed columns of ``desks`` and ``offices`` count, so the hot
path's own writes (the live ``offices.version``, a desk opening) never invalidate a snapshot.

The triggers are created with the tables by ``create_all`` and by migration 0016 for existing databases.
A later SQLite migration that rebuilds one of these tables (``batch_alter_table`` copying it) drops its
triggers with the old table: it must create them again (``sqlite_statements``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import DDL, Table, event

from reception.offices.models import Desk, DeskService, Office, Service, ServiceCategory, Suspension


@dataclass(frozen=True)
class Watched:
    table: Table
    office_of: str  # SQL naming the row's office, with ``{row}`` for NEW or OLD
    columns: tuple[str, ...] = ()  # an UPDATE counts only if it sets one of these (none listed: any)


_OFFICE_ID = "{row}.office_id"
WATCHED = (
    Watched(Office.__table__, "{row}.id",  # type: ignore[arg-type]
            ("code", "name_uk", "name_en", "timezone", "opening_hours", "settings", "is_active")),
    Watched(Service.__table__, _OFFICE_ID),  # type: ignore[arg-type]
    Watched(ServiceCategory.__table__, _OFFICE_ID),  # type: ignore[arg-type]
    Watched(Desk.__table__, _OFFICE_ID,  # type: ignore[arg-type]
            ("office_id", "code", "name_uk", "name_en", "kind", "zone", "allow_call_specific")),
    Watched(DeskService.__table__, "(SELECT office_id FROM desks WHERE id = {row}.desk_id)"),  # type: ignore[arg-type]
    Watched(Suspension.__table__, _OFFICE_ID),  # type: ignore[arg-type]
)

_BUMP = "UPDATE offices SET config_version = config_version + 1 WHERE id IN ({offices})"


def _update_of(w: Watched) -> str:
    return f"UPDATE OF {', '.join(w.columns)}" if w.columns else "UPDATE"


def sqlite_statements(w: Watched) -> tuple[str, ...]:
    name = w.table.name
    rows = {"INSERT": ("NEW",), "DELETE": ("OLD",), _update_of(w): ("OLD", "NEW")}
    if w.table.name == "offices":  # a new office starts at 0; an office is never deleted
        rows = {_update_of(w): ("NEW",)}
    return tuple(
        f"CREATE TRIGGER IF NOT EXISTS {name}_config_{kind.split()[0].lower()} AFTER {kind} ON {name} "
        f"BEGIN {_BUMP.format(offices=', '.join(w.office_of.format(row=r) for r in which))}; END"
        for kind, which in rows.items())


def sqlite_drops(w: Watched) -> tuple[str, ...]:
    return tuple(f"DROP TRIGGER IF EXISTS {w.table.name}_config_{kind}" for kind in ("insert", "update", "delete"))


def postgres_statements(w: Watched) -> tuple[str, ...]:
    name = w.table.name
    if name == "offices":  # the row itself: set in place, before it is written
        body = "NEW.config_version := OLD.config_version + 1; RETURN NEW;"
        timing, events = "BEFORE", _update_of(w)
    else:
        def bump(*rows: str) -> str:
            return _BUMP.format(offices=", ".join(w.office_of.format(row=r) for r in rows)) + ";"

        body = (f"IF TG_OP = 'INSERT' THEN {bump('NEW')} ELSIF TG_OP = 'DELETE' THEN {bump('OLD')} "
                f"ELSE {bump('OLD', 'NEW')} END IF; RETURN NULL;")
        timing, events = "AFTER", f"INSERT OR DELETE OR {_update_of(w)}"
    return (
        f"CREATE OR REPLACE FUNCTION {name}_config_version() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$ BEGIN {body} END $$",
        f"DROP TRIGGER IF EXISTS {name}_config_version ON {name}",
        f"CREATE TRIGGER {name}_config_version {timing} {events} ON {name} "
        f"FOR EACH ROW EXECUTE FUNCTION {name}_config_version()",
    )


def postgres_drops(w: Watched) -> tuple[str, ...]:
    name = w.table.name
    return (f"DROP TRIGGER IF EXISTS {name}_config_version ON {name}",
            f"DROP FUNCTION IF EXISTS {name}_config_version()")


for _w in WATCHED:
    for _statement in sqlite_statements(_w):
        event.listen(_w.table, "after_create", DDL(_statement).execute_if(dialect="sqlite"))
    for _statement in postgres_statements(_w):
        event.listen(_w.table, "after_create", DDL(_statement).execute_if(dialect="postgresql"))
