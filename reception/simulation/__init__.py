"""A seeded, deterministic office day driving the real queue commands (issue 12).

    from reception.simulation import simulate
    day = simulate("normal", seed=1)          # DayResult: one TicketOutcome per ticket

Scenarios: quiet, normal, peak, desk_closing_midday (``scenarios``).  The command line is
``reception simulate --scenario normal --seed 1 [--database URL]``.
"""

from __future__ import annotations

from reception.simulation.run import DayResult, TicketOutcome, simulate
from reception.simulation.scenarios import SCENARIOS, Scenario, scenario

__all__ = ["SCENARIOS", "DayResult", "Scenario", "TicketOutcome", "scenario", "simulate"]
