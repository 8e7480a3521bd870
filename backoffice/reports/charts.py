"""Bar charts as plain geometry for an SVG template (no script, no chart library): pure arithmetic."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from reception.reports.texts import wrap_words

CHAR_PX = 6.5  # mean width of a character at the labels' 11 px (Cyrillic included)
LINE_PX = 13
LABEL_LINES = 3


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: int  # index of the series: the CSS class colours it
    title: str  # shown as the bar's tooltip and read by screen readers


@dataclass(frozen=True)
class Tick:
    at: float  # y of a gridline, or x of a category label
    label: str
    lines: tuple[str, ...] = ()  # a category label broken at whole words, one line per item


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    plot_left: float
    plot_bottom: float
    plot_right: float
    bars: list[Bar] = field(default_factory=list)
    grid: list[Tick] = field(default_factory=list)
    labels: list[Tick] = field(default_factory=list)


def nice_step(top: float, lines: int = 4) -> float:
    """A round gridline step (1, 2, 5 × 10^n) so that ``lines`` steps cover ``top``."""
    if top <= 0:
        return 1.0
    raw = top / lines
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def _fmt(value: float, decimal_comma: bool) -> str:
    text = f"{value:g}"
    return text.replace(".", ",") if decimal_comma else text


def bar_chart(labels: list[str], series: list[tuple[str, list[float | None]]], *, width: int = 640,
              height: int = 220, label_every: int = 1, decimal_comma: bool = True) -> Chart:
    """Grouped bars: one group per label, one bar per series (None counts as 0). A label wider than
    its group is broken between words (up to three lines; the chart grows to hold them)."""
    left, right, top_pad = 40.0, width - 8.0, 12.0
    groups = max(len(labels), 1)
    group_w = (right - left) / groups
    chars = max(int(group_w * label_every / CHAR_PX), 4)
    wrapped = [tuple(wrap_words(label, chars, LABEL_LINES)) for label in labels]
    extra = LINE_PX * (max((len(w) for w in wrapped), default=1) - 1)
    height += extra
    bottom = height - 26.0 - extra
    values = [v or 0.0 for _name, vals in series for v in vals]
    step = nice_step(max(values, default=0.0))
    top = step * max(1, math.ceil(max(values, default=0.0) / step))
    plot_h = bottom - top_pad
    bar_w = max(group_w * 0.8 / max(len(series), 1), 1.0)
    bars, ticks = [], []
    for g, label in enumerate(labels):
        x0 = left + g * group_w + group_w * 0.1
        for s, (name, vals) in enumerate(series):
            value = vals[g] or 0.0
            h = plot_h * value / top
            bars.append(Bar(round(x0 + s * bar_w, 2), round(bottom - h, 2), round(bar_w, 2), round(h, 2), s,
                            f"{label}: {name} — {_fmt(value, decimal_comma)}"))
        if g % label_every == 0:
            ticks.append(Tick(round(left + (g + 0.5) * group_w, 2), label, wrapped[g]))
    grid = [Tick(round(bottom - plot_h * (i * step) / top, 2), _fmt(i * step, decimal_comma))
            for i in range(int(round(top / step)) + 1)]
    return Chart(width, height, left, bottom, right, bars, grid, ticks)
