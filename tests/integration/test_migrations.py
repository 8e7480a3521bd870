"""`reception db upgrade` builds exactly the schema the models describe, on both databases."""

from __future__ import annotations

import os
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from reception.offices.models import Outcome, PriorityCategory
from reception.platform.db import connect
from reception.platform.orm import Base
from reception.schema import tables as models_all  # noqa: F401
from reception.schema.migrate import upgrade

PG_URL = os.environ.get("RECEPTION_TEST_DATABASE_URL", "")


def _fresh_url(tmp_path: Path) -> str:
    if not PG_URL:
        return f"sqlite:///{tmp_path / 'migrated.db'}"
    db = connect(PG_URL)
    with db.write_engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS migtest CASCADE"))
        conn.execute(text("CREATE SCHEMA migtest"))
    db.dispose()
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}options=-csearch_path%3Dmigtest"


def test_upgrade_head_matches_models_and_seeds_reference_data(tmp_path: Path) -> None:
    db = connect(_fresh_url(tmp_path))
    try:
        upgrade(db)
        upgrade(db)  # idempotent
        with db.write_engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        assert diff == [], diff
        with db.read() as s:
            assert s.query(PriorityCategory).count() >= 5
            assert s.query(Outcome).count() >= 5
    finally:
        db.dispose()
