"""`reception reports rollup`, run as a real process: builds the roll-ups, refuses a bad date in Ukrainian."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import func, select

from reception.reports.models import ReportRollup
from tests.integration.test_cli import run


def test_rollup_command(tmp_path: Path) -> None:
    from tests.integration.test_migrations import _fresh_url

    db_url = _fresh_url(tmp_path)
    env = os.environ | {"RECEPTION_DATABASE_URL": db_url, "RECEPTION_SECRET_KEY": "cli-test"}
    assert run(["db", "upgrade"], env).returncode == 0
    from reception.platform.db import connect
    from tests.fakes import build_office

    db = connect(db_url)
    build_office(db, "CLI")
    r = run(["reports", "rollup", "--office", "CLI"], env)
    assert r.returncode == 0, r.stderr
    assert "установ / roll-ups built, offices: 1" in r.stdout
    with db.read() as s:
        assert s.execute(select(func.count()).select_from(ReportRollup)).scalar_one() >= 300  # a year of (empty) final days
    db.dispose()
    r = run(["reports", "rollup", "--from", "2026/12/01"], env)
    assert r.returncode != 0 and "ДД.ММ.РРРР" in r.stderr
