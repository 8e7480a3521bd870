"""How a reception rule reads: Ukrainian ordinals agree with the weekday; "every Tuesday" is one adverb."""

from __future__ import annotations

import re

import pytest

from reception.leadership.texts import NTH_CHOICES, WEEKDAYS, rule_phrase, rule_phrases

# Written out by hand (not derived from the code under test): 7 weekdays × every choice of ``nth``.
EXPECTED_UK = {
    1: ["щопонеділка", "перший понеділок місяця", "другий понеділок місяця", "третій понеділок місяця",
        "четвертий понеділок місяця", "пʼятий понеділок місяця", "останній понеділок місяця"],
    2: ["щовівторка", "перший вівторок місяця", "другий вівторок місяця", "третій вівторок місяця",
        "четвертий вівторок місяця", "пʼятий вівторок місяця", "останній вівторок місяця"],
    3: ["щосереди", "перша середа місяця", "друга середа місяця", "третя середа місяця",
        "четверта середа місяця", "пʼята середа місяця", "остання середа місяця"],
    4: ["щочетверга", "перший четвер місяця", "другий четвер місяця", "третій четвер місяця",
        "четвертий четвер місяця", "пʼятий четвер місяця", "останній четвер місяця"],
    5: ["щопʼятниці", "перша пʼятниця місяця", "друга пʼятниця місяця", "третя пʼятниця місяця",
        "четверта пʼятниця місяця", "пʼята пʼятниця місяця", "остання пʼятниця місяця"],
    6: ["щосуботи", "перша субота місяця", "друга субота місяця", "третя субота місяця",
        "четверта субота місяця", "пʼята субота місяця", "остання субота місяця"],
    7: ["щонеділі", "перша неділя місяця", "друга неділя місяця", "третя неділя місяця",
        "четверта неділя місяця", "пʼята неділя місяця", "остання неділя місяця"],
}
CASES = [(wd, nth, EXPECTED_UK[wd][i]) for wd in range(1, 8) for i, nth in enumerate((None, 1, 2, 3, 4, 5, -1))]


@pytest.mark.parametrize(("weekday", "nth", "expected"), CASES)
def test_ukrainian_agrees_with_the_weekday(weekday: int, nth: int | None, expected: str) -> None:
    assert rule_phrase(weekday, nth, "uk") == expected


@pytest.mark.parametrize(("weekday", "nth"), [(wd, n) for wd in range(1, 8) for n in NTH_CHOICES])
def test_english_and_no_stray_apostrophes(weekday: int, nth: int | None) -> None:
    english = rule_phrase(weekday, nth, "en")
    day = WEEKDAYS[weekday][1]
    assert english == (f"every {day}" if nth is None else f"{english.split()[0]} {day} of the month")
    assert re.fullmatch(r"[a-zA-Z ]+", english)
    assert "'" not in rule_phrase(weekday, nth, "uk") and "’" not in rule_phrase(weekday, nth, "uk")


def test_the_weekly_phrase_never_pairs_every_week_with_a_day() -> None:
    assert all("щотижня" not in rule_phrase(wd, None) for wd in range(1, 8))


def test_the_form_gets_every_phrase_by_weekday_and_nth() -> None:
    table = rule_phrases("uk")
    assert set(table) == set(range(1, 8)) and set(table[3]) == {"", "1", "2", "3", "4", "5", "-1"}
    assert table[3]["-1"] == "остання середа місяця" and table[2][""] == "щовівторка"
