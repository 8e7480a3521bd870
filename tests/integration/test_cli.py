"""The ``reception`` console command, run as a real process against a real database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PG_URL = os.environ.get("RECEPTION_TEST_DATABASE_URL", "")


def run(args: list[str], env: dict[str, str], stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "reception.ops.cli", *args], env=env, input=stdin,
                          capture_output=True, text=True, timeout=120)


def test_db_upgrade_user_add_device_add_and_print_test(tmp_path: Path) -> None:
    from tests.integration.test_migrations import _fresh_url

    db_url = _fresh_url(tmp_path)
    env = os.environ | {"RECEPTION_DATABASE_URL": db_url, "RECEPTION_SECRET_KEY": "cli-test"}
    r = run(["db", "upgrade"], env)
    assert r.returncode == 0, r.stderr
    from reception.platform.db import connect
    from tests.fakes import build_office

    db = connect(db_url)
    build_office(db, "CLI")
    db.dispose()
    r = run(["user", "add", "olena", "--role", "operator", "--office", "CLI", "--password-stdin"], env,
            "a-long-password\n")
    assert r.returncode == 0, r.stderr
    r = run(["user", "add", "olena", "--role", "operator", "--password-stdin"], env, "a-long-password\n")
    assert r.returncode != 0 and "уже існує" in r.stderr
    r = run(["user", "passwd", "olena", "--password-stdin"], env, "another-long-password\n")
    assert r.returncode == 0 and "changed" in r.stdout, r.stderr
    r = run(["device", "add", "kiosk", "--office", "CLI", "--printer", "dummy://"], env)
    assert r.returncode == 0, r.stderr
    token = r.stdout.strip().splitlines()[-1]
    assert len(token) >= 32 and " " not in token
    r = run(["device", "add", "display", "--office", "NOPE"], env)
    assert r.returncode != 0 and "NOPE" in r.stderr
    out = tmp_path / "pdf"
    r = run(["print-test", f"pdf://{out}"], env)
    assert r.returncode == 0, r.stderr
    assert list(out.glob("*.pdf"))
    r = run(["print-test", "gopher://nowhere"], env)
    assert r.returncode != 0
