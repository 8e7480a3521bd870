"""The one date parser of forms, queries and the API: dd.mm.yyyy as pages show it, or YYYY-MM-DD."""

from __future__ import annotations

from datetime import date

import pytest

from reception.kernel.bounds import parse_date, read_date, show_date
from reception.kernel.errors import ValidationFailed
from reception.platform.i18n import t


def test_reads_ddmmyyyy_and_iso() -> None:
    assert read_date("07.12.2026") == read_date("7.12.2026") == read_date("2026-12-07") == date(2026, 12, 7)
    for bad in ("12/07/2026", "31.02.2026", "2026-2-7", "07.12.26", "", "сьогодні"):
        with pytest.raises(ValueError):
            read_date(bad)
    assert show_date(date(2026, 1, 2)) == show_date("2026-01-02") == "02.01.2026"
    assert show_date(None) == "" and show_date("12/07/2026") == "12/07/2026"  # what was typed, sent back


def test_messages_ask_for_ddmmyyyy_and_name_the_field_in_words() -> None:
    with pytest.raises(ValidationFailed) as caught:
        parse_date("12/07/2026", "Дата прийому")
    text = t(caught.value.message_key, "uk", **caught.value.params)
    assert text == "Поле «Дата прийому»: потрібна дата у форматі ДД.ММ.РРРР між 01.01.2000 і 31.12.2100."
