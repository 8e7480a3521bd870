"""The floor: the least a Flask + SQLAlchemy app must do to number tickets safely.

Issue: one transaction advancing a per-(service, day) counter row by ``INSERT … ON CONFLICT DO
UPDATE … RETURNING`` and inserting the ticket (as the product numbers its tickets).  Call:
one transaction claiming the oldest waiting ticket with a conditional UPDATE (PostgreSQL:
skipping rows another caller has locked).  No auth, no events, no views: what is left when
everything a product adds is taken away.

    python bench/floor_app.py --db URL --port P    # served as `reception serve` serves the product

Served the product's way (decision 029): the process is patched by gevent before anything else is
imported, and gunicorn runs one ``gevent`` worker with the product's default ``worker_connections``,
``keepalive`` (header deadline) and ``backlog``, so a comparison measures the apps, not the servers.
"""

from __future__ import annotations

if __name__ == "__main__":  # as `reception serve`: gevent's patching before any other import
    from gevent import monkey

    monkey.patch_all()

import argparse  # noqa: E402
import threading  # noqa: E402
from datetime import UTC, date, datetime  # noqa: E402

from flask import Flask, Response, jsonify  # noqa: E402
from sqlalchemy import Integer, String, create_engine, event, text  # noqa: E402
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column  # noqa: E402


class Base(DeclarativeBase):
    pass


class FloorCounter(Base):
    __tablename__ = "floor_counters"
    service: Mapped[str] = mapped_column(String(16), primary_key=True)
    day: Mapped[str] = mapped_column(String(10), primary_key=True)
    last: Mapped[int] = mapped_column(Integer)


class FloorTicket(Base):
    __tablename__ = "floor_tickets"
    id: Mapped[int] = mapped_column(primary_key=True)
    service: Mapped[str] = mapped_column(String(16))
    day: Mapped[str] = mapped_column(String(10))
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12), index=True)
    issued_at: Mapped[str] = mapped_column(String(40))


def make_app(url: str) -> Flask:
    sqlite = url.startswith("sqlite")
    engine = create_engine(url, **({"connect_args": {"check_same_thread": False}} if sqlite else
                                   {"pool_size": 10, "max_overflow": 20}))
    lock = threading.Lock() if sqlite else None
    if sqlite:  # the same recipe the product uses: WAL, busy timeout, BEGIN IMMEDIATE
        @event.listens_for(engine, "connect")
        def _connect(conn, _rec):  # type: ignore[no-untyped-def]
            conn.isolation_level = None
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA busy_timeout=30000")
            conn.execute("PRAGMA synchronous=NORMAL")

        @event.listens_for(engine, "begin")
        def _begin(conn):  # type: ignore[no-untyped-def]
            conn.exec_driver_sql("BEGIN IMMEDIATE")
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    app = Flask("floor")
    app.extensions["floor.engine"] = engine

    def write():  # type: ignore[no-untyped-def]
        if lock is None:
            return engine.begin()

        class Locked:
            def __enter__(self):  # type: ignore[no-untyped-def]
                lock.acquire()
                self.ctx = engine.begin()
                return self.ctx.__enter__()

            def __exit__(self, *exc):  # type: ignore[no-untyped-def]
                try:
                    return self.ctx.__exit__(*exc)
                finally:
                    lock.release()
        return Locked()

    @app.post("/issue")
    def issue():  # type: ignore[no-untyped-def]
        day = date.today().isoformat()
        with write() as conn:
            number = conn.execute(text(
                "INSERT INTO floor_counters (service, day, last) VALUES ('consult', :d, 1) "
                "ON CONFLICT (service, day) DO UPDATE SET last = floor_counters.last + 1 RETURNING last"),
                {"d": day}).scalar_one()
            conn.execute(text("INSERT INTO floor_tickets (service, day, number, status, issued_at) "
                              "VALUES ('consult', :d, :n, 'waiting', :at)"),
                         {"d": day, "n": number, "at": datetime.now(UTC).isoformat()})
        return jsonify({"number": number}), 201

    # PostgreSQL: concurrent callers skip a row another has locked; without it, READ COMMITTED
    # re-checks the loser's WHERE on the winner's row and it answers "nobody waits" while
    # others do. SQLite's writers take turns (BEGIN IMMEDIATE), so the plain subquery is safe.
    skip_locked = "" if sqlite else " FOR UPDATE SKIP LOCKED"

    @app.post("/call")
    def call():  # type: ignore[no-untyped-def]
        with write() as conn:
            row = conn.execute(text(
                "UPDATE floor_tickets SET status = 'called' WHERE id = (SELECT id FROM floor_tickets "
                f"WHERE status = 'waiting' ORDER BY id LIMIT 1{skip_locked}) AND status = 'waiting' "
                "RETURNING id, number")).first()
        if row is None:
            return Response(status=204)
        return jsonify({"id": row.id, "number": row.number})

    @app.get("/healthz")
    def healthz():  # type: ignore[no-untyped-def]
        return jsonify({"ok": True})

    return app


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    from reception.ops.server import HEADER_DEADLINE_S, ProductionServer
    from reception.platform.config import Settings

    floor = make_app(args.db)
    ProductionServer(floor, {
        "bind": [f"127.0.0.1:{args.port}"], "workers": 1, "worker_class": "gevent",
        "worker_connections": Settings.model_fields["worker_connections"].default,
        "keepalive": HEADER_DEADLINE_S, "backlog": 2048,
        "accesslog": None, "loglevel": "warning", "control_socket_disable": True,
        "post_fork": lambda _s, _w: floor.extensions["floor.engine"].dispose(close=False),
    }).run()
