"""A call costs each wall display one frame (docs/load.md: at 500 displays the frames are the cost):
the call itself, with its version and the waiting counts, where it is shown, and a bare `queue` hint
of the same version where it is not; nothing of the visit Next ended. The versions a display hears
still run without a gap, so it never asks for a snapshot. SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from reception.http.realtime import DISPLAY_NS
from tests.web.display.test_display_sockets import connect


def _displays(app: Any, client: Any, api: Any) -> dict[str, Any]:
    """An unzoned display, one in the hall (desks 1 and 2) and one on the fourth floor (room 412)."""
    boards = {"all": connect(app, client, token=api.device("display")),
              "hall": connect(app, client, token=api.device("display", zone="hall")),
              "floor4": connect(app, client, token=api.device("display", zone="floor4"))}
    for board in boards.values():
        board.get_received(DISPLAY_NS)
    return boards


def _frames(boards: dict[str, Any]) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    return {name: [(m["name"], m["args"][0]) for m in board.get_received(DISPLAY_NS)]
            for name, board in boards.items()}


def test_a_call_is_one_frame_per_display_with_its_version_and_counts(app, client, api, hall, clock) -> None:
    for service in ("consult", "consult", "appeal"):
        hall.issue(service)
    hall.open("1")
    hall.call_next("1")
    clock.advance(minutes=6)  # past the double-click window: Next ends this visit and calls the next
    boards = _displays(app, client, api)

    second = hall.call_next("1")  # two changes at once: the visit ended (done) and the call
    heard = _frames(boards)
    assert [name for name, _ in heard["all"]] == ["called"]
    assert [name for name, _ in heard["hall"]] == ["called"]
    assert [name for name, _ in heard["floor4"]] == ["queue"]  # another zone: no call, just its version
    call, hint = heard["all"][0][1], heard["floor4"][0][1]
    assert heard["hall"][0][1] == call and call["code"] == second["code"]
    assert call["version"] == hint["version"]
    assert call["waiting"] == hint["waiting"] == {"consult": 0, "appeal": 1}
    assert hint["event"] == "called" and "desk" not in hint and "announce_uk" not in hint

    hall.post(f"/tickets/{second['id']}/recall", "1")
    heard = _frames(boards)
    assert {name: [n for n, _ in frames] for name, frames in heard.items()} == \
        {"all": ["recalled"], "hall": ["recalled"], "floor4": ["queue"]}

    hall.open("412")
    hall.call_next("412")  # the fourth floor's call: the hall display hears only its version
    heard = _frames(boards)
    assert {name: [n for n, _ in frames] for name, frames in heard.items()} == \
        {"all": ["queue", "called"], "hall": ["queue", "queue"], "floor4": ["queue", "called"]}  # opened, called


def test_the_versions_a_display_hears_have_no_gap(app, client, api, hall, clock) -> None:
    """Every change reaches every display as exactly one frame with the next version: no display sees a
    gap (which would make 500 of them ask for a snapshot), whatever its zone."""
    for service in ("consult", "consult", "appeal", "consult"):
        hall.issue(service)
    start = named_version(app, client, api)
    boards = _displays(app, client, api)
    hall.open("1")
    hall.open("412")
    hall.call_next("1")
    clock.advance(minutes=6)
    hall.call_next("1")  # ends the first visit
    hall.call_next("412")
    hall.issue()
    clock.advance(minutes=6)
    hall.call_next("1")  # ends the second visit
    end = named_version(app, client, api)
    for name, frames in _frames(boards).items():
        assert [data["version"] for _, data in frames] == list(range(start + 1, end + 1)), name


def named_version(app: Any, client: Any, api: Any) -> int:
    """The office's version, from a fresh display's snapshot."""
    snap = connect(app, client, token=api.device("display")).get_received(DISPLAY_NS)[0]["args"][0]
    return int(snap["version"])
