"""The day simulator against queueing theory.

1. Exactly: with one line, exponential visits, no walk to the desk, no no-shows and every desk open all
   day, the simulator (real queue commands on a database) calls each visitor at the very moment a
   first-come-first-served c-desk queue does, fed the same arrivals and the same service draws
   (the Kiefer-Wolfowitz recursion below, written independently of the simulator).
2. In the steady state: that recursion, fed by the simulator's own draws (its Poisson arrivals by
   thinning and its exponential visits, from the simulator's seeded streams) over a long run, has
   Erlang C's probability of waiting and mean wait. A long run through the database itself would take
   minutes (some 35 ms per visitor); 1 makes the recursion's figures the simulator's.
"""

from __future__ import annotations

import heapq
import random
from pathlib import Path

import pytest
from click.testing import CliRunner

from reception.ops import cli
from reception.simulation import simulate
from reception.simulation.arrivals import exponential_minutes, thinned_arrivals
from reception.simulation.office import local_instant
from reception.simulation.scenario_file import load
from reception.staffing import erlang

SCENARIO = """
name = "mmc"
opens = "09:00"
closes = "{closes}"
no_show_share = 0
walk_min = [0, 0]
break_jitter_min = 0
[priority]
share = 0
[[services]]
code = "consult"
service_time = {{ distribution = "exponential", mean_min = {mean} }}
arrivals = [["09:00", {rate}]]
[[desks]]
code = "1"
services = ["consult"]
[[desks]]
code = "2"
services = ["consult"]
"""


def fcfs_waits(arrivals: list[float], services: list[float], desks: int, closes: float) -> list[float | None]:
    """Each visitor's wait in a first-come-first-served queue of ``desks`` desks; None: not called by ``closes``."""
    free = [0.0] * desks
    waits: list[float | None] = []
    for arrive, serve in zip(arrivals, services, strict=False):
        start = max(arrive, heapq.heappop(free))
        if start >= closes:
            waits.append(None)
            heapq.heappush(free, start)
            continue
        waits.append(start - arrive)
        heapq.heappush(free, start + serve)
    return waits


def test_the_simulator_is_exactly_a_fcfs_c_desk_queue(tmp_path: Path) -> None:
    path = tmp_path / "mmc.toml"
    path.write_text(SCENARIO.format(closes="11:00", mean=4.5, rate=24), encoding="utf-8")
    scenario = load(path)
    seed = 7
    day = simulate(scenario, seed)
    opens = local_instant(scenario, scenario.opens)
    arrivals = [(t.issued_at - opens).total_seconds() / 60 for t in day.tickets]
    assert len(arrivals) > 30 and arrivals == sorted(arrivals)
    draws = random.Random(f"{seed}:service")  # the simulator's service stream: one draw per call, in call order
    services = [exponential_minutes(draws, 4.5) for _ in arrivals]
    expected = fcfs_waits(arrivals, services, 2, scenario.day_min)
    got = [t.wait_min for t in day.tickets]
    assert [w is None for w in got] == [w is None for w in expected]
    assert sum(1 for w in expected if w and w > 1) > 5  # a line did form
    for mine, theirs in zip(got, expected, strict=True):
        if theirs is not None:
            assert mine == pytest.approx(theirs, abs=1e-4)  # the database keeps microseconds


@pytest.mark.parametrize(("rate", "mean", "desks"), [(24.0, 4.5, 2), (50.0, 6.0, 6), (20.0, 2.4, 1)])
def test_the_simulators_draws_in_the_steady_state_meet_erlang_c(rate: float, mean: float, desks: int) -> None:
    hours = 4000  # some 100 000 visitors: the mean wait's error is a few per cent
    rng = random.Random("1:arrivals")
    arrivals = thinned_arrivals(rng, ((0.0, rate),), hours * 60.0)
    draws = random.Random("1:service")
    services = [exponential_minutes(draws, mean) for _ in arrivals]
    waits = [w for w in fcfs_waits(arrivals, services, desks, float("inf")) if w is not None]
    warm = len(waits) // 20  # the empty office at opening is not the steady state
    steady = waits[warm:]
    load_ = rate * mean / 60
    assert sum(steady) / len(steady) == pytest.approx(erlang.mean_wait_min(desks, load_, mean), rel=0.06)
    assert sum(1 for w in steady if w > 0) / len(steady) == pytest.approx(erlang.erlang_c(desks, load_), abs=0.015)
    target = mean  # the share within one mean visit
    assert sum(1 for w in steady if w <= target) / len(steady) == pytest.approx(
        erlang.within_share(desks, load_, mean, target), abs=0.015)


def test_the_command_takes_a_scenario_file(tmp_path: Path) -> None:
    path = tmp_path / "mmc.toml"
    path.write_text(SCENARIO.format(closes="09:40", mean=4.5, rate=24), encoding="utf-8")
    result = CliRunner().invoke(cli.main, ["simulate", "--scenario", str(path), "--seed", "2"])
    assert result.exit_code == 0, result.output
    header, *rows = result.output.strip().splitlines()
    assert header.startswith("code,service,priority") and rows
    broken = tmp_path / "broken.toml"
    broken.write_text(SCENARIO.format(closes="08:00", mean=0, rate=24), encoding="utf-8")
    bad = CliRunner().invoke(cli.main, ["simulate", "--scenario", str(broken)])
    assert bad.exit_code == 2
    assert "closes: must be after opens" in bad.output and "mean_min: must be above 0" in bad.output
