"""The day as CSV: one row per ticket, times office-local, every predictor's estimate and range."""

from __future__ import annotations

from typing import TextIO

from reception.platform.spreadsheet import to_csv
from reception.queue.estimates import PREDICTORS
from reception.queue.reads import iso_local
from reception.simulation.office import TZ
from reception.simulation.run import DayResult

BASE_COLUMNS = ["code", "service", "priority", "issued_at", "position", "status", "called_at", "desk", "wait_min"]


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def write_csv(day: DayResult, out: TextIO) -> None:
    columns = BASE_COLUMNS + [f"{name}_{part}" for name in PREDICTORS for part in ("min", "low", "high")]
    rows: list[list[str | int | None]] = [list(columns)]
    for t in day.tickets:
        row = [t.code, t.service, t.priority or "", iso_local(t.issued_at, TZ), t.position, t.status,
               iso_local(t.called_at, TZ) or "", t.desk or "", _num(t.wait_min)]
        for name in PREDICTORS:
            e = t.estimates[name]
            row += [_num(e.minutes), _num(e.low), _num(e.high)]
        rows.append(row)
    # Through the one CSV writer: service and desk codes can never run as spreadsheet formulas.
    out.write(to_csv(rows, bom=False, lineterminator="\n"))
