"""Backup and restore of the whole database (``reception backup`` / ``reception restore``).

SQLite: sqlite3's online backup API, which copies a consistent snapshot while the server goes
on writing (it holds a read transaction for the copy; WAL lets writers carry on). PostgreSQL:
``pg_dump --format=custom`` (one snapshot of the database) and ``pg_restore --clean --if-exists
--single-transaction`` (all or nothing). A backup file says what it is in its first bytes, so a
restore refuses a file of the other kind before touching anything (docs/decisions/022-backup.md),
and reads the copy through before it replaces anything: damaged or truncated, of another application
(not this product's tables) or of a schema revision this release does not know (decision 030).
"""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from sqlalchemy import column, create_engine, func, inspect, select, table
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import OperationalError

from reception.schema.migrate import MIGRATIONS

Kind = Literal["sqlite", "postgresql"]
MAGIC: dict[Kind, bytes] = {"sqlite": b"SQLite format 3\x00", "postgresql": b"PGDMP"}
NAMES: dict[Kind, str] = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
# Tables every revision of the product's schema has (revision 0001 made them); with an Alembic revision
# recorded, these and a known revision make a copy the product's own.
CORE_TABLES = frozenset({"offices", "services", "desks", "devices", "users", "tickets", "ticket_events",
                         "ticket_counters", "audit_log"})
# Debian and Ubuntu keep the client programs per major version here when they are not on PATH.
PG_BIN_GLOB = "/usr/lib/postgresql/*/bin"


class BackupError(Exception):
    """A refusal or failure with a message for the operator (Ukrainian / English)."""


@dataclass(frozen=True)
class Summary:
    tables: int
    rows: int
    revision: str | None  # Alembic's, when the schema was made by `reception db upgrade`


def database_kind(url: str) -> Kind:
    backend = make_url(url).get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise BackupError(f"непідтримувана база даних / unsupported database: {backend}")
    return backend  # type: ignore[return-value]


def file_kind(path: Path) -> Kind | None:
    """What a backup file holds, from its first bytes; None for anything else."""
    with path.open("rb") as fh:
        head = fh.read(16)
    return next((kind for kind, magic in MAGIC.items() if head.startswith(magic)), None)


def summary(url: str) -> Summary:
    """How many tables and rows the database holds (what a restore reports)."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            names = inspect(conn).get_table_names()
            rows = sum(conn.scalar(select(func.count()).select_from(table(n))) or 0 for n in names)
            revision = (conn.scalar(select(column("version_num")).select_from(table("alembic_version")))
                        if "alembic_version" in names else None)
        return Summary(len(names), rows, revision)
    except OperationalError as exc:
        raise BackupError(f"немає зʼєднання з базою даних / cannot reach the database: {exc.orig}") from exc
    finally:
        engine.dispose()


def holds_data(url: str) -> bool:
    """Whether a restore would overwrite something: the database exists and has a table."""
    if database_kind(url) == "sqlite":
        path = _sqlite_path(url)
        if not path.exists() or path.stat().st_size == 0:
            return False
    return summary(url).tables > 0


def backup(url: str, path: Path, *, overwrite: bool = False) -> Kind:
    """Write a backup of the database at ``url`` to ``path`` (atomically: a temporary file, renamed)."""
    kind = database_kind(url)
    if path.exists() and not overwrite:
        raise BackupError(f"файл {path} уже існує / {path} exists (--yes replaces it)")
    if not path.parent.is_dir():
        raise BackupError(f"немає теки {path.parent} / no such directory: {path.parent}")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        if kind == "sqlite":
            _sqlite_backup(url, tmp)
        else:
            _run_pg("pg_dump", url, ["--format=custom", f"--file={tmp}"])
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return kind


def restore(url: str, path: Path) -> Kind:
    """Replace the database at ``url`` with the backup in ``path``; the caller has asked the operator."""
    kind = database_kind(url)
    if not path.is_file():
        raise BackupError(f"немає файлу {path} / no such file: {path}")
    found = file_kind(path)
    if found is None:
        raise BackupError(f"{path} не є резервною копією / is not a backup (neither SQLite nor pg_dump -Fc)")
    if found != kind:
        raise BackupError(f"{path} — копія {NAMES[found]}, а база даних — {NAMES[kind]} / "
                          f"a {NAMES[found]} backup cannot be restored into a {NAMES[kind]} database")
    if kind == "sqlite":
        check_contents(path, *_sqlite_contents(path))
        _sqlite_restore(path, url)
    else:
        check_contents(path, *_pg_contents(path))
        _run_pg("pg_restore", url, ["--clean", "--if-exists", "--single-transaction", "--exit-on-error", str(path)])
    return kind


def known_revisions() -> frozenset[str]:
    """Every schema revision this release's migrations know (older ones upgrade; newer ones are unknown)."""
    from alembic.script import ScriptDirectory

    return frozenset(r.revision for r in ScriptDirectory(str(MIGRATIONS)).walk_revisions())


def check_contents(path: Path, tables: set[str], revision: str | None) -> None:
    """Refuse a copy that is not this product's database: another application's tables, or a revision
    this release does not know; without a revision (a schema made without Alembic) every table of
    the current schema must be there."""
    from reception.platform.orm import Base
    from reception.schema import tables as models_all  # noqa: F401  (every table in the metadata)

    if revision is not None and revision not in known_revisions():
        raise BackupError(f"{path}: ревізія схеми {revision} невідома цьому випуску (копія новішого випуску "
                          f"або іншої програми) / schema revision {revision} is unknown to this release "
                          f"(a newer release's copy, or another application's)")
    needed = CORE_TABLES if revision is not None else frozenset(Base.metadata.tables)
    missing = sorted(needed - tables)
    if missing:
        raise BackupError(f"{path} не є копією бази даних цього продукту (бракує таблиць: {', '.join(missing[:5])}) / "
                          f"is not a backup of this product's database (missing tables: {', '.join(missing[:5])})")


