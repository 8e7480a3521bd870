"""Wait estimates against realised waits on simulated days (issue 12; docs/decisions/016-wait-estimates.md).

    .venv/bin/python bench/bench_estimates.py                 # four scenarios, seeds 1-3, SQLite
    .venv/bin/python bench/bench_estimates.py --seeds 1 --scenarios normal

Each day drives the real queue commands with a simulated clock; every predictor sees the same
snapshot at issue.  Prints, per scenario and predictor: mean and p90 absolute error (minutes),
range coverage and mean range width, and the product's MAE against the naive baseline.  Not a test.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reception.estimates import PREDICTORS  # noqa: E402
from reception.simulation import SCENARIOS, TicketOutcome, simulate  # noqa: E402
from reception.simulation.evaluate import Score, score_predictor  # noqa: E402

GOAL_MAE_CUT, GOAL_COVERAGE = 0.30, 0.80


def run_days(scenario: str, seeds: list[int], database: str | None) -> list[TicketOutcome]:
    tickets: list[TicketOutcome] = []
    for seed in seeds:
        tickets += simulate(scenario, seed, database_url=database).tickets
    return tickets


def table(rows: dict[str, dict[str, Score]]) -> list[str]:
    lines = ["| scenario | predictor | tickets | MAE min | p90 abs err min | coverage | range width min |",
             "|---|---|---:|---:|---:|---:|---:|"]
    for scenario, scores in rows.items():
        for name, s in scores.items():
            lines.append(f"| {scenario} | {name} | {s.tickets} | {s.mae_min:.1f} | {s.p90_min:.1f} | "
                         f"{s.coverage:.0%} | {s.mean_width_min:.1f} |")
    return lines


def verdict(rows: dict[str, dict[str, Score]], product: str = "product") -> list[str]:
    lines = []
    for scenario, scores in rows.items():
        cut = 1 - scores[product].mae_min / scores["naive"].mae_min
        ok = cut >= GOAL_MAE_CUT and scores[product].coverage >= GOAL_COVERAGE
        lines.append(f"{scenario}: MAE {cut:.0%} below naive, coverage {scores[product].coverage:.0%} "
                     f"-> {'goal met' if ok else 'GOAL MISSED'}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenarios", nargs="*", default=list(SCENARIOS), choices=list(SCENARIOS))
    parser.add_argument("--seeds", nargs="*", type=int, default=[1, 2, 3])
    parser.add_argument("--database", default=None, help="an empty database URL (default: temporary SQLite)")
    args = parser.parse_args()
    rows: dict[str, dict[str, Score]] = {}
    started = time.perf_counter()
    for scenario in args.scenarios:
        tickets = run_days(scenario, args.seeds, args.database)
        rows[scenario] = {name: score_predictor(tickets, predict) for name, predict in PREDICTORS.items()}
        print(f"# {scenario}: {len(tickets)} tickets over seeds {args.seeds}", file=sys.stderr, flush=True)
    print("\n".join(table(rows)))
    print()
    print("\n".join(verdict(rows)))
    print(f"\n({time.perf_counter() - started:.0f} s)", file=sys.stderr)


if __name__ == "__main__":
    main()
