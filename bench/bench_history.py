"""What the two hot commands' reads cost as an office's history grows: the kiosk ticket's wait estimate
(one statement, reception/queue/estimates_read.py), and call-next's visitor at the desk
(reception/queue/rows.py), heads of the lines (reception/queue/reads.py) and subscription probe
(reception/notifications/triggers.py); the waiting counts every event carries.

    .venv/bin/python bench/bench_history.py [--pg URL] [--days 0 30 90] [--per-day 600] [-n 300]

For each history length: the office with ``--per-day`` finished tickets on each of ``--days`` past days
and a busy today (the same ``--per-day`` tickets, most of them served, some waiting), then the mean
time of each read over ``-n`` runs, in process, and its ratio to the same read with no past days (the
baseline, measured in the same run). Reads that grow with the history show ratios above 1: what an
office meets after a year. Not a test: figures.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, text

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from run import prepare  # noqa: E402

from reception.notifications.triggers import _subscribed  # noqa: E402
from reception.offices.models import Desk, Office, Service  # noqa: E402
from reception.platform.db import connect  # noqa: E402
from reception.queue.estimates_read import _snapshot  # noqa: E402
from reception.queue.models import Ticket  # noqa: E402
from reception.queue.reads import callable_candidates, waiting_counts  # noqa: E402
from reception.queue.rows import AT_DESK  # noqa: E402


def _tickets(office_id: int, service_id: int, desk_id: int, day: date, n: int, *, waiting: int = 0) -> list[dict[str, Any]]:
    start = datetime(day.year, day.month, day.day, 7, tzinfo=UTC)
    rows = []
    for number in range(1, n + 1):
        issued = start + timedelta(seconds=40 * number)
        served = number <= n - waiting
        rows.append({"office_id": office_id, "service_id": service_id, "day": day, "number": number,
                     "code": f"A{number:03d}", "status": "done" if served else "waiting", "issued_at": issued,
                     "queued_at": issued, "lang": "uk", "recall_count": 0, "version_id": 1,
                     "called_at": issued + timedelta(minutes=5) if served else None,
                     "started_at": issued + timedelta(minutes=5) if served else None,
                     "finished_at": issued + timedelta(minutes=12) if served else None,
                     "desk_id": desk_id if served else None, "public_token": f"t{day.isoformat()}-{number}"})
    return rows


def _mean_ms(fn: Any, n: int) -> float:
    for _ in range(20):
        fn()
    started = time.perf_counter()
    for _ in range(n):
        fn()
    return 1000 * (time.perf_counter() - started) / n


def measure(url: str, days: int, per_day: int, n: int) -> dict[str, float]:
    prepare(url)
    db = connect(url)
    today = date.today()
    with db.write() as s:
        office = s.scalars(select(Office)).one()
        service = s.scalars(select(Service).where(Service.office_id == office.id, Service.code == "consult")).one()
        desk_id = s.scalars(select(Desk.id).where(Desk.office_id == office.id)).first()
        assert desk_id is not None
        for back in range(days, 0, -1):
            s.execute(insert(Ticket), _tickets(office.id, service.id, desk_id, today - timedelta(days=back), per_day))
        s.execute(insert(Ticket), _tickets(office.id, service.id, desk_id, today, per_day, waiting=per_day // 10))
        me = s.scalar(select(Ticket).where(Ticket.day == today, Ticket.status == "waiting")
                      .order_by(Ticket.id.desc()).limit(1))
        assert me is not None
        office_id, office_code, service_id, me_id, queued = office.id, office.code, service.id, me.id, me.queued_at
        s.execute(Ticket.__table__.update().where(Ticket.id == me_id - 1)  # somebody at the desk now
                  .values(status="called", desk_id=desk_id, called_at=datetime.now(UTC)))
    if db.write_engine.dialect.name == "postgresql":
        with db.write_engine.connect() as conn:
            conn.execute(text("ANALYZE tickets"))
            conn.commit()
    now = datetime.now(UTC)
    figures = {}
    with db.read() as s:
        figures["estimate"] = _mean_ms(lambda: _snapshot(s, office_id, service_id, 10.0, today, now, me=me_id,
                                                         my_class=1, my_queued=queued), n)

        def probe() -> None:
            s.info.clear()  # the probe's memo lives for one unit of work
            _subscribed(s, now, office_code)

        figures["subscription probe"] = _mean_ms(probe, n)
        conn = s.connection()
        figures["visitor at the desk"] = _mean_ms(lambda: conn.execute(AT_DESK, {"desk": desk_id}).all(), n)
        figures["heads of the lines"] = _mean_ms(
            lambda: callable_candidates(s, office_id, [service_id], desk_id, None), n)
        figures["waiting counts"] = _mean_ms(lambda: waiting_counts(s, office_id), n)
    db.dispose()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", help="PostgreSQL URL (its tables are dropped and recreated)")
    parser.add_argument("--days", type=int, nargs="+", default=[0, 30, 90])
    parser.add_argument("--per-day", type=int, default=600)
    parser.add_argument("-n", type=int, default=300)
    args = parser.parse_args()
    url = args.pg or f"sqlite:///{tempfile.mkdtemp()}/history.db"
    runs = {days: measure(url, days, args.per_day, args.n) for days in sorted(set([0, *args.days]))}
    base = runs[0]
    print(f"{'PostgreSQL' if args.pg else 'SQLite'}: {args.per_day} tickets a day; mean ms per read "
          f"(x: against no past days, measured in this run)")
    print(f"{'past days':>10}  " + "  ".join(f"{name:>20}" for name in base))
    for days, figures in runs.items():
        print(f"{days:>10}  " + "  ".join(f"{ms:>10.3f} ms {ms / base[name]:>5.1f}x" for name, ms in figures.items()))


if __name__ == "__main__":
    main()
