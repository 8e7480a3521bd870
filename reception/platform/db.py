"""Engines and sessions: SQLite (embedded default) and PostgreSQL (production).

SQLite gets WAL, a busy timeout and ``BEGIN IMMEDIATE`` on writing transactions, following
SQLAlchemy's documented recipe for pysqlite: writers queue on the database lock at BEGIN
instead of failing later with "database is locked" when they upgrade a read lock.

The caller of every request is looked up on an engine of its own, outside any transaction
(:meth:`Database.lookup`, decision 026).
"""

from __future__ import annotations

import select
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from sqlalchemy import Connection, CursorResult, Engine, Result, Table, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.orm import Session, make_transient_to_detached, sessionmaker

from reception.platform.green import unpatched

_Row = TypeVar("_Row")
_T = TypeVar("_T")

SQLITE_BUSY_TIMEOUT_MS = 30_000
LOOKUP_APPLICATION = "reception-lookup"  # the lookup pool's connections, as pg_stat_activity names them


def _sqlite_engine(url: str, *, begin: str | None) -> Engine:
    """``begin``: the statement that opens a transaction; None: none is opened (each statement is its own)."""
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # let SQLAlchemy emit BEGIN itself
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    if begin is not None:
        @event.listens_for(engine, "begin")
        def _on_begin(conn: Any) -> None:
            conn.exec_driver_sql(begin)

    return engine


