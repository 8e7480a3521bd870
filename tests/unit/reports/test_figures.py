"""The pure report arithmetic: one entry's facts, suspensions, percentiles, mergeable tallies."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from backoffice.reports.charts import bar_chart, nice_step
from reception.reports.figures import (
    EntryRow,
    EventRow,
    Tally,
    distribution,
    entry_facts,
    figures,
    suspended_seconds,
    tally_entries,
)

KYIV = ZoneInfo("Europe/Kyiv")
T0 = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)  # 10:00 in Kyiv
ENTRY = EntryRow(1, 1, 10, date(2026, 11, 24))


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def ev(kind: str, minutes: float, **data: object) -> EventRow:
    return EventRow(1, kind, at(minutes), desk_id=5, user_id=7, data=dict(data))


def test_a_served_visit() -> None:
    f = entry_facts(ENTRY, [ev("issued", 0), ev("called", 12), ev("recalled", 13), ev("started", 14),
                            ev("finished", 30, outcome="consulted")], KYIV, target_min=15)
    assert (f.wait_s, f.service_s, f.end, f.outcome, f.desk_id, f.user_id) == (720, 960, "served", "consulted", 5, 7)
    assert (f.issued_hour, f.end_hour, f.target_min) == (10, 10, 15)


def test_finishing_straight_from_called_counts_from_the_call() -> None:
    f = entry_facts(ENTRY, [ev("issued", 0), ev("called", 5), ev("finished", 9)], KYIV)
    assert f.service_s == 240 and f.wait_s == 300


def test_the_target_in_the_event_wins_over_todays_service() -> None:
    f = entry_facts(ENTRY, [ev("issued", 0, target_wait_min=30), ev("called", 20)], KYIV, target_min=10)
    assert f.target_min == 30


def test_a_transfer_copy_waits_from_the_transfer() -> None:
    copy = entry_facts(EntryRow(2, 1, 11, ENTRY.day),
                       [ev("transferred", 40, from_ticket=1), ev("called", 46), ev("finished", 50)], KYIV)
    assert copy.issued_hour is None and copy.wait_s == 360 and copy.end == "served"
    first = entry_facts(ENTRY, [ev("issued", 0), ev("called", 10), ev("transferred", 40, to_ticket=2)], KYIV)
    assert first.end == "transferred" and first.wait_s == 600 and first.service_s is None


def test_a_reactivated_no_show_adds_its_second_wait() -> None:
    f = entry_facts(ENTRY, [ev("issued", 0), ev("called", 10), ev("no_show", 12), ev("reactivated", 20),
                            ev("called", 25), ev("finished", 30)], KYIV)
    assert f.wait_s == 900 and f.end == "served"


def test_never_called_has_no_wait_sample() -> None:
    f = entry_facts(ENTRY, [ev("issued", 0), ev("cancelled", 30)], KYIV)
    assert f.wait_s is None and f.end == "cancelled"


def test_suspended_time_is_not_waiting() -> None:
    alert = [(at(5), at(15))]
    f = entry_facts(ENTRY, [ev("issued", 0), ev("called", 20)], KYIV, suspended=alert)
    assert f.wait_s == 600
    assert suspended_seconds([(at(5), at(15)), (at(10), at(20)), (at(100), at(110))], at(0), at(105)) == 1200


def test_median_and_p90() -> None:
    # buckets of 0.1 min: 1, 2, 3, 4 min -> median of an even count is the mean of the middle two
    hist = [0] * 51
    for bucket in (10, 20, 30, 40):
        hist[bucket] = 1
    assert distribution(hist, 600, 4, 240) == {"mean": 2.5, "median": 2.5, "p90": 4.0, "max": 4.0}
    hist[50] = 1
    assert distribution(hist, 900, 5, 300)["median"] == 3.0
    assert distribution([], 0, 0, 0)["median"] is None


def test_tallies_merge_like_the_tally_of_all_entries() -> None:
    entries = [EntryRow(i, 1, 10 + i % 2, date(2026, 11, 24 + i % 2)) for i in range(1, 7)]
    events = {e.id: [EventRow(e.id, "issued", at(e.id)), EventRow(e.id, "called", at(3 * e.id), 5, 7),
                     EventRow(e.id, "finished", at(4 * e.id), 5, 7, {"outcome": "x"})] for e in entries}
    per_day = tally_entries(entries, events, {1: KYIV}, {10: 5.0, 11: 8.0})
    merged = Tally()
    for tally in per_day.values():
        merged.add(Tally.load(tally.dump()))
    whole = Tally()
    for tally in tally_entries(entries, events, {1: KYIV}, {10: 5.0, 11: 8.0}).values():
        whole.add(tally)
    a = figures(merged, date(2026, 11, 24), date(2026, 11, 25))
    b = figures(whole, date(2026, 11, 24), date(2026, 11, 25))
    assert a == b and a["totals"]["served"] == 6 and a["outcomes"] == {"x": 6}
    assert [d["issued"] for d in a["by_day"]] == [3, 3]


def test_chart_geometry() -> None:
    assert nice_step(17) == 5 and nice_step(3.2) == 1 and nice_step(0) == 1
    chart = bar_chart(["09", "10"], [("видано", [2, 8]), ("обслуговано", [1, None])], width=200, height=120)
    tall = max(chart.bars, key=lambda b: b.height)
    assert tall.title == "10: видано — 8" and tall.y + tall.height == chart.plot_bottom
    assert [g.label for g in chart.grid] == ["0", "2", "4", "6", "8"]
    assert chart.bars[-1].height == 0


def test_the_open_ticket_index_predicate_names_the_open_statuses() -> None:
    import re

    from reception.queue.models import OPEN_SQL
    from reception.queue.states import OPEN_STATUSES

    assert set(re.findall(r"'(\w+)'", OPEN_SQL)) == {s.value for s in OPEN_STATUSES}
