"""The air-raid feed against a local server speaking alerts.in.ua's API (fake clock): an alert's start
suspends the office by the feed, its end schedules the resume by the 10/30-minute rule; a manager's
suspension is never resumed by the feed and a manager may always override it; garbage, a 500 or a
feed that is down change nothing and raise ``feed_down``; a 429 backs off; If-Modified-Since and 304.

Office A1 follows Kyiv oblast (uid "14"); A2 follows hromada "1412" (a location uid of its own, under
oblast 14); office T9 follows nothing.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select, update

from reception.alerts.feed import FeedError, FeedPoller, active_regions
from reception.alerts.models import Alert, AlertFeedState
from reception.notifications.models import Message
from reception.offices import suspension
from reception.offices.lookups import office_by_code
from reception.offices.models import Office, Suspension
from tests.fakes import build_office
from tests.web.alerts.conftest import at
from tests.web.alerts.feed_server import TOKEN, FeedServer, alert


@pytest.fixture
def feed(a1, db, clock) -> Any:
    with db.write() as s:
        s.execute(update(Office).where(Office.code == "A1").values(alert_region="14"))
        s.execute(update(Office).where(Office.code == "A2").values(alert_region="1412"))
    build_office(db, "T9")
    at(clock, 10, 0)
    server = FeedServer(clock)
    yield server
    server.stop()


def poller(a1: Any, server: FeedServer) -> FeedPoller:
    return FeedPoller(a1.run, server.url, TOKEN, poll_s=15)


def suspended(db: Any, clock: Any, code: str) -> dict[str, Any] | None:
    with db.read() as s:
        return suspension.office_state(s, office_by_code(s, code), clock.now()).suspended


def feed_down(db: Any, code: str) -> list[Alert]:
    with db.read() as s:
        office_id = office_by_code(s, code).id
        return list(s.scalars(select(Alert).where(Alert.office_id == office_id, Alert.kind == "feed_down")
                              .order_by(Alert.id)))


def test_start_suspends_by_the_feed_and_the_end_schedules_the_resume(a1, feed, db, clock) -> None:
    poll = poller(a1, feed)
    assert poll.poll() == "no change"
    assert suspended(db, clock, "A1") is None
    feed.set_alerts([alert("14", "14")])
    at(clock, 10, 1)
    assert "A1 suspended" in poll.poll()
    state_a1 = suspended(db, clock, "A1")
    assert state_a1 is not None and state_a1["reason"] == "air_raid" and state_a1["by"] == "feed"
    assert suspended(db, clock, "A2") is None  # its hromada is not under this (oblast-level) alert's uids
    assert suspended(db, clock, "T9") is None
    assert feed.requests[-1]["Authorization"] == f"Bearer {TOKEN}"
    at(clock, 10, 2)
    poll.poll()  # the same alert: nothing new
    with db.read() as s:
        assert len(s.scalars(select(Suspension)).all()) == 1

    feed.set_alerts([])
    at(clock, 10, 40)  # the all-clear during the working day: back in 10 minutes
    assert "A1 resumes" in poll.poll()
    state_a1 = suspended(db, clock, "A1")
    assert state_a1 is not None and state_a1["resume_at"].startswith("2026-11-24T10:50")
    at(clock, 10, 50)
    assert suspended(db, clock, "A1") is None


def test_a_hromada_follows_its_own_alert_and_the_oblast_one_counts_through_its_oblast_uid(a1, feed, db, clock) -> None:
    poll = poller(a1, feed)
    feed.set_alerts([alert("1412", "14", location_type="hromada", title="Броварська громада")])
    at(clock, 10, 1)
    poll.poll()
    assert suspended(db, clock, "A2") is not None and suspended(db, clock, "A2")["by"] == "feed"  # type: ignore[index]
    assert suspended(db, clock, "A1") is not None  # the oblast uid of a hromada's alert covers the oblast's office


def test_an_alert_past_opening_time_resumes_30_minutes_after_the_all_clear(a1, feed, db, clock) -> None:
    with db.write() as s:
        s.execute(update(Office).where(Office.code == "A1")
                  .values(opening_hours={str(d): [["09:00", "18:00"]] for d in range(1, 6)}))
    poll = poller(a1, feed)
    at(clock, 8, 30)
    feed.set_alerts([alert("14", "14")])
    poll.poll()
    feed.set_alerts([])
    at(clock, 9, 15)
    poll.poll()
    state_a1 = suspended(db, clock, "A1")
    assert state_a1 is not None and state_a1["resume_at"].startswith("2026-11-24T09:45")


def test_a_managers_suspension_is_never_resumed_by_the_feed(a1, feed, db, clock) -> None:
    poll = poller(a1, feed)
    a1.run.value(suspension.suspend_office, a1.boss, "A1", "air_raid", "by hand")
    feed.set_alerts([alert("14", "14")])
    at(clock, 10, 5)
    poll.poll()
    feed.set_alerts([])
    at(clock, 10, 30)
    poll.poll()
    at(clock, 12, 0)
    poll.poll()
    state_a1 = suspended(db, clock, "A1")
    assert state_a1 is not None and state_a1["by"] == "manager" and "resume_at" not in state_a1


def test_a_manager_overrides_the_feed_and_it_does_not_suspend_again_for_the_same_alert(a1, feed, db, clock) -> None:
    poll = poller(a1, feed)
    feed.set_alerts([alert("14", "14")])
    at(clock, 10, 1)
    poll.poll()
    assert suspended(db, clock, "A1") is not None
    a1.run.value(suspension.resume_office, a1.boss, "A1")  # by hand, while the alert goes on
    assert suspended(db, clock, "A1") is None
    at(clock, 10, 2)
    feed.set_alerts(list(feed.alerts))  # the feed says something changed (the same alert goes on)
    poll.poll()
    assert suspended(db, clock, "A1") is None
    # A new alert (another start) suspends again.
    feed.set_alerts([alert("14", "14", started_at="2026-11-24T08:45:00.000Z")])
    at(clock, 10, 3)
    poll.poll()
    assert suspended(db, clock, "A1") is not None


@pytest.mark.parametrize("mode", ["garbage", "html", "500"])
def test_garbage_or_an_error_changes_nothing_and_raises_feed_down(a1, feed, db, clock, mode: str) -> None:
    poll = poller(a1, feed)
    feed.set_alerts([alert("14", "14")])
    at(clock, 10, 1)
    poll.poll()
    before = suspended(db, clock, "A1")
    feed.mode = mode
    at(clock, 10, 2)
    assert "feed failing" in poll.poll()
    assert suspended(db, clock, "A1") == before  # still suspended: garbage is not an all-clear
    assert [(a.severity, a.cleared_at) for a in feed_down(db, "A1")] == [("critical", None)]
    assert len(feed_down(db, "A2")) == 1 and feed_down(db, "T9") == []  # T9 follows no feed
    at(clock, 10, 3)
    poll.poll()
    assert len(feed_down(db, "A1")) == 1  # raised once
    with db.read() as s:
        st = s.get(AlertFeedState, 1)
        assert st is not None and st.active == {"14": "2026-11-24T08:30:00.000Z"}  # the last good answer stands
    feed.mode = "ok"
    at(clock, 10, 4)
    poll.poll()
    assert feed_down(db, "A1")[0].cleared_at is not None
    assert suspended(db, clock, "A1") == before


def test_a_feed_that_is_down_raises_feed_down_then_recovers(a1, feed, db, clock) -> None:
    poll = poller(a1, feed)
    poll.poll()
    port = int(feed.url.rsplit(":", 1)[1])
    feed.stop()
    at(clock, 10, 1)
    assert "unreachable" in poll.poll()
    down = feed_down(db, "A1")
    assert len(down) == 1 and down[0].cleared_at is None and "unreachable" in down[0].detail["error"]
    assert suspended(db, clock, "A1") is None
    with db.read() as s:  # the subscribed manager is told (an alert message, nothing else)
        assert {m.kind for m in s.scalars(select(Message))} == {"alert"}
    back = FeedServer(clock, port)
    try:
        back.set_alerts([alert("14", "14")])
        at(clock, 10, 2)
        poll.poll()
        assert feed_down(db, "A1")[0].cleared_at is not None
        assert suspended(db, clock, "A1") is not None
    finally:
        back.stop()


def test_429_backs_off_for_retry_after(a1, feed, db, clock) -> None:
    poll = poller(a1, feed)
    feed.mode, feed.retry_after = "429", "120"
    assert "slow down" in poll.poll()
    asked = len(feed.requests)
    at(clock, 10, 1)
    assert poll.poll() == ""  # within Retry-After: no request at all
    assert len(feed.requests) == asked
    assert feed_down(db, "A1") == []  # slowing down is not being down
    feed.mode = "ok"
    at(clock, 10, 2, 1)
    poll.poll()
    assert len(feed.requests) == asked + 1


def test_if_modified_since_is_sent_and_304_is_no_change(a1, feed, db, clock) -> None:
    poll = poller(a1, feed)
    feed.set_alerts([alert("14", "14")])
    poll.poll()
    assert "If-Modified-Since" not in feed.requests[0]
    at(clock, 10, 1)
    assert poll.poll() == "not modified"
    with db.read() as s:
        st = s.get(AlertFeedState, 1)
        assert st is not None and feed.requests[1]["If-Modified-Since"] == st.last_modified
    assert suspended(db, clock, "A1") is not None  # unchanged


def test_the_answer_is_read_by_its_documented_shape() -> None:
    body = b'{"alerts": [{"id": 1, "alert_type": "air_raid", "location_uid": "31", "location_oblast_uid": 31,' \
           b' "started_at": "2026-11-24T08:00:00.000Z", "finished_at": null},' \
           b' {"id": 2, "alert_type": "artillery_shelling", "location_uid": "1293", "location_oblast_uid": 12,' \
           b' "started_at": "2026-11-24T08:00:00.000Z", "finished_at": null}], "meta": {}, "disclaimer": ""}'
    assert active_regions(body) == {"31": "2026-11-24T08:00:00.000Z"}
    for bad in (b"", b"[]", b'{"alerts": {}}', b'{"alerts": [1]}', b'{"alerts": [{"location_uid": "1"}]}',
                b'{"alerts": [{"alert_type": "air_raid"}]}', b"\xff\xfe"):
        with pytest.raises(FeedError):
            active_regions(bad)

