"""The report service: who may see which office, which period, and the figures (decision 015).

A day's figures are final once the day is ``FINAL_AFTER_DAYS`` office-local days in the past and none
of its tickets is still open; final days and months are stored as roll-ups (``ReportRollup``) the first
time a report needs them, so a year's summary merges a few hundred small tallies instead of replaying
millions of events. Days that are not final are always replayed from the event log.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError

from reception.appeals.stats import appeals_summary
from reception.kernel.bounds import read_date, show_date
from reception.kernel.errors import NotFound, ValidationFailed
from reception.kernel.identity import Actor
from reception.kernel.permissions import Action, authorize
from reception.leadership.topics import topic_names
from reception.offices.models import Office, Outcome
from reception.offices.rules import office_day
from reception.platform.clock import Clock
from reception.platform.db import Database
from reception.reports import reads, satisfaction, texts  # noqa: F401  (texts registers the messages)
from reception.reports.figures import Tally, days_of, figures, suspended_seconds
from reception.reports.models import ReportRollup

FINAL_AFTER_DAYS = 2  # covers the reactivation window and visits that run past midnight
MAX_PERIOD_DAYS = 366
MIN_YEAR, MAX_YEAR = 2000, 2100


def parse_day(raw: str | None, name: str) -> date | None:
    """An office-local date, ``dd.mm.yyyy`` or ``YYYY-MM-DD`` (None when left out); anything else is refused."""
    if not raw:
        return None
    try:
        return read_date(raw)
    except ValueError:
        raise ValidationFailed("error.report_date", name=name) from None


def check_period(day_from: date, day_to: date) -> None:
    """Refuse a period the report cannot mean: reversed, absurd years, longer than a year."""
    if day_from > day_to:
        raise ValidationFailed("error.report_period_order", date_from=show_date(day_from), date_to=show_date(day_to))
    if day_from.year < MIN_YEAR or day_to.year > MAX_YEAR:
        raise ValidationFailed("error.report_period_range", first=MIN_YEAR, last=MAX_YEAR)
    if (day_to - day_from).days + 1 > MAX_PERIOD_DAYS:
        raise ValidationFailed("error.report_period_long", days=MAX_PERIOD_DAYS)


def default_period(today: date) -> tuple[date, date]:
    """This month so far."""
    return today.replace(day=1), today


def offices_in_scope(db: Database, actor: Actor, code: str | None) -> list[Office]:
    """The office named (404 unknown, 403 not the caller's), or every active office the caller may see."""
    authorize(actor, Action.REPORTS_READ)
    with db.read() as s:
        if code:
            office = s.scalar(select(Office).where(Office.code == code))
            if office is None:
                raise NotFound("error.unknown_office", office=code)
            actor.require_office(office.id)
            return [office]
        return [o for o in s.scalars(select(Office).where(Office.is_active.is_(True)).order_by(Office.code))
                if actor.can_access_office(o.id)]


def _month_starts(day_from: date, day_to: date) -> list[date]:
    """First days of the calendar months lying wholly inside [day_from, day_to]."""
    out = []
    month = day_from if day_from.day == 1 else _next_month(day_from)
    while _next_month(month) - timedelta(days=1) <= day_to:
        out.append(month)
        month = _next_month(month)
    return out


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _month_days(month: date) -> list[date]:
    return days_of(month, _next_month(month) - timedelta(days=1))


def _runs(days: list[date]) -> list[tuple[date, date]]:
    """Sorted days as runs of consecutive days: [(first, last), …]."""
    out: list[tuple[date, date]] = []
    for d in days:
        if out and d - out[-1][1] == timedelta(days=1):
            out[-1] = (out[-1][0], d)
        else:
            out.append((d, d))
    return out


def local_span(tz: str, day_from: date, day_to: date) -> tuple[datetime, datetime]:
    """[start of day_from, start of the day after day_to) in the office's zone."""
    zone = ZoneInfo(tz)
    return (datetime.combine(day_from, time.min, tzinfo=zone),
            datetime.combine(day_to + timedelta(days=1), time.min, tzinfo=zone))


def office_tally(db: Database, office: Office, day_from: date, day_to: date, now: datetime,
                 not_final: set[date], stored_months: dict[date, Tally]) -> Tally:
    """The office's tally for the period: stored roll-ups where final, the event log elsewhere.

    ``not_final``: days with a ticket still open; ``stored_months``: the month roll-ups already stored.
    """
    today = office_day(now, office.timezone)
    last_final = today - timedelta(days=FINAL_AFTER_DAYS)
    start, end = local_span(office.timezone, day_from, day_to)
    with db.read() as s:
        suspended = reads.suspension_intervals(s, office.id, start, end, now)

        def final(day: date) -> bool:
            return day <= last_final and day not in not_final

        months = [m for m in _month_starts(day_from, day_to) if all(final(d) for d in _month_days(m))]
        in_months = {d for m in months for d in _month_days(m)}
        building = {d for m in months if m not in stored_months for d in _month_days(m)}
        # Days read one by one: outside the final months, or inside a month about to be built.
        needed = [d for d in days_of(day_from, day_to) if d not in in_months or d in building]
        stored_days: dict[date, Tally] = {}
        for a, b in _runs(needed):
            stored_days |= reads.stored_rollups(s, [office.id], "day", a, b)[office.id]
    replay = [d for d in needed if not (final(d) and d in stored_days)]
    fresh = _replay(db, office, replay, suspended)
    replayed = set(replay)
    day_tally = {d: fresh.get(d) or Tally() if d in replayed else stored_days[d] for d in needed}
    new_rollups: list[tuple[str, date, Tally]] = [("day", d, day_tally[d]) for d in replay if final(d)]
    total = Tally()
    for m in months:
        month_tally = stored_months.get(m)
        if month_tally is None:
            month_tally = Tally()
            for d in _month_days(m):
                month_tally.add(day_tally[d])
            new_rollups.append(("month", m, month_tally))
        total.add(month_tally)
    for d, tally in day_tally.items():
        if d not in in_months:
            total.add(tally)
    save_rollups(db, office.id, new_rollups, now)
    return total


def _replay(db: Database, office: Office, days: list[date], suspended: list[Any]) -> dict[date, Tally]:
    """Replay the event log for ``days``, one calendar month of the office at a time (bounded memory)."""
    out: dict[date, Tally] = {}
    wanted = set(days)
    for month in sorted({d.replace(day=1) for d in days}):
        span = [d for d in _month_days(month) if d in wanted]
        with db.read() as s:
            got = reads.raw_tallies(s, office, span[0], span[-1], suspended)
        out.update({d: t for d, t in got.items() if d in wanted})
    return out


def summary(db: Database, clock: Clock, actor: Actor, office_code: str | None,
            day_from: date | None = None, day_to: date | None = None, *, compare: bool = True) -> dict[str, Any]:
    """The report (``GET /reports/summary``) for one office or all the caller may see (``office: null``).

    ``compare``: with the additions of ``extras`` (utilisation, by priority, the previous period)."""
    offices = offices_in_scope(db, actor, office_code)
    now = clock.now()
    default_from, default_to = default_period(office_day(now, offices[0].timezone if offices else "Europe/Kyiv"))
    day_from, day_to = day_from or default_from, day_to or default_to
    check_period(day_from, day_to)
    ids = [o.id for o in offices]
    with db.read() as s:
        not_final = reads.open_days(s, ids, day_from, day_to)
        stored_months = reads.stored_rollups(s, ids, "month", day_from, day_to)
        leadership = reads.leadership_counts(s, {o.id: office_day(now, o.timezone) for o in offices},
                                             day_from, day_to, now)
    total, suspended_s = Tally(), 0.0
    paused_s: dict[int, float] = {}
    for office in offices:
        total.add(office_tally(db, office, day_from, day_to, now, not_final[office.id], stored_months[office.id]))
        start, end = local_span(office.timezone, day_from, day_to)
        with db.read() as s:
            suspended_s += suspended_seconds(reads.suspension_intervals(s, office.id, start, end, now), start, end)
            paused_s |= reads.desk_paused_seconds(s, office.id, start, min(end, now))  # desk ids are unique
    out = figures(total, day_from, day_to, suspended_s, paused_s)
    with db.read() as s:
        names = reads.labels(s, total.by_service, total.by_desk, total.by_staff)
        feedback = satisfaction.read(s, ids, day_from, day_to)
    satisfaction.attach(out, feedback)
    report = {
        "office": office_code or None,
        "offices": [{"code": o.code, "name_uk": o.name_uk, "name_en": o.name_en, "timezone": o.timezone}
                    for o in offices],
        "from": day_from.isoformat(),
        "to": day_to.isoformat(),
        **{k: out[k] for k in ("totals", "wait_min", "service_min", "within_target_pct", "suspended_min")},
        "by_service": _labelled(out["by_service"], names["service"]),
        "by_desk": _labelled(out["by_desk"], names["desk"]),
        "by_staff": _labelled(out["by_staff"], names["user"]),
        "by_hour": out["by_hour"],
        "by_day": out["by_day"],
        "outcomes": out["outcomes"],
        "leadership": leadership,
        "satisfaction": feedback["total"],
        "appeals": _appeals(db, offices, now, day_from, day_to),
    }
    if compare:
        report |= _extras(db, clock, actor, office_code, offices, day_from, day_to, now, report)
    return report


def _extras(db: Database, clock: Clock, actor: Actor, office_code: str | None, offices: list[Office],
            day_from: date, day_to: date, now: datetime, report: dict[str, Any]) -> dict[str, Any]:
    """Utilisation, figures by priority and the previous period (``reports.extras``, decision 041)."""
    from reception.offices.models import PriorityCategory
    from reception.platform.i18n import t
    from reception.reports import extras

    with db.read() as s:
        names = {c.code: (c.name_uk, c.name_en) for c in s.scalars(select(PriorityCategory))}
    names |= {key: (t(msg, "uk"), t(msg, "en"))
              for key, msg in (("none", "rep.priority_none"), ("appointment", "rep.priority_appointment"))}
    out: dict[str, Any] = {"utilisation": None, "by_priority": None}
    if (day_to - day_from).days < extras.MAX_DETAIL_DAYS:  # longer: the whole event log, no roll-up (decision 041)
        out = extras.additions(
            offices, day_from, day_to, now, db.read, lambda o, a, b: local_span(o.timezone, a, b),
            lambda s, o, a, b: reads.suspension_intervals(s, o.id, a, b, now), reads.service_targets, names)
    prev_from, prev_to = extras.previous_period(day_from, day_to)
    previous = None
    if prev_from.year >= MIN_YEAR:
        previous = extras.comparison(report, summary(db, clock, actor, office_code, prev_from, prev_to, compare=False))
    return out | {"previous": previous}


def _appeals(db: Database, offices: list[Office], now: datetime, day_from: date, day_to: date) -> dict[str, Any]:
    """The journal of appeals in the period (decision 042)."""
    with db.read() as s:
        out = appeals_summary(s, {o.id: office_day(now, o.timezone) for o in offices}, day_from, day_to)
    names: dict[str, str] = {}
    for office in offices:
        names = topic_names(office) | names
    return out | {"topic_names": {code: names.get(code, code) for code in out["by_topic"] if code}}


def _labelled(rows: dict[int, dict[str, Any]], names: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
    """Group figures with today's codes and names in front, in a stable order."""
    unknown = {"_sort": ("~",)}
    keyed = sorted(rows.items(), key=lambda kv: (names.get(kv[0], unknown)["_sort"], kv[0]))
    out = []
    for key, row in keyed:
        label = {k: v for k, v in names.get(key, {"name": str(key)}).items() if k != "_sort"}
        out.append(label | row)
    return out


def build_rollups(db: Database, clock: Clock, office_code: str | None = None, day_from: date | None = None
                  ) -> int:
    """Store the roll-ups of every final day and month since ``day_from`` (default: a year back), so the
    first report after a long history need not replay it (``reception reports rollup``, e.g. nightly).
    Returns how many offices were processed."""
    root = Actor(roles=frozenset({"admin"}))
    offices = offices_in_scope(db, root, office_code)
    now = clock.now()
    for office in offices:
        last = office_day(now, office.timezone) - timedelta(days=FINAL_AFTER_DAYS)
        start = day_from or last - timedelta(days=MAX_PERIOD_DAYS - 1)
        with db.read() as s:
            not_final = reads.open_days(s, [office.id], start, last)[office.id]
        while start <= last:
            end = min(last, start + timedelta(days=MAX_PERIOD_DAYS - 1))
            with db.read() as s:
                months = reads.stored_rollups(s, [office.id], "month", start, end)[office.id]
            office_tally(db, office, start, end, now, not_final, months)
            start = end + timedelta(days=1)
    return len(offices)


def outcome_names(db: Database, lang: str) -> dict[str, str]:
    """Outcome code -> its name (for the exports' labels; the figures count codes)."""
    with db.read() as s:
        return {o.code: (o.name_en if lang == "en" and o.name_en else o.name_uk) for o in s.scalars(select(Outcome))}


def save_rollups(db: Database, office_id: int, rollups: Iterable[tuple[str, date, Tally]], now: datetime) -> None:
    """Store new roll-ups; a concurrent request that stored them first wins (same figures)."""
    rows = [{"office_id": office_id, "period": p, "start": d, "data": t.dump(), "built_at": now} for p, d, t in rollups]
    if not rows:
        return
    try:
        with db.write() as s:
            for period in ("day", "month"):  # replaces roll-ups of an older arithmetic version
                starts = [r["start"] for r in rows if r["period"] == period]
                for i in range(0, len(starts), 500):
                    s.execute(delete(ReportRollup).where(ReportRollup.office_id == office_id,
                                                         ReportRollup.period == period,
                                                         ReportRollup.start.in_(starts[i:i + 500])))
            s.execute(insert(ReportRollup), rows)
    except IntegrityError:
        pass
