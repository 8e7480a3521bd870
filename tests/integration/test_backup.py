"""`reception backup` and `reception restore`: a restore yields the very rows the backup saw
(every table hashed), on SQLite and on PostgreSQL; the refusals change nothing; an SQLite copy
taken while tickets are being issued is consistent."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import threading
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import MetaData, Table, inspect, select

from reception.accounts.administration import update_user
from reception.kernel.identity import Actor
from reception.ops import backup as b
from reception.ops.cli import main
from reception.platform.db import Database
from reception.queue import commands as queue
from tests.fakes import ROOT, add_device, add_user, build_office, services

OPERATOR_PASSWORD = "secret-pass-1"


def cli(db_url: str, *args: str) -> Result:
    env = {"RECEPTION_DATABASE_URL": db_url, "RECEPTION_SECRET_KEY": "backup-test"}
    return CliRunner().invoke(main, list(args), env=env)


def table_hashes(db: Database) -> dict[str, tuple[int, str]]:
    """Every table of the database (whatever made it): its row count and a hash of its rows in key order."""
    found = {}
    with db.write_engine.connect() as conn:
        for name in sorted(inspect(conn).get_table_names()):
            t = Table(name, MetaData(), autoload_with=conn)
            rows = conn.execute(select(t).order_by(*(t.primary_key.columns or t.columns))).all()
            found[name] = (len(rows), hashlib.sha256(repr([tuple(r) for r in rows]).encode()).hexdigest())
    return found


def operator(db: Database, username: str) -> Actor:
    from reception.accounts.models import User

    with db.read() as s:
        user = s.scalars(select(User).where(User.username == username)).one()
        return Actor(user_id=user.id, username=username, roles=frozenset({"operator"}),
                     office_ids=frozenset(o.id for o in user.offices))


def ticket_of(result: queue.CommandResult) -> dict[str, Any]:
    assert result.ticket is not None
    return result.ticket


def a_working_hour(db: Database, clock: Any, office: str, visitors: int, desk_user: str) -> list[str]:
    """Issue, call and finish through the service layer: tickets, their events, audit entries."""
    run = services(db, clock)
    codes = [ticket_of(run.value(queue.issue_ticket, office_code=office, service_code="consult"))["code"]
             for _ in range(visitors)]
    actor = operator(db, desk_user)
    run.value(queue.open_desk, actor, "1", office_code=office)
    called = ticket_of(run.value(queue.call_next, actor, "1", office_code=office))
    run.value(queue.finish, actor, called["id"], None)
    return codes


@pytest.fixture
def seeded(db: Database, clock: Any) -> dict[str, Any]:
    build_office(db, "BK")
    user_id = add_user(db, clock, "olena", ["operator"], ["BK"])
    add_device(db, clock, "kiosk", "BK")
    codes = a_working_hour(db, clock, "BK", 4, "olena")
    services(db, clock).value(update_user, ROOT, user_id, {"full_name": "Олена Петренко"})  # audited
    hashes = table_hashes(db)
    for name in ("tickets", "ticket_events", "users", "audit_log", "devices"):
        assert hashes[name][0] > 0, f"the seed left {name} empty"
    return {"hashes": hashes, "codes": codes}


def test_a_restore_yields_the_same_rows(db: Database, db_url: str, clock: Any, seeded: dict[str, Any],
                                        tmp_path: Path) -> None:
    copy = tmp_path / "reception.backup"
    done = cli(db_url, "backup", str(copy))
    assert done.exit_code == 0, done.output
    assert "backup written" in done.output and str(copy) in done.output
    assert b.file_kind(copy) == b.database_kind(db_url)

    # The day goes on after the backup: more tickets, events, a new user, audit entries.
    add_user(db, clock, "taras", ["operator"], ["BK"])
    add_device(db, clock, "display", "BK")
    a_working_hour(db, clock, "BK", 3, "olena")
    changed = table_hashes(db)
    for name in ("tickets", "ticket_events", "users", "audit_log", "devices"):
        assert changed[name] != seeded["hashes"][name], f"{name} did not change after the backup"

    refused = cli(db_url, "restore", str(copy))
    assert refused.exit_code != 0 and "--yes" in refused.output
    assert table_hashes(db) == changed, "a refused restore changed nothing"

    db.dispose()  # no pooled connection of this process in the way of the restore
    done = cli(db_url, "restore", str(copy), "--yes")
    assert done.exit_code == 0, done.output
    assert "restored" in done.output and f"{len(seeded['hashes'])} tables" in done.output
    assert table_hashes(db) == seeded["hashes"]

    # The restored database carries on where the backup stood: ids and numbers follow it.
    ticket = ticket_of(services(db, clock).value(queue.issue_ticket, office_code="BK", service_code="consult"))
    assert ticket["number"] == len(seeded["codes"]) + 1


def test_backup_refuses_to_replace_a_file_without_yes(db: Database, db_url: str, seeded: dict[str, Any],
                                                      tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    copy = folder / "existing.backup"
    copy.write_bytes(b"keep me")
    done = cli(db_url, "backup", str(copy))
    assert done.exit_code != 0 and "--yes" in done.output
    assert copy.read_bytes() == b"keep me"
    done = cli(db_url, "backup", str(copy), "--yes")
    assert done.exit_code == 0, done.output
    assert b.file_kind(copy) == b.database_kind(db_url)
    assert [p.name for p in folder.iterdir()] == ["existing.backup"], "no temporary file left behind"


def _other_kind(db_url: str, path: Path) -> Path:
    """A real backup of the other kind: an SQLite file, or the first bytes of a pg_dump archive."""
    if b.database_kind(db_url) == "postgresql":
        with sqlite3.connect(path) as conn:
            conn.execute("CREATE TABLE tickets (id INTEGER PRIMARY KEY)")
        conn.close()
    else:
        path.write_bytes(b"PGDMP\x01\x0e\x00" + bytes(64))
    return path


def test_restore_refuses_a_file_of_the_other_kind_or_no_backup_at_all(db: Database, db_url: str,
                                                                      seeded: dict[str, Any], tmp_path: Path) -> None:
    other = _other_kind(db_url, tmp_path / "other.backup")
    done = cli(db_url, "restore", str(other), "--yes")
    assert done.exit_code != 0 and "cannot be restored into" in done.output, done.output
    junk = tmp_path / "notes.txt"
    junk.write_text("не копія")
    done = cli(db_url, "restore", str(junk), "--yes")
    assert done.exit_code != 0 and "is not a backup" in done.output
    done = cli(db_url, "restore", str(tmp_path / "missing.backup"), "--yes")
    assert done.exit_code != 0 and "no such file" in done.output
    assert table_hashes(db) == seeded["hashes"]


def test_a_restore_into_an_empty_database_needs_no_yes(tmp_path: Path, db: Database, db_url: str,
                                                       seeded: dict[str, Any]) -> None:
    if b.database_kind(db_url) != "sqlite":
        pytest.skip("one PostgreSQL database per test run: the round trip above covers it")
    copy = tmp_path / "day.backup"
    assert cli(db_url, "backup", str(copy)).exit_code == 0
    fresh = f"sqlite:///{tmp_path / 'new-box.db'}"
    done = cli(fresh, "restore", str(copy))
    assert done.exit_code == 0, done.output
    from reception.platform.db import connect

    restored = connect(fresh)
    try:
        assert table_hashes(restored) == seeded["hashes"]
    finally:
        restored.dispose()


def test_an_sqlite_copy_taken_while_tickets_are_issued_is_consistent(db: Database, db_url: str, clock: Any,
                                                                     tmp_path: Path) -> None:
    if b.database_kind(db_url) != "sqlite":
        pytest.skip("SQLite's online copy; pg_dump works from one snapshot by design")
    build_office(db, "ON")
    run = services(db, clock)
    stop = threading.Event()
    issued = [0]

    def kiosk() -> None:  # the server, writing all along
        while not stop.is_set():
            run.value(queue.issue_ticket, office_code="ON", service_code="consult")
            issued[0] += 1

    writer = threading.Thread(target=kiosk)
    writer.start()
    counts = []
    try:
        for i in range(8):
            while issued[0] < 10 * (i + 1):
                stop.wait(0.005)
            copy = tmp_path / f"copy-{i}.db"
            b.backup(db_url, copy)
            with sqlite3.connect(copy) as conn:
                assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
                assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete", "one self-contained file"
                # Each issue writes its counter, ticket and event in one transaction: a copy
                # holds all three or none of them.
                counter = conn.execute("SELECT last_number FROM ticket_counters").fetchone()[0]
                tickets = conn.execute("SELECT count(*), max(number) FROM tickets").fetchone()
                events = conn.execute("SELECT count(*) FROM ticket_events WHERE kind = 'issued'").fetchone()[0]
            conn.close()
            assert tickets == (counter, counter) and events == counter
            counts.append(counter)
    finally:
        stop.set()
        writer.join()
    assert counts == sorted(counts) and counts[-1] > counts[0], "the copies were taken while tickets were issued"


def test_a_clear_error_when_the_postgresql_programs_are_missing(tmp_path: Path) -> None:
    with pytest.raises(b.BackupError, match="pg_dump not found.*postgresql-client"):
        b.find_pg_program("pg_dump", path=str(tmp_path), fallback_glob=str(tmp_path / "*" / "bin"))
    newer = tmp_path / "17" / "bin"
    older = tmp_path / "9" / "bin"
    for folder in (older, newer):
        folder.mkdir(parents=True)
        (folder / "pg_dump").write_text("#!/bin/sh\n")
        (folder / "pg_dump").chmod(0o755)
    found = b.find_pg_program("pg_dump", path=str(tmp_path), fallback_glob=str(tmp_path / "*" / "bin"))
    assert found == str(newer / "pg_dump"), "the newest major version (17 over 9, not by name)"


def test_the_password_stays_off_the_command_line() -> None:
    target, env = b.libpq_target("postgresql+psycopg://app:s3cret@db.internal:5433/reception?sslmode=require")
    assert target == "postgresql://app@db.internal:5433/reception?sslmode=require"
    assert env == {"PGPASSWORD": "s3cret"}


def _stamp(db: Database, revision: str | None) -> None:
    """The schema's Alembic revision, as `reception db upgrade` records it (None: no such table)."""
    with db.write_engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        if revision is not None:
            conn.exec_driver_sql("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
            conn.exec_driver_sql(f"INSERT INTO alembic_version VALUES ('{revision}')")


def _refused(db: Database, db_url: str, copy: Path, *words: str) -> None:
    before = table_hashes(db)
    db.dispose()
    done = cli(db_url, "restore", str(copy), "--yes")
    assert done.exit_code == 1 and isinstance(done.exception, SystemExit), done.output  # a message, no traceback
    for word in words:
        assert word in done.output, done.output
    assert table_hashes(db) == before, "a refused restore changed nothing"


def test_restore_refuses_another_applications_database(db: Database, db_url: str, seeded: dict[str, Any],
                                                       tmp_path: Path) -> None:
    other = tmp_path / "other_app.backup"
    if b.database_kind(db_url) == "sqlite":
        with sqlite3.connect(other) as conn:  # a valid SQLite file of something else
            conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
            conn.execute("INSERT INTO notes (text) VALUES ('hello')")
        conn.close()
    else:  # a valid pg_dump archive that holds one table of something else
        target, env = b.libpq_target(db_url)
        subprocess.run([b.find_pg_program("pg_dump"), "--no-password", f"--dbname={target}", "--format=custom",
                        "--table=login_throttles", f"--file={other}"], check=True, env=os.environ | env)
    _refused(db, db_url, other, "is not a backup of this product's database", "missing tables")


def test_restore_refuses_a_revision_this_release_does_not_know(db: Database, db_url: str, seeded: dict[str, Any],
                                                               tmp_path: Path) -> None:
    copy = tmp_path / "newer.backup"
    _stamp(db, "9999_from_the_future")
    try:
        assert cli(db_url, "backup", str(copy)).exit_code == 0
        _stamp(db, max(b.known_revisions()))
        _refused(db, db_url, copy, "schema revision 9999_from_the_future is unknown")
        good = tmp_path / "good.backup"  # a known revision restores as before
        assert cli(db_url, "backup", str(good)).exit_code == 0
        db.dispose()
        done = cli(db_url, "restore", str(good), "--yes")
        assert done.exit_code == 0 and f"schema revision {max(b.known_revisions())}" in done.output, done.output
    finally:
        _stamp(db, None)


def test_restore_refuses_a_truncated_copy(db: Database, db_url: str, seeded: dict[str, Any], tmp_path: Path) -> None:
    copy = tmp_path / "cut.backup"
    assert cli(db_url, "backup", str(copy)).exit_code == 0
    data = copy.read_bytes()
    copy.write_bytes(data[: len(data) * 2 // 3])  # the copy stopped two thirds of the way
    _refused(db, db_url, copy, "is damaged or truncated")
