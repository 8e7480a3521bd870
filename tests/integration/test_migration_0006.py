"""Migration 0006 backfills the folded surname and puts existing phones in E.164 (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from alembic import command
from sqlalchemy import text

from reception.leadership import booking
from reception.platform.db import Database, connect
from reception.schema.migrate import alembic_config, upgrade
from tests.fakes import ROOT, build_office, make_clock, services
from tests.integration.test_migrations import _fresh_url
from tests.web.leadership.builders import add_leader, add_leadership, add_rule


def _to(db: Database, revision: str) -> None:
    """Move the schema to ``revision`` on one connection, as ``reception.schema.migrate.upgrade`` does."""
    with db.write_engine.connect() as conn:
        cfg = alembic_config(db.url)
        cfg.attributes["connection"] = conn
        if db.is_sqlite:
            conn.exec_driver_sql("COMMIT")
        if revision == "head":
            command.upgrade(cfg, "head")
        else:
            command.downgrade(cfg, revision)
        conn.commit()


def test_existing_bookings_are_backfilled(tmp_path: Path) -> None:
    db = connect(_fresh_url(tmp_path))
    clock = make_clock()
    try:
        upgrade(db)
        build_office(db)
        add_leadership(db)
        add_rule(db, clock, add_leader(db, clock), weekday=4, valid_from=date(2026, 11, 1))
        with db.read() as s:
            session_id = s.execute(text("SELECT id FROM reception_sessions ORDER BY day LIMIT 1")).scalar_one()
        for surname, phone in (("Петренко", "0501112233"), ("Коваль", None), ("Шевчук", "0441234567")):
            services(db, clock).value(booking.book, ROOT, session_id, surname=surname, name="Іван", topic="Спадщина", phone=phone)
        _to(db, "0005")
        with db.write() as s:  # rows as 0005 kept them: phones as typed, no folded column
            s.execute(text("UPDATE appointments SET surname = 'ПЕТРЕНКО', phone = '050 111-22-33' "
                           "WHERE surname = 'Петренко'"))
            s.execute(text("UPDATE appointments SET phone = 'дзвонити ввечері' WHERE surname = 'Шевчук'"))
        _to(db, "head")
        with db.read() as s:
            rows = dict((r[0], (r[1], r[2])) for r in s.execute(
                text("SELECT surname, surname_folded, phone FROM appointments")))
        assert rows == {"ПЕТРЕНКО": ("петренко", "+380501112233"), "Коваль": ("коваль", None),
                        "Шевчук": ("шевчук", "дзвонити ввечері")}  # what cannot be read is kept as typed
    finally:
        db.dispose()
