"""Opening hours in words for the "office is closed" screen: "Пн–Пт: 09:00–18:00"."""

from __future__ import annotations

from typing import Any

DAY_NAMES = {
    "uk": ("Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Нд"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}


def opening_lines(hours: dict[str, Any] | None, lang: str) -> list[str]:
    """Consecutive days with the same intervals share a line; closed days are left out.

    An empty schedule means "always open" and gives no lines.
    """
    names = DAY_NAMES.get(lang, DAY_NAMES["uk"])
    runs: list[tuple[int, int, str]] = []  # first day, last day (0-based), intervals
    for day in range(7):
        intervals = (hours or {}).get(str(day + 1)) or []
        text = ", ".join(f"{start}–{end}" for start, end in intervals)
        if text and runs and runs[-1][1] == day - 1 and runs[-1][2] == text:
            runs[-1] = (runs[-1][0], day, text)
        elif text:
            runs.append((day, day, text))
    return [f"{names[a]}{'–' + names[b] if b > a else ''}: {text}" for a, b, text in runs]
