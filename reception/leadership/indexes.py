"""Registration index of a record, by the office's configurable pattern.

Placeholders: ``{seq}`` (yearly sequence of the office; ``{seq:04d}`` pads), ``{yy}``/``{yyyy}``
(year of registration), ``{leader_initials}`` (initials of who received, e.g. "АБ"),
``{surname_initial}`` (first letter of the applicant's surname — the CMU No. 348 habit, "Б-115";
"К" for a collective appeal and "А" for an anonymous one), ``{kind}`` (П/З/С for
proposal/application/complaint).  Default: ``{leader_initials}-{seq}/{yy}`` -> "АБ-17/26".
"""

from __future__ import annotations

import string
from datetime import date

from reception.kernel.errors import ValidationFailed

KIND_LETTERS = {"proposal": "П", "application": "З", "complaint": "С"}
PLACEHOLDERS = {"seq", "yy", "yyyy", "leader_initials", "surname_initial", "kind"}
# What a manager picks from, each shown by its example (``example``), never as the raw pattern.
PRESET_PATTERNS = ("{leader_initials}-{seq}/{yy}", "{surname_initial}-{seq}", "{surname_initial}-{seq}/{yy}",
                   "{kind}-{seq}/{yy}", "{leader_initials}/{kind}-{seq}", "{seq}/{yy}")
EXAMPLE_SEQ, EXAMPLE_SURNAME, EXAMPLE_LEADER = 17, "Шевченко", "Віктор Петренко"


def initials(full_name: str) -> str:
    """"Андрій Бондаренко" -> "АБ" (first letters of the words, upper case)."""
    return "".join(word[0] for word in full_name.replace("-", " ").split() if word[0].isalpha()).upper()[:4]


def validate_pattern(pattern: str) -> str:
    try:
        names = {field for _, field, _, _ in string.Formatter().parse(pattern) if field is not None}
    except ValueError as exc:
        raise ValidationFailed("error.index_pattern", pattern=pattern) from exc
    if "seq" not in names or not names <= PLACEHOLDERS:
        raise ValidationFailed("error.index_pattern", pattern=pattern)
    return pattern


def example(pattern: str, year: int, leader_name: str = EXAMPLE_LEADER) -> str:
    """The index the 17th application of ``year`` (applicant Шевченко) gets: "ВП-17/26" for the default."""
    return format_index(pattern, seq=EXAMPLE_SEQ, reg_date=date(year, 1, 1), leader_name=leader_name,
                        surname=EXAMPLE_SURNAME, authorship="individual", kind="application")


def pattern_choices(current: str, year: int, leader_name: str | None = None) -> list[tuple[str, str]]:
    """(pattern, example) for the settings form: the presets, plus the office's own pattern if it is another."""
    patterns = PRESET_PATTERNS if current in PRESET_PATTERNS else (current, *PRESET_PATTERNS)
    return [(p, example(p, year, leader_name or EXAMPLE_LEADER)) for p in patterns]


def format_index(pattern: str, *, seq: int, reg_date: date, leader_name: str, surname: str,
                 authorship: str, kind: str) -> str:
    validate_pattern(pattern)
    if authorship == "collective":
        surname_initial = "К"
    elif authorship == "anonymous" or not surname.strip():
        surname_initial = "А"
    else:
        surname_initial = surname.strip()[0].upper()
    return pattern.format(
        seq=seq,
        yy=f"{reg_date.year % 100:02d}",
        yyyy=str(reg_date.year),
        leader_initials=initials(leader_name) or "X",
        surname_initial=surname_initial,
        kind=KIND_LETTERS.get(kind, ""),
    )
