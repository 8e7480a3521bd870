"""A year's report over 1,000,000 generated tickets across 20 offices: SQLite and PostgreSQL.

    .venv/bin/python bench/bench_reports.py                       # SQLite file, reused between runs
    .venv/bin/python bench/bench_reports.py --pg postgresql+psycopg://postgres@127.0.0.1:5432/h_reports
    .venv/bin/python bench/bench_reports.py --tickets 100000      # a smaller data set (its own file)

Tickets and their events are bulk-inserted rows (not queue commands): a year of office-local days,
~85 % served, 7 % no-show, 5 % cancelled, 3 % transferred (the copy is then served). The data set is
kept (SQLite file in the temp dir, or the PostgreSQL database) and reused when it already holds the
same number of tickets; ``--regen`` builds it again. Then it times:

- cold: the all-offices year summary with no roll-ups (replays the whole event log and stores the
  day and month roll-ups) — a one-off cost, paid once per closed month;
- warm: the same summary again (roll-ups only), its goal: <= 1 s on PostgreSQL, <= 3 s on SQLite;
- a period cut across months (month and day roll-ups) and one office's year.
Prints a table; not a test.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reception.platform.clock import FakeClock  # noqa: E402
from reception.platform.db import Database, connect  # noqa: E402
from reception.platform.orm import Base  # noqa: E402
from reception.queue.models import Ticket  # noqa: E402
from reception.reports import service as reports  # noqa: E402
from reception.schema import tables as models_all  # noqa: E402,F401
from reception.schema.migrate import seed_reference_data  # noqa: E402
from tests.fakes import ROOT  # noqa: E402

YEAR = 2025
OFFICES, SERVICES, DESKS = 20, 4, 8
TZ = "Europe/Kyiv"
OUTCOMES = ("consulted", "explained", "documents_accepted", "appeal_accepted", None)
GOAL_S = {"postgresql": 1.0, "sqlite": 3.0}


def _ts(moment: datetime) -> str:
    """As SQLAlchemy stores an aware UTC datetime (SQLite text; PostgreSQL reads it with +00)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f") + "+00:00"


def _configuration(db: Database) -> None:
    rows = {
        "offices": [(o, f"B{o:02d}", f"Установа {o}", f"Office {o}", TZ, "{}", "{}", 0, True)
                    for o in range(1, OFFICES + 1)],
        "services": [((o - 1) * SERVICES + s, o, f"s{s}", "АБВГ"[s - 1], f"Послуга {s}", f"Service {s}", "", "",
                      "specialist", 10 + 5 * s, 10.0, "{}", True, s)
                     for o in range(1, OFFICES + 1) for s in range(1, SERVICES + 1)],
        "desks": [((o - 1) * DESKS + d, o, str(d), f"Вікно {d}", f"Window {d}", "window", "main", "closed", 0, False)
                  for o in range(1, OFFICES + 1) for d in range(1, DESKS + 1)],
        "users": [((o - 1) * DESKS + d, f"op{o}_{d}", "x", f"Оператор {o}-{d}", "", '["operator"]', "uk", True, 0)
                  for o in range(1, OFFICES + 1) for d in range(1, DESKS + 1)],
    }
    columns = {
        "offices": "id, code, name_uk, name_en, timezone, opening_hours, settings, version, is_active",
        "services": "id, office_id, code, prefix, name_uk, name_en, description_uk, description_en, kind, "
                    "target_wait_min, default_service_min, active_hours, is_active, sort_order",
        "desks": "id, office_id, code, name_uk, name_en, kind, zone, status, priority_streak, allow_call_specific",
        "users": "id, username, password_hash, full_name, position, roles, lang, is_active, failed_logins",
    }
    with db.write_engine.begin() as conn:
        for table, values in rows.items():
            marks = ", ".join(["?" if db.is_sqlite else "%s"] * len(values[0]))
            conn.exec_driver_sql(f"INSERT INTO {table} ({columns[table]}) VALUES ({marks})", values)


TICKET_COLS = ("id, office_id, service_id, day, number, code, status, issued_at, queued_at, called_at, started_at, "
               "finished_at, desk_id, user_id, lang, recall_count, transferred_from_id, outcome, version_id")
EVENT_COLS = "id, ticket_id, office_id, kind, at, actor_user_id, desk_id, data"


