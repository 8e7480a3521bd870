"""Render-time benchmark per ticket: ESC/POS text, ESC/POS image, PDF 80 mm, PNG.

Run: .venv/bin/python bench/bench_print.py [iterations]
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from printers import EscposPrinter, open_printer, render_pdf, render_png, sample_slip  # noqa: E402


def measure(fn: Callable[[], bytes], iterations: int) -> tuple[float, float, int]:
    """(median ms, p99 ms, output bytes) over ``iterations`` runs after one warm-up."""
    size = len(fn())
    times = []
    for _ in range(iterations):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.99))], size


def main() -> None:
    iterations = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    slip = sample_slip()
    text = open_printer("dummy://?mode=text")
    image = open_printer("dummy://?mode=image")
    assert isinstance(text, EscposPrinter) and isinstance(image, EscposPrinter)
    cases = {
        "ESC/POS text (cp1251)": lambda: text.render(slip),
        "ESC/POS image (576 px)": lambda: image.render(slip),
        "PDF 80 mm": lambda: render_pdf(slip, 80),
        "PNG 576 px": lambda: render_png(slip, 576),
    }
    print(f"{'backend':<24}{'median ms':>10}{'p99 ms':>10}{'bytes':>10}   ({iterations} iterations)")
    for name, fn in cases.items():
        median, p99, size = measure(fn, iterations)
        print(f"{name:<24}{median:>10.2f}{p99:>10.2f}{size:>10}")


if __name__ == "__main__":
    main()
