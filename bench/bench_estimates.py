"""Wait estimates against realised waits on simulated days (issue 12; docs/decisions/016-wait-estimates.md).

    .venv/bin/python bench/bench_estimates.py                 # four scenarios, seeds 1-3, SQLite
    .venv/bin/python bench/bench_estimates.py --seeds 1-9     # a range (or a list: --seeds 1 4 7)
    .venv/bin/python bench/bench_estimates.py --seeds 1 --scenarios normal
    .venv/bin/python bench/bench_estimates.py --booking-share 0.3   # also: walk-ins' wait with that share booked

Each day drives the real queue commands with a simulated clock; every predictor sees the same
snapshot at issue.  Prints, per scenario and predictor: mean and p90 absolute error (minutes),
range coverage and mean range width (all seeds pooled), and the product's MAE against the naive
baseline: pooled, the mean over the seeds and the worst seed.  Not a test.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reception.queue.estimates import PREDICTORS  # noqa: E402
from reception.simulation import SCENARIOS, TicketOutcome, simulate  # noqa: E402
from reception.simulation.evaluate import Score, score_predictor  # noqa: E402

GOAL_MAE_CUT, GOAL_COVERAGE = 0.30, 0.80


def seed_list(words: list[str]) -> list[int]:
    """``1-9`` or ``1 4 7`` (or both) as a list of seeds."""
    seeds: list[int] = []
    for word in words:
        low, _, high = word.partition("-")
        seeds += range(int(low), int(high or low) + 1)
    return seeds


def cut(scores: dict[str, Score], product: str = "product") -> float:
    return 1 - scores[product].mae_min / scores["naive"].mae_min


def per_seed(days: dict[int, list[TicketOutcome]]) -> list[str]:
    """The product against naive on each seed alone: the mean over the seeds and the worst one."""
    scores = {seed: {name: score_predictor(t, PREDICTORS[name]) for name in ("naive", "product")}
              for seed, t in days.items()}
    worst = min(scores, key=lambda seed: cut(scores[seed]))
    mean_cut = sum(cut(s) for s in scores.values()) / len(scores)
    mean_cov = sum(s["product"].coverage for s in scores.values()) / len(scores)
    low_cov = min(scores, key=lambda seed: scores[seed]["product"].coverage)
    return [f"{mean_cut:.0%}", f"{mean_cov:.0%}", f"{worst}: {cut(scores[worst]):.0%}",
            f"{low_cov}: {scores[low_cov]['product'].coverage:.0%}"]


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
        below = cut(scores, product)
        ok = below >= GOAL_MAE_CUT and scores[product].coverage >= GOAL_COVERAGE
        lines.append(f"{scenario}: MAE {below:.0%} below naive, coverage {scores[product].coverage:.0%} "
                     f"-> {'goal met' if ok else 'GOAL MISSED'}")
    return lines


def walk_in_waits(tickets: list[TicketOutcome]) -> list[float]:
    return [t.wait_min for t in tickets if not t.booked and not t.is_appointment and t.wait_min is not None]


def booking_table(shares: dict[str, dict[float, list[TicketOutcome]]]) -> list[str]:
    """Walk-ins' wait (mean, p90) and the booked visitors' wait from check-in, with and without a share booked."""
    lines = ["| scenario | booked share | walk-ins | walk-in wait mean min | walk-in wait p90 min | booked | "
             "booked wait mean min |", "|---|---:|---:|---:|---:|---:|---:|"]
    for scenario, by_share in shares.items():
        for share, tickets in by_share.items():
            waits = sorted(walk_in_waits(tickets))
            booked = [t.wait_min for t in tickets if t.booked and t.wait_min is not None]
            p90 = waits[max(math.ceil(0.9 * len(waits)) - 1, 0)] if waits else 0.0
            lines.append(f"| {scenario} | {share:.0%} | {len(waits)} | {sum(waits) / max(len(waits), 1):.1f} | "
                         f"{p90:.1f} | {len(booked)} | {sum(booked) / max(len(booked), 1):.1f} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenarios", nargs="*", default=list(SCENARIOS), choices=list(SCENARIOS))
    parser.add_argument("--seeds", nargs="*", default=["1-3"], help="seeds or ranges: 1-9, or 1 2 3")
    parser.add_argument("--database", default=None, help="an empty database URL (default: temporary SQLite)")
    parser.add_argument("--booking-share", type=float, default=0.0,
                        help="also run each day with this share of the visitors booked (e.g. 0.3) and compare "
                             "the walk-ins' wait (0: skip)")
    args = parser.parse_args()
    seeds = seed_list(args.seeds)
    rows: dict[str, dict[str, Score]] = {}
    seed_rows: dict[str, list[str]] = {}
    started = time.perf_counter()
    shares: dict[str, dict[float, list[TicketOutcome]]] = {}
    for scenario in args.scenarios:
        days = {seed: simulate(scenario, seed, database_url=args.database).tickets for seed in seeds}
        if args.booking_share > 0:
            booked_days = [simulate(scenario, seed, database_url=args.database, booked_share=args.booking_share)
                           for seed in seeds]
            shares[scenario] = {0.0: [t for day in days.values() for t in day],
                                args.booking_share: [t for day in booked_days for t in day.tickets]}
        tickets = [t for day in days.values() for t in day]
        rows[scenario] = {name: score_predictor(tickets, predict) for name, predict in PREDICTORS.items()}
        seed_rows[scenario] = per_seed(days)
        print(f"# {scenario}: {len(tickets)} tickets over seeds {seeds}", file=sys.stderr, flush=True)
    print("\n".join(table(rows)))
    print()
    print("| scenario | below naive, mean of seeds | coverage, mean of seeds | worst seed: below naive "
          "| lowest coverage: seed |")
    print("|---|---:|---:|---:|---:|")
    for scenario, cells in seed_rows.items():
        print(f"| {scenario} | " + " | ".join(cells) + " |")
    print()
    print("\n".join(verdict(rows)))
    if shares:
        print()
        print("\n".join(booking_table(shares)))
    print(f"\n({time.perf_counter() - started:.0f} s)", file=sys.stderr)


if __name__ == "__main__":
    main()