@dataclass
class Database:
    """The application's database handles: one engine for writes, one for reads.

    On PostgreSQL both are the same engine; on SQLite the write engine begins every
    transaction IMMEDIATE so concurrent writers serialise cleanly.
    """

    url: str
    write_engine: Engine
    read_engine: Engine
    write_sessions: sessionmaker[Session]
    read_sessions: sessionmaker[Session]

    @property
    def is_sqlite(self) -> bool:
        return self.write_engine.dialect.name == "sqlite"

    write_lock: threading.Lock | None = None
    # Autocommit and no ping on checkout (None: the read engine's): see ``lookup``.
    lookup_engine: Engine | None = None

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A short writing transaction: committed on success, rolled back on any error.

        On SQLite, writers of this process also queue on a lock: SQLite's busy handler sleeps
        in steps of up to 100 ms, which made the p99 of concurrent writes ~0.5 s; a lock hands
        over at once. Other processes still meet at BEGIN IMMEDIATE and the busy timeout.
        Under gevent (`reception serve`, decision 029) the lock is gevent's, made after the patching,
        so a waiting writer yields instead of blocking the worker in sqlite3's busy handler
        (tests/integration/test_gevent_sqlite.py).
        """
        if self.write_lock is None:
            with self.write_sessions() as session, session.begin():
                yield session
            return
        with self.write_lock, self.write_sessions() as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self.read_sessions() as session:
            yield session

    @contextmanager
    def read_connection(self) -> Iterator[Connection]:
        """A Core connection of the lookup engine: every statement is its own transaction."""
        with (self.lookup_engine or self.read_engine).connect() as conn:
            yield conn

    def lookup(self, query: Callable[[Connection], _T]) -> _T:
        """``query`` (one statement: the caller of every request) outside any transaction, on a connection
        that is not pinged first: one round trip to PostgreSQL where a read transaction on the pinged
        pool took four (ping, BEGIN, the statement, ROLLBACK). A single statement sees one committed
        state either way. A pooled connection the server has dropped fails the query (SQLAlchemy then
        replaces every connection of the pool older than it), so the query is asked once more."""
        try:
            with self.read_connection() as conn:
                return query(conn)
        except DBAPIError as exc:
            if not exc.connection_invalidated:
                raise
        with self.read_connection() as conn:
            return query(conn)

    @property
    def engines(self) -> list[Engine]:
        return list(dict.fromkeys(e for e in (self.write_engine, self.read_engine, self.lookup_engine) if e is not None))

    def dispose(self, *, close: bool = True) -> None:
        """Close the pools' connections; ``close=False`` in a forked worker: forget the parent's without
        closing its sockets (SQLAlchemy's pattern for fork)."""
        for engine in self.engines:
            engine.dispose(close=close)


def _refuse_if_ended(dbapi_conn: Any, _record: Any, _proxy: Any) -> None:
    """A pooled PostgreSQL connection is checked without a round trip (``pool_pre_ping`` made one per
    transaction): a server that ended it (a restart, ``pg_terminate_backend``, an idle timeout) sent its
    last words and closed the socket, so an idle connection with anything to read is dropped and the pool
    connects anew (SQLAlchemy's documented checkout-listener recipe). A server that vanished without
    closing fails the transaction's first statement instead: SQLAlchemy then renews the whole pool.
    ``poll``, not ``select``: a busy server's sockets are numbered past ``select``'s 1,024."""
    try:
        if dbapi_conn.closed:
            raise DisconnectionError("the pooled connection is closed")
        poller = unpatched("select", "poll")()
        poller.register(dbapi_conn.pgconn.socket, select.POLLIN)
        readable = poller.poll(0)
    except DisconnectionError:
        raise
    except Exception as exc:  # no socket left to ask: as good as ended
        raise DisconnectionError("the pooled connection has no socket") from exc
    if readable:
        raise DisconnectionError("the server ended the pooled connection")


def connect(url: str, *, pool_size: int = 10) -> Database:
    if make_url(url).get_backend_name() == "sqlite":
        write_engine = _sqlite_engine(url, begin="BEGIN IMMEDIATE")
        read_engine = _sqlite_engine(url, begin="BEGIN")
        lookup_engine = _sqlite_engine(url, begin=None)  # pysqlite as set up here: each statement commits
    else:
        write_engine = create_engine(url, pool_size=pool_size, max_overflow=20)
        event.listen(write_engine, "checkout", _refuse_if_ended)
        read_engine = write_engine
        # A connection is held for one statement: a small pool serves every request's lookup.
        lookup_engine = create_engine(url, pool_size=max(2, pool_size // 2), max_overflow=10,
                                      isolation_level="AUTOCOMMIT",
                                      connect_args={"application_name": LOOKUP_APPLICATION})
    return Database(
        url=url,
        write_engine=write_engine,
        read_engine=read_engine,
        write_sessions=sessionmaker(write_engine, expire_on_commit=False),
        read_sessions=sessionmaker(read_engine, expire_on_commit=False),
        write_lock=threading.Lock() if write_engine.dialect.name == "sqlite" else None,
        lookup_engine=lookup_engine,
    )


def rows_changed(result: Result[Any]) -> int:
    """How many rows a conditional UPDATE changed: 0 means another request got there first."""
    return cast(CursorResult[Any], result).rowcount


def insert_values(session: Session, entity: type[Any], **values: Any) -> dict[str, Any]:
    """INSERT one row of ``entity``'s table with a plain Core statement; every column's value as stored:
    those given, the scalar defaults of those left out and the new primary key (the entity's attributes
    are named as its columns). A column with a computed or server default must be given.

    The ORM's flush of one new object cost about a sixth of the kiosk ticket's CPU (decision 026);
    the Core insert costs what the floor's does.
    """
    table = cast(Table, inspect(entity).local_table)
    insert, defaults, key_name = _INSERTS.get(table) or _insert_of(table)
    values = defaults | values
    missing = [name for name, value in values.items() if value is _MUST_GIVE]
    if missing:
        raise ValueError(f"{table.name}.{missing[0]} has no scalar default: give it")
    (key,) = session.connection().execute(insert, values).inserted_primary_key or (None,)
    if key is None:
        raise RuntimeError(f"{table.name}: the database returned no key")
    values[key_name] = key
    return values


# Per table, built once: its INSERT, the scalar defaults of its columns (None where there is none) and
# its key's name. A column with a computed or server default is marked: it must be given.
_INSERTS: dict[Table, tuple[Any, dict[str, Any], str]] = {}
_MUST_GIVE = object()


def _insert_of(table: Table) -> tuple[Any, dict[str, Any], str]:
    defaults: dict[str, Any] = {}
    for column in table.columns:
        if column.primary_key:
            continue
        default = column.default
        if column.server_default is not None or (default is not None and not getattr(default, "is_scalar", False)):
            defaults[column.key] = _MUST_GIVE
        else:
            defaults[column.key] = getattr(default, "arg", None) if default is not None else None
    _INSERTS[table] = (table.insert(), defaults, next(c.key for c in table.primary_key.columns))
    return _INSERTS[table]


def insert_loaded(session: Session, entity: type[_Row], related: dict[str, Any] | None = None,
                  **values: Any) -> _Row:
    """:func:`insert_values`, and the row's object handed back persistent in ``session`` as if loaded,
    with every column set (and the ``related`` objects already in the session in place): no
    unit-of-work flush for a row that is new and complete."""
    row = entity(**insert_values(session, entity, **values), **(related or {}))
    make_transient_to_detached(row)  # its values become the loaded state: nothing left to flush
    session.add(row)
    return row
