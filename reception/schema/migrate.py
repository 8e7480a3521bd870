"""Schema creation and migration through Alembic, plus the reference data every office needs."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import select

from reception.offices.models import Outcome, PriorityCategory
from reception.platform.db import Database
from reception.schema.seed import OUTCOMES, PRIORITY_CATEGORIES

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(db: Database) -> None:
    """Bring the schema to the newest revision and add missing reference data."""
    with db.write_engine.connect() as conn:
        cfg = alembic_config(db.url)
        cfg.attributes["connection"] = conn
        if db.is_sqlite:
            conn.exec_driver_sql("COMMIT")  # alembic manages its own transaction on this connection
        command.upgrade(cfg, "head")
        conn.commit()
    seed_reference_data(db)


def seed_reference_data(db: Database) -> None:
    with db.write() as s:
        known = set(s.scalars(select(PriorityCategory.code)))
        for order, (code, uk, en) in enumerate(PRIORITY_CATEGORIES):
            if code not in known:
                s.add(PriorityCategory(code=code, name_uk=uk, name_en=en, sort_order=order))
        known_outcomes = {(k, c) for k, c in s.execute(select(Outcome.service_kind, Outcome.code))}
        for order, (kind, code, uk, en, opens_record) in enumerate(OUTCOMES):
            if (kind, code) not in known_outcomes:
                s.add(Outcome(service_kind=kind, code=code, name_uk=uk, name_en=en, opens_record=opens_record,
                              sort_order=order))
