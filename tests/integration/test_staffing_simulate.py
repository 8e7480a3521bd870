"""`reception staffing simulate`: the office's plan for a day, simulated as a whole beside today's desks,
from its own history; `--write` leaves a scenario file that `reception simulate` runs."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from reception.ops import cli
from reception.queue import commands as queue
from reception.simulation.scenario_file import load
from tests.fakes import services


def test_the_plan_simulated_beside_todays_desks(db, db_url: str, clock, office, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    run = services(db, clock)
    for day in (10, 17):  # 12 consultations an hour at 10:00 and 11:00 Kyiv on two Tuesdays
        for hour in (8, 9):
            for i in range(12):
                clock.set(datetime(2026, 11, day, hour, i * 5, tzinfo=UTC))
                run.value(queue.issue_ticket, office_code="T1", service_code="consult")
    monkeypatch.setenv("RECEPTION_DATABASE_URL", db_url)
    monkeypatch.setenv("RECEPTION_SECRET_KEY", "cli-test")
    written = tmp_path / "plan.json"
    result = CliRunner().invoke(cli.main, ["staffing", "simulate", "--office", "T1", "--date", "2026-11-24",
                                           "--write", str(written)])
    assert result.exit_code == 0, result.output
    header, *rows = result.output.strip().splitlines()
    assert header.startswith("hour,arrivals_expected,desks_needed,desks_planned,erlang_wait_min,plan_visitors")
    assert [r.split(",")[0] for r in rows] == ["10:00", "11:00"]
    ten = rows[0].split(",")
    assert ten[1] == "12.0" and ten[2] == "3" and ten[3] == "2"  # 2 Erlangs at 80 % within 15 min: three desks
    assert int(ten[5]) > 0 and int(ten[8]) > 0  # both simulated days had visitors at 10
    data = json.loads(written.read_text(encoding="utf-8"))
    assert [d["code"] for d in data["desks"]] == ["P1", "P2", "P3"]
    scenario = load(written)
    assert scenario.services[0].distribution == "exponential" and scenario.services[0].mean_min == 10.0
    bad = CliRunner().invoke(cli.main, ["staffing", "simulate", "--office", "NOPE"])
    assert bad.exit_code != 0 and "NOPE" in bad.output
