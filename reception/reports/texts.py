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
