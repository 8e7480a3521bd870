"""Words of the reports (Ukrainian first) and the small formatting rules they share."""

from __future__ import annotations

from datetime import date

MONTHS_GENITIVE_UK = ("січня", "лютого", "березня", "квітня", "травня", "червня", "липня", "серпня", "вересня",
                      "жовтня", "листопада", "грудня")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")


def long_date(day: date, lang: str) -> str:
    """"1 грудня 2026" / "1 December 2026"."""
    months = MONTHS_GENITIVE_UK if lang == "uk" else MONTHS_EN
    return f"{day.day} {months[day.month - 1]} {day.year}"


def short_date(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def period_text(day_from: date, day_to: date, lang: str) -> str:
    if day_from == day_to:
        return long_date(day_from, lang)
    return f"{long_date(day_from, lang)} — {long_date(day_to, lang)}"


def num(value: float | int | str | None, lang: str) -> str:
    """A figure as text: "—" when there is none, one decimal with a decimal comma in Ukrainian."""
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    text = f"{value:.1f}"
    return text.replace(".", ",") if lang == "uk" else text


def wrap_words(text: str, width: int, max_lines: int = 2) -> list[str]:
    """``text`` in lines of at most ``width`` characters, broken between words, never inside one.

    What does not fit in ``max_lines`` ends in "…" after the last whole word; a single word longer
    than a line is the one case cut (with "…"), as nothing else would fit under its bar."""
    lines: list[str] = []
    words = text.split()
    while words and len(lines) < max_lines:
        line = words.pop(0)
        while words and len(line) + 1 + len(words[0]) <= width:
            line += " " + words.pop(0)
        lines.append(line)
    if words or any(len(line) > width for line in lines):
        last = lines[-1]
        while len(last) + 1 > width and " " in last:
            last = last.rsplit(" ", 1)[0]
        lines[-1] = (last if len(last) + 1 <= width else last[:max(width - 1, 1)]) + "…"
        lines[:-1] = [line if len(line) <= width else line[:width - 1] + "…" for line in lines[:-1]]
    return lines
