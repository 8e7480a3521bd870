"""A seeded, deterministic office day driving the real queue commands (issue 12).

    from reception.simulation import simulate
    day = simulate("normal", seed=1)          # DayResult: one TicketOutcome per ticket

Scenarios: quiet, normal, peak, desk_closing_midday (``scenarios``), or a TOML/JSON file
(``scenario_file``, docs/scenarios/example.toml).  The command line is
``reception simulate --scenario normal|FILE --seed 1 [--database URL]``; a staffing plan simulated as a
whole: ``reception staffing simulate --office CODE --date YYYY-MM-DD`` (``from_plan``).
"""

from __future__ import annotations

from reception.simulation.run import DayResult, TicketOutcome, simulate
from reception.simulation.scenarios import SCENARIOS, Scenario, scenario

__all__ = ["SCENARIOS", "DayResult", "Scenario", "TicketOutcome", "scenario", "simulate"]
