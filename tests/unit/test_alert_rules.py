"""The alert rules by hand: a snapshot in, the conditions that hold out (pure, no database)."""

from __future__ import annotations

from dataclasses import fields
from datetime import UTC, datetime, timedelta

from reception.alerts.rules import (
    JOB_KINDS,
    AppealsState,
    Condition,
    DeviceState,
    LeaderSession,
    OfficeSnapshot,
    ServiceState,
    Thresholds,
    conditions,
    diff,
    feed_condition,
    quiet,
)
from reception.offices.administration import ALERT_THRESHOLD_RANGES

NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
LIMITS = Thresholds()


def svc(code: str = "consult", waiting: int = 1, longest_min: float | None = 5, target: int = 10,
        served: bool = True) -> ServiceState:
    return ServiceState(code, waiting, None if longest_min is None else longest_min * 60, target, served)


def kinds(snap: OfficeSnapshot, limits: Thresholds = LIMITS) -> dict[tuple[str, str], str]:
    return {key: c.severity for key, c in conditions(snap, limits).items()}


def test_waits_over_target_warn_then_turn_critical_past_the_factor() -> None:
    assert kinds(OfficeSnapshot(NOW, True, services=(svc(longest_min=10),))) == {}  # at the target: fine
    assert kinds(OfficeSnapshot(NOW, True, services=(svc(longest_min=10.5),))) == {
        ("wait_over_target", "consult"): "warning"}
    assert kinds(OfficeSnapshot(NOW, True, services=(svc(longest_min=21),))) == {
        ("wait_over_target", "consult"): "critical"}
    assert kinds(OfficeSnapshot(NOW, True, services=(svc(longest_min=21),)), Thresholds(wait_critical_factor=3)) == {
        ("wait_over_target", "consult"): "warning"}


def test_nobody_serves_only_while_someone_waits() -> None:
    assert kinds(OfficeSnapshot(NOW, True, services=(svc(served=False),))) == {("nobody_serves", "consult"): "critical"}
    assert kinds(OfficeSnapshot(NOW, True, services=(svc(waiting=0, longest_min=None, served=False),))) == {}


def test_a_suspended_office_counts_its_suspension_and_devices_only() -> None:
    snap = OfficeSnapshot(NOW, True, suspended_since=NOW - timedelta(minutes=61), suspended_by="feed",
                          services=(svc(longest_min=50, served=False),))
    held = conditions(snap, LIMITS)
    assert list(held) == [("suspended_long", "")]
    assert held[("suspended_long", "")] == Condition("warning", {"minutes": 61, "by": "feed"})
    assert kinds(OfficeSnapshot(NOW, True, suspended_since=NOW - timedelta(minutes=60))) == {}


def test_devices_offline_in_opening_hours_and_printers() -> None:
    seen = NOW - timedelta(minutes=6)
    devices = (DeviceState(1, "kiosk", "K1", seen), DeviceState(2, "display", "D1", NOW - timedelta(minutes=4)),
               DeviceState(3, "kiosk", "K3", None),
               DeviceState(4, "kiosk", "K4", NOW, has_printer=True, paper="near_end"),
               DeviceState(5, "kiosk", "K5", NOW, has_printer=True, paper="out", recent_failures=2, last_print_ok=False),
               DeviceState(6, "kiosk", "K6", NOW, has_printer=True, paper="unknown", recent_failures=5,
                           last_print_ok=True))
    assert kinds(OfficeSnapshot(NOW, True, devices=devices)) == {
        ("device_offline", "1"): "critical", ("device_offline", "3"): "critical",
        ("printer_paper", "4"): "warning", ("printer_paper", "5"): "critical", ("printer_failing", "5"): "critical"}
    closed = kinds(OfficeSnapshot(NOW, False, devices=devices))  # closed: silence is expected, paper still matters
    assert not any(k == "device_offline" for k, _ in closed) and ("printer_paper", "5") in closed


def test_leader_absent_after_the_grace_with_visitors_in() -> None:
    def snap(late_min: int, checked_in: int = 2, room_open: bool = False) -> OfficeSnapshot:
        return OfficeSnapshot(NOW, True, sessions=(LeaderSession(7, 3, "412", NOW - timedelta(minutes=late_min),
                                                                 checked_in, room_open),))
    assert kinds(snap(9)) == {}
    assert kinds(snap(10)) == {("leader_absent", "7"): "critical"}
    assert kinds(snap(30, checked_in=0)) == {} and kinds(snap(30, room_open=True)) == {}


def test_diff_raises_new_clears_ended_and_leaves_other_kinds_alone() -> None:
    open_keys = {("wait_over_target", "a"): 1, ("nobody_serves", "b"): 2, ("feed_down", ""): 3}
    held = {("wait_over_target", "a"): Condition("critical", {}), ("device_offline", "9"): Condition("critical", {})}
    d = diff(open_keys, held, JOB_KINDS)
    assert list(d.raise_) == [("device_offline", "9")]
    assert d.clear == (("nobody_serves", "b"),)  # feed_down is the feed's: not cleared here
    assert list(d.update) == [("wait_over_target", "a")]
    assert diff(open_keys, feed_condition(None, None), ("feed_down",)).clear == (("feed_down", ""),)
    assert list(feed_condition(NOW, "HTTP 500")) == [("feed_down", "")]


def test_quiet_period() -> None:
    assert quiet(NOW - timedelta(minutes=14), NOW, 15) and not quiet(NOW - timedelta(minutes=15), NOW, 15)
    assert not quiet(None, NOW, 15) and not quiet(NOW, NOW, 0)


def test_thresholds_from_the_settings_json_over_defaults() -> None:
    assert Thresholds.from_json(None) == Thresholds()
    assert Thresholds.from_json({"device_offline_min": 10, "leader_absent_min": "x", "suspended_long_min": -1,
                                 "printer_failures": True, "nope": 3}) == Thresholds(device_offline_min=10)
    # The administration's ranges name exactly the thresholds the rules read.
    assert set(ALERT_THRESHOLD_RANGES) == {f.name for f in fields(Thresholds)}


def test_overdue_appeals_warn_then_turn_critical_past_the_days_and_near_due_ones_warn() -> None:
    assert kinds(OfficeSnapshot(NOW, True, appeals=AppealsState())) == {}
    assert kinds(OfficeSnapshot(NOW, True)) == {}  # not read: nothing said
    held = conditions(OfficeSnapshot(NOW, True, appeals=AppealsState(overdue=2, most_overdue_days=7)), LIMITS)
    assert held == {("appeals_overdue", ""): Condition("warning", {"count": 2, "days": 7})}
    assert kinds(OfficeSnapshot(NOW, True, appeals=AppealsState(overdue=1, most_overdue_days=8))) == {
        ("appeals_overdue", ""): "critical"}
    assert kinds(OfficeSnapshot(NOW, True, appeals=AppealsState(overdue=1, most_overdue_days=3)),
                 Thresholds(appeals_overdue_critical_days=2)) == {("appeals_overdue", ""): "critical"}
    near = conditions(OfficeSnapshot(NOW, False, appeals=AppealsState(near_due=4)), Thresholds(appeals_near_due_days=5))
    assert near == {("appeals_near_due", ""): Condition("warning", {"count": 4, "days": 5})}
    # A deadline of the law runs on while the office is closed or suspended.
    suspended = OfficeSnapshot(NOW, False, suspended_since=NOW, appeals=AppealsState(overdue=1, most_overdue_days=1))
    assert kinds(suspended) == {("appeals_overdue", ""): "warning"}
    assert {"appeals_overdue", "appeals_near_due"} <= set(JOB_KINDS)