# --- SQLite --------------------------------------------------------------------------------------


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("база даних у памʼяті не має копії / an in-memory database has no backup")
    return Path(database)


def _sqlite_backup(url: str, target: Path) -> None:
    source = _sqlite_path(url)
    if not source.is_file():
        raise BackupError(f"немає файлу бази даних {source} / no database file: {source}")
    src = sqlite3.connect(source, timeout=30)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)  # all pages in one step: one read transaction, one consistent snapshot
        # One self-contained file: no -wal beside it (the copy inherits the source's WAL mode).
        dst.execute("PRAGMA journal_mode=DELETE")
        _check_integrity(dst, target)
    finally:
        dst.close()
        src.close()


def _sqlite_contents(path: Path) -> tuple[set[str], str | None]:
    """The copy's tables and Alembic revision, after SQLite has read every page of it (integrity check)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        _check_integrity(conn, path)
        tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone() if "alembic_version" in tables else None
        revision = row[0] if row else None
    except sqlite3.DatabaseError as exc:  # not a database after all, truncated, malformed
        raise BackupError(f"{path} пошкоджено або обрізано / is damaged or truncated: {exc}") from exc
    finally:
        conn.close()
    return tables, revision


def _sqlite_restore(backup_file: Path, url: str) -> None:
    target = _sqlite_path(url)
    src = sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target, timeout=30)
        try:
            src.backup(dst)  # page by page under the target's write lock: other connections see all or none
        finally:
            dst.close()
    finally:
        src.close()


def _check_integrity(conn: sqlite3.Connection, path: Path) -> None:
    verdict = conn.execute("PRAGMA integrity_check").fetchone()[0]
    if verdict != "ok":
        raise BackupError(f"{path} пошкоджено / is damaged: {verdict}")


# --- PostgreSQL ----------------------------------------------------------------------------------


def find_pg_program(name: str, path: str | None = None, fallback_glob: str = PG_BIN_GLOB) -> str:
    """``pg_dump`` or ``pg_restore``: on PATH, else the newest of Debian's versioned folders."""
    found = shutil.which(name, path=path)
    if found:
        return found
    candidates = sorted(Path(d) / name for d in glob.glob(fallback_glob))
    runnable = [c for c in candidates if os.access(c, os.X_OK)]
    if runnable:
        return str(max(runnable, key=lambda c: _major(c.parent.parent.name)))
    raise BackupError(f"не знайдено {name} / {name} not found: install the PostgreSQL client programs "
                      f"(Debian: apt install postgresql-client) or put {name} on PATH")


def _major(version: str) -> int:
    return int(version) if version.isdigit() else -1


def libpq_target(url: str) -> tuple[str, dict[str, str]]:
    """The SQLAlchemy URL as libpq's: a connection URI without the password, which goes in
    PGPASSWORD (a command line is visible to every user of the machine)."""
    parsed: URL = make_url(url)
    env = {"PGPASSWORD": parsed.password} if parsed.password else {}
    plain = URL.create("postgresql", username=parsed.username, host=parsed.host, port=parsed.port,
                       database=parsed.database, query=parsed.query)
    return plain.render_as_string(hide_password=False), env


PG_SCHEMA = "public"  # where `reception db upgrade` makes the product's tables


def _pg_contents(path: Path) -> tuple[set[str], str | None]:
    """The archive's tables (its table of contents) and Alembic revision, after pg_restore has read the
    whole archive through (into nothing): a truncated or damaged archive fails here, not half-way in."""
    listing = _pg_archive(path, ["--list"])
    # The product's own schema only: a database may hold other schemas (another tool's alembic_version).
    tables = {fields[5] for line in listing.splitlines()
              if not line.startswith(";") and len(fields := line.split()) > 5 and fields[3] == "TABLE"
              and fields[4] == PG_SCHEMA}
    _pg_archive(path, ["--file=/dev/null"])
    revision = None
    if "alembic_version" in tables:  # its data as COPY text: the line after "COPY …" is the one row
        lines = iter(_pg_archive(path, ["--data-only", f"--schema={PG_SCHEMA}", "--table=alembic_version",
                                        "--file=-"]).splitlines())
        for line in lines:
            if line.startswith("COPY "):
                row = next(lines, "\\.")
                revision = None if row == "\\." else row.strip()
                break
    return tables, revision


def _pg_archive(path: Path, args: list[str]) -> str:
    """pg_restore on the archive alone (no database): its table of contents, or its contents as SQL."""
    done = subprocess.run([find_pg_program("pg_restore"), *args, str(path)], capture_output=True, text=True)
    if done.returncode != 0:
        detail = " | ".join(done.stderr.strip().splitlines()[-3:])
        raise BackupError(f"{path} пошкоджено або обрізано / is damaged or truncated: {detail}")
    return done.stdout


def _run_pg(program: str, url: str, args: list[str]) -> None:
    target, secret = libpq_target(url)
    binary = find_pg_program(program)
    # --no-password: fail at once instead of waiting for a password nobody will type.
    done = subprocess.run([binary, "--no-password", f"--dbname={target}", *args], env=os.environ | secret,
                          capture_output=True, text=True)
    if done.returncode != 0:
        detail = done.stderr.strip().splitlines()[-5:]
        raise BackupError(f"{program} не вдалося / {program} failed ({done.returncode}): " + " | ".join(detail))
