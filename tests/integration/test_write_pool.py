"""The writing pool checks a connection without a round trip (decision 026): one the server ended
while it idled in the pool is replaced before the transaction begins, so the request never sees it."""

from __future__ import annotations

import os
import socket

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError

from reception.platform.db import Database, _refuse_if_ended


def _backend(db: Database) -> int:
    with db.write() as s:
        return int(s.execute(text("SELECT pg_backend_pid()")).scalar_one())


def test_a_connection_the_server_ended_is_replaced_before_the_next_write(db: Database, db_url: str) -> None:
    if make_url(db_url).get_backend_name() == "sqlite":
        pytest.skip("a PostgreSQL server ending a pooled connection")
    db.write_engine.dispose()
    first = _backend(db)
    assert _backend(db) == first  # one pooled connection, used again
    with db.read_connection() as admin:  # another pool: the ended connection idles in the writing one
        assert admin.execute(text("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": first}).scalar() is True
    replaced = _backend(db)  # without the check this transaction's first statement failed
    assert replaced != first


class _Driver:
    """As much of a psycopg connection as the check reads: whether it is closed, and its socket."""

    def __init__(self, fd: int) -> None:
        self.closed = False
        self.pgconn = type("PGconn", (), {"socket": fd})()


def test_the_check_reads_sockets_numbered_past_select_s_limit() -> None:
    """A server holding hundreds of displays numbers its database sockets past 1,024, where ``select``
    fails: every checkout would then drop a healthy connection."""
    ours, server = socket.socketpair()
    high = 1500
    os.dup2(ours.fileno(), high)
    try:
        _refuse_if_ended(_Driver(high), None, None)  # idle, nothing to read: kept
        server.close()  # the other end goes away
        with pytest.raises(DisconnectionError):
            _refuse_if_ended(_Driver(high), None, None)
    finally:
        os.close(high)
        ours.close()
