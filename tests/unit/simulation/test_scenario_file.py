"""Scenario files: the example loads; each kind of mistake is refused with its place in the file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from reception.simulation.scenario_file import ScenarioError, load, parse

EXAMPLE = Path(__file__).parents[3] / "docs" / "scenarios" / "example.toml"


def minimal(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "t", "opens": "09:00", "closes": "12:00",
        "services": [{"code": "consult", "service_time": {"distribution": "exponential", "mean_min": 5},
                      "arrivals": [["09:00", 10]]}],
        "desks": [{"code": "1", "services": ["consult"]}],
    }
    data.update(changes)
    return data


def test_the_example_file_loads() -> None:
    sc = load(EXAMPLE)
    assert sc.name == "tuesday-two-lines" and sc.day.isoweekday() == 2 and sc.leadership is None
    consult, documents, appeal = sc.services
    assert (consult.distribution, consult.median_min, consult.sigma) == ("lognormal", 11.0, 0.5)
    assert consult.curve[:2] == ((0.0, 5.0), (60.0, 9.0)) and consult.curve[-1] == (510.0, 2.0)
    assert (documents.distribution, documents.mean_min) == ("exponential", 4.0)
    assert appeal.distribution == "empirical" and len(appeal.samples) == 8 and appeal.mean_min == pytest.approx(8.5875)
    late = sc.desks[2]
    assert (late.opens_at_min, late.closes_at_min, late.breaks[0].at_min) == (60.0, 480.0, 270.0)
    assert sc.desks[1].weights == (("appeal", 2.0),)
    assert dict(sc.priorities)["elderly"] == 3.0 and sc.priority_share == 0.08


def test_json_reads_the_same_structure(tmp_path: Path) -> None:
    path = tmp_path / "day.json"
    path.write_text(json.dumps(minimal(leadership={"start": "10:00", "end": "11:00", "booked": 2})))
    sc = load(path)
    assert sc.services[0].mean_min == 5.0 and sc.leadership is not None and sc.leadership.booked == 2


def test_empirical_from_history_reads_the_given_source() -> None:
    data = minimal(history={"database": "sqlite://", "office": "T1"})
    data["services"][0]["service_time"] = {"distribution": "empirical", "history": True}
    sc = parse(data, history=lambda table, code: [4.0, 6.0] if code == "consult" and table["office"] == "T1" else [])
    assert sc.services[0].samples == (4.0, 6.0) and sc.services[0].mean_min == 5.0
    with pytest.raises(ScenarioError, match="no served visit"):
        parse(data, history=lambda table, code: [])


def _svc(**changes: Any) -> list[dict[str, Any]]:
    return [minimal()["services"][0] | changes]


@pytest.mark.parametrize(("changes", "message"), [
    ({"opens": "9h"}, "opens: '9h' is not a time HH:MM"),
    ({"closes": "08:00"}, "closes: must be after opens"),
    ({"date": "24.11.2026"}, "date: '24.11.2026' is not a date YYYY-MM-DD"),
    ({"no_show_share": 1.5}, "no_show_share: must be from 0 to 1"),
    ({"walk_min": [2, 1]}, "walk_min: a pair [least, most]"),
    ({"colour": "red"}, "colour: unknown key"),
    ({"services": []}, "services: a list of at least one service is required"),
    ({"services": _svc(arrivals=[["09:00", 10], ["08:59", 3]])}, "services[0].arrivals[1]: 08:59 is outside the day"),
    ({"services": _svc(arrivals=[["10:00", 10], ["09:30", 3]])}, "services[0].arrivals[1]: times must increase"),
    ({"services": _svc(arrivals=[["09:00", -1]])}, "services[0].arrivals[0][1]: must be from 0"),
    ({"services": _svc(service_time={"distribution": "gamma"})},
     "services[0].service_time.distribution: one of exponential, lognormal, empirical is required"),
    ({"services": _svc(service_time={"distribution": "exponential", "mean_min": 0})},
     "services[0].service_time.mean_min: must be above 0"),
    ({"services": _svc(service_time={"distribution": "lognormal", "median_min": 5})},
     "services[0].service_time.sigma: required"),
    ({"services": _svc(service_time={"distribution": "lognormal", "median_min": 5, "mean_min": 6, "sigma": 0.4})},
     "give median_min or mean_min"),
    ({"services": _svc(service_time={"distribution": "empirical", "samples": [3, -1]})},
     "services[0].service_time.samples: a list of 1 to"),
    ({"services": _svc(service_time={"distribution": "empirical", "history": True})},
     "history = true needs [history] database and office"),
    ({"services": [*_svc(), *_svc()]}, "services[1].code: 'consult' is given twice"),
    ({"desks": [{"code": "1", "services": ["notary"]}]}, "desks[0].services: 'notary' is not a service"),
    ({"desks": [{"code": "1", "services": ["consult"], "opens": "11:00", "closes": "10:00"}]},
     "desks[0].closes: must be after the desk opens"),
    ({"desks": [{"code": "1", "services": ["consult"], "breaks": [{"at": "13:00", "length_min": 10}]}]},
     "desks[0].breaks[0].at: 13:00 is outside the day"),
    ({"desks": [{"code": "1", "services": ["consult"], "weights": {"appeal": 2}}]},
     "desks[0].weights.appeal: not a service of this desk"),
    ({"priority": {"share": 0.1, "categories": {"elderly": 0}}}, "priority.categories.elderly: must be above 0"),
])
def test_each_mistake_is_named_by_its_place(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        parse(minimal(**changes), "day.toml")
    assert any(message in p for p in caught.value.problems), caught.value.problems


def test_every_mistake_is_listed_at_once() -> None:
    with pytest.raises(ScenarioError) as caught:
        parse(minimal(opens="nine", no_show_share=-1, desks=[]), "day.toml")
    assert len(caught.value.problems) >= 3 and str(caught.value).startswith("day.toml: ")


def test_unreadable_and_malformed_files(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="cannot be read"):
        load(tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("name = ")
    with pytest.raises(ScenarioError, match="not valid TOML"):
        load(bad)
    bad_json = tmp_path / "bad.json"
    bad_json.write_text("[1, 2]")
    with pytest.raises(ScenarioError, match="one table"):
        load(bad_json)