def generate(n_tickets: int, seed: int = 7) -> Iterator[tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]]:
    """Yields (tickets, events) one office-day at a time."""
    rnd = random.Random(seed)
    zone = ZoneInfo(TZ)
    days = [date(YEAR, 1, 1) + timedelta(days=i) for i in range((date(YEAR + 1, 1, 1) - date(YEAR, 1, 1)).days)]
    per_day = n_tickets / (OFFICES * len(days))
    tid = eid = 0
    carry = 0.0
    for day in days:
        for office in range(1, OFFICES + 1):
            carry += per_day
            count, carry = int(carry), carry - int(carry)
            tickets: list[tuple[Any, ...]] = []
            events: list[tuple[Any, ...]] = []
            numbers = [0] * (SERVICES + 1)
            opening = datetime(day.year, day.month, day.day, 9, 0, tzinfo=zone)
            for _ in range(count):
                s = rnd.randint(1, SERVICES)
                service_id = (office - 1) * SERVICES + s
                numbers[s] += 1
                desk = rnd.randint(1, DESKS)
                desk_id = user_id = (office - 1) * DESKS + desk
                issued = opening + timedelta(seconds=rnd.randint(0, 8 * 3600))
                called = issued + timedelta(seconds=rnd.randint(0, 2400))
                started = called + timedelta(seconds=rnd.randint(10, 90))
                finished = started + timedelta(seconds=rnd.randint(120, 1200))
                fate = rnd.random()
                tid += 1
                code = f"{'АБВГ'[s - 1]}-{numbers[s]:03d}"
                evs = [("issued", issued, None, None, '{"priority": null}')]
                status, outcome, c_at, s_at, f_at = "done", rnd.choice(OUTCOMES), called, started, finished
                if fate < 0.05:
                    status, outcome, c_at, s_at, f_at = "cancelled", None, None, None, called
                    evs.append(("cancelled", called, user_id, None, "{}"))
                elif fate < 0.12:
                    status, outcome, s_at, f_at = "no_show", None, None, started
                    evs += [("called", called, user_id, desk_id, "{}"), ("no_show", started, user_id, desk_id, "{}")]
                elif fate < 0.15:
                    status, outcome, f_at = "transferred", None, started
                    evs += [("called", called, user_id, desk_id, "{}"),
                            ("transferred", started, user_id, desk_id, json.dumps({"to_ticket": tid + 1}))]
                else:
                    evs += [("called", called, user_id, desk_id, "{}"), ("started", started, user_id, desk_id, "{}"),
                            ("finished", finished, user_id, desk_id, json.dumps({"outcome": outcome}))]
                tickets.append((tid, office, service_id, day.isoformat(), numbers[s], code, status, _ts(issued),
                                _ts(issued), c_at and _ts(c_at), s_at and _ts(s_at), f_at and _ts(f_at),
                                desk_id if c_at else None, user_id if c_at else None, "uk", 0, None, outcome, 1))
                for kind, at, uid, did, data in evs:
                    eid += 1
                    events.append((eid, tid, office, kind, _ts(at), uid, did, data))
                if status == "transferred":  # the copy, served at another desk
                    moved = started
                    called2 = moved + timedelta(seconds=rnd.randint(0, 900))
                    finished2 = called2 + timedelta(seconds=rnd.randint(120, 900))
                    tid += 1
                    tickets.append((tid, office, service_id, day.isoformat(), numbers[s], code, "done", _ts(issued),
                                    _ts(issued), _ts(called2), _ts(called2), _ts(finished2), desk_id, user_id, "uk",
                                    0, tid - 1, "consulted", 1))
                    for kind, at, data in (("transferred", moved, json.dumps({"from_ticket": tid - 1})),
                                           ("called", called2, "{}"),
                                           ("finished", finished2, '{"outcome": "consulted"}')):
                        eid += 1
                        events.append((eid, tid, office, kind, _ts(at), user_id, desk_id, data))
            yield tickets, events


def _insert(db: Database, n_tickets: int) -> None:
    started = time.perf_counter()
    done = 0
    raw = db.write_engine.raw_connection()
    try:
        cur = raw.cursor()
        batch_t: list[tuple[Any, ...]] = []
        batch_e: list[tuple[Any, ...]] = []

        def flush() -> None:
            if db.is_sqlite:
                cur.execute("BEGIN")  # the engine's connections autocommit otherwise: one fsync per row
                cur.executemany(f"INSERT INTO tickets ({TICKET_COLS}) VALUES ({', '.join('?' * 19)})", batch_t)
                cur.executemany(f"INSERT INTO ticket_events ({EVENT_COLS}) VALUES ({', '.join('?' * 8)})", batch_e)
            else:
                with cur.copy(f"COPY tickets ({TICKET_COLS}) FROM STDIN") as copy:
                    for row in batch_t:
                        copy.write_row(row)
                with cur.copy(f"COPY ticket_events ({EVENT_COLS}) FROM STDIN") as copy:
                    for row in batch_e:
                        copy.write_row(row)
            raw.commit()
            batch_t.clear()
            batch_e.clear()

        for tickets, events in generate(n_tickets):
            batch_t += tickets
            batch_e += events
            if len(batch_t) >= 50_000:
                done += len(batch_t)
                flush()
                print(f"  {done:>9,} tickets  {time.perf_counter() - started:6.1f} s", flush=True)
        done += len(batch_t)
        flush()
    finally:
        raw.close()
    print(f"  generated {done:,} tickets in {time.perf_counter() - started:.1f} s")


def prepare(url: str, n_tickets: int, regen: bool) -> Database:
    db = connect(url)
    with db.read() as s:
        try:
            have = s.scalar(select(func.count()).select_from(Ticket))
        except Exception:  # no schema yet
            have = None
    if have and abs(have - n_tickets) <= n_tickets * 0.01 and not regen:  # generation lands within 1 %
        print(f"reusing the data set: {have:,} ticket rows")
        return db
    print(f"generating {n_tickets:,} tickets across {OFFICES} offices ({YEAR}) …")
    Base.metadata.drop_all(db.write_engine)
    with db.write_engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    Base.metadata.create_all(db.write_engine)
    seed_reference_data(db)
    _configuration(db)
    _insert(db, round(n_tickets / 1.03))  # transfer copies bring the rows to about n_tickets
    with db.write_engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    return db


def _pg_url(url: str, schema: str) -> str:
    """The URL with ``search_path`` set to ``schema`` (created if missing)."""
    db = connect(url)
    with db.write_engine.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
    db.dispose()
    return f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"


def _timed(fn: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    out = fn()
    return time.perf_counter() - started, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", help="PostgreSQL URL (default: a SQLite file in the temp dir)")
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5, help="warm runs to time")
    parser.add_argument("--regen", action="store_true", help="generate the data set again")
    parser.add_argument("--warm-only", action="store_true", help="keep the stored roll-ups: skip the cold run")
    parser.add_argument("--schema", default="bench_reports",
                        help="PostgreSQL schema for the data set (kept apart from the tests' tables)")
    args = parser.parse_args()
    url = _pg_url(args.pg, args.schema) if args.pg else \
        f"sqlite:///{Path(tempfile.gettempdir()) / f'bench_reports_{args.tickets}.db'}"
    db = prepare(url, args.tickets, args.regen)
    dialect = db.write_engine.dialect.name
    with db.read() as s:
        rows = s.scalar(select(func.count()).select_from(Ticket))
        events = s.execute(text("SELECT count(*) FROM ticket_events")).scalar()
    print(f"{dialect}: {rows:,} ticket rows, {events:,} events")
    clock = FakeClock(datetime(YEAR + 1, 1, 20, 9, 0, tzinfo=UTC))
    year = (date(YEAR, 1, 1), date(YEAR, 12, 31))
    if not args.warm_only:
        with db.write_engine.begin() as conn:
            conn.exec_driver_sql("DELETE FROM report_rollups")
    cold, report = _timed(lambda: reports.summary(db, clock, ROOT, None, *year))
    warm = [_timed(lambda: reports.summary(db, clock, ROOT, None, *year))[0] for _ in range(args.runs)]
    cut = [_timed(lambda: reports.summary(db, clock, ROOT, None, date(YEAR, 3, 15), date(YEAR, 9, 14)))[0]
           for _ in range(args.runs)]
    one = [_timed(lambda: reports.summary(db, clock, ROOT, "B01", *year))[0] for _ in range(args.runs)]
    goal = GOAL_S[dialect]
    median = statistics.median(warm)
    print(f"issued {report['totals']['issued']:,}, served {report['totals']['served']:,}, "
          f"wait mean {report['wait_min']['mean']} min, p90 {report['wait_min']['p90']} min")
    print(f"{'case':<46}{'seconds':>10}")
    first = "first run (roll-ups kept)" if args.warm_only else "cold: all offices, year (builds the roll-ups)"
    print(f"{first:<46}{cold:>10.2f}")
    print(f"{'warm: all offices, year (median of ' + str(args.runs) + ')':<46}{median:>10.3f}")
    print(f"{'warm: all offices, 15 Mar - 14 Sep (median)':<46}{statistics.median(cut):>10.3f}")
    print(f"{'warm: one office, year (median)':<46}{statistics.median(one):>10.3f}")
    print(f"goal <= {goal:.0f} s: {'met' if median <= goal else 'NOT met'}")
    db.dispose()


if __name__ == "__main__":
    main()
