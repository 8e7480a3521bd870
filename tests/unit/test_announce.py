"""Announcement texts: Ukrainian number words, letter names, desk nouns in the genitive."""

from __future__ import annotations

import pytest

from reception.platform.speech import (
    announcement_en,
    announcement_uk,
    announcements,
    go_to,
    go_to_en,
    go_to_uk,
    letter_en,
    letter_uk,
    number_words,
    split_code,
    spoken_code_en,
    spoken_code_uk,
    spoken_desk_uk,
)


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "нуль"),
        (1, "один"),
        (2, "два"),
        (5, "п’ять"),
        (9, "дев’ять"),
        (10, "десять"),
        (11, "одинадцять"),
        (12, "дванадцять"),
        (14, "чотирнадцять"),
        (17, "сімнадцять"),
        (19, "дев’ятнадцять"),
        (20, "двадцять"),
        (21, "двадцять один"),
        (40, "сорок"),
        (44, "сорок чотири"),
        (90, "дев’яносто"),
        (99, "дев’яносто дев’ять"),
        (100, "сто"),
        (101, "сто один"),
        (110, "сто десять"),
        (111, "сто одинадцять"),
        (200, "двісті"),
        (212, "двісті дванадцять"),
        (300, "триста"),
        (412, "чотириста дванадцять"),
        (500, "п’ятсот"),
        (640, "шістсот сорок"),
        (999, "дев’ятсот дев’яносто дев’ять"),
        (1000, "тисяча"),
        (2001, "дві тисячі один"),
        (5000, "п’ять тисяч"),
        (11000, "одинадцять тисяч"),
        (21000, "двадцять одна тисяча"),
        (22000, "двадцять дві тисячі"),
    ],
)
def test_number_words_masculine(n: int, words: str) -> None:
    assert number_words(n) == words


@pytest.mark.parametrize(
    ("n", "feminine", "neuter"),
    [(1, "одна", "одне"), (2, "дві", "два"), (21, "двадцять одна", "двадцять одне"), (102, "сто дві", "сто два"),
     (12, "дванадцять", "дванадцять"), (3, "три", "три")],
)
def test_number_words_agree_in_gender(n: int, feminine: str, neuter: str) -> None:
    assert number_words(n, "f") == feminine
    assert number_words(n, "n") == neuter


def test_every_number_up_to_999_has_words_without_digits_or_doubles() -> None:
    for n in range(1, 1000):
        words = number_words(n)
        assert words and not any(ch.isdigit() for ch in words)
        assert "  " not in words and words == words.strip()
    assert len({number_words(n) for n in range(1, 1000)}) == 999  # all distinct


@pytest.mark.parametrize("bad", [-1, 1_000_000])
def test_number_words_out_of_range(bad: int) -> None:
    with pytest.raises(ValueError):
        number_words(bad)


@pytest.mark.parametrize(
    ("letter", "spoken"),
    [("К", "ка"), ("В", "ве"), ("З", "зе"), ("С", "ес"), ("П", "пе"), ("Б", "бе"), ("Д", "де"), ("Р", "ер"),
     ("Ж", "же"), ("Ш", "ша"), ("Щ", "ща"), ("Й", "йот"), ("Ґ", "ґе"),
     ("А", "а"), ("І", "і"), ("Ї", "ї"), ("Є", "є"), ("Ю", "ю"), ("Я", "я"), ("У", "у"), ("О", "о"),
     ("к", "ка"), ("A", "ей"), ("B", "бі"), ("Z", "зед")],
)
def test_letters_are_spoken_by_name(letter: str, spoken: str) -> None:
    assert letter_uk(letter) == spoken


@pytest.mark.parametrize(("letter", "latin"), [("К", "K"), ("Г", "H"), ("Ж", "Zh"), ("Щ", "Shch"), ("Ю", "Yu"),
                                                ("A", "A")])
def test_letters_transliterated_for_english(letter: str, latin: str) -> None:
    assert letter_en(letter) == latin


@pytest.mark.parametrize(
    ("code", "parts"),
    [("К-017", ("К", 17)), ("А-001", ("А", 1)), ("П-412", ("П", 412)), ("AB-5", ("AB", 5)), ("12", ("", 12)),
     ("нічого", ("нічого", None))],
)
def test_split_code(code: str, parts: tuple[str, int | None]) -> None:
    assert split_code(code) == parts


def test_spoken_codes() -> None:
    assert spoken_code_uk("К-017") == "ка сімнадцять"
    assert spoken_code_uk("В-002") == "ве два"
    assert spoken_code_uk("З-100") == "зе сто"
    assert spoken_code_uk("А-111") == "а сто одинадцять"
    assert spoken_code_uk("Д-999") == "де дев’ятсот дев’яносто дев’ять"
    assert spoken_code_en("К-017") == "K 17"
    assert spoken_code_en("Ж-002") == "Zh 2"


@pytest.mark.parametrize(
    ("desk", "spoken"),
    [
        ("Вікно 3", "до вікна номер три"),
        ("Вікно 1", "до вікна номер один"),
        ("Вікно 12", "до вікна номер дванадцять"),
        ("Кабінет 412", "до кабінету номер чотириста дванадцять"),
        ("кабінет 101", "до кабінету номер сто один"),
        ("Кімната 2", "до кімнати номер два"),
        ("Каса 21", "до каси номер двадцять один"),
        ("Робоче місце 5", "до робочого місця номер п’ять"),
        ("Кабінет 3а", "до кабінету номер три а"),
        ("Приймальня Міністра", "до приймальні Міністра"),
        ("Вікно № 7", "до вікна номер сім"),
    ],
)
def test_desk_names_in_the_genitive(desk: str, spoken: str) -> None:
    assert spoken_desk_uk(desk) == spoken


def test_announcement_texts() -> None:
    assert announcement_uk("К-017", "Вікно 3") == "Талон ка сімнадцять, пройдіть до вікна номер три."
    assert announcement_uk("П-001", "Кабінет 412") == (
        "Талон пе один, пройдіть до кабінету номер чотириста дванадцять.")
    assert announcement_en("К-017", "Window 3") == "Ticket K 17, please go to Window 3."
    # An unknown desk noun is read as written, never mangled into a wrong case.
    assert announcement_uk("А-020", "Reception") == "Талон а двадцять, Reception."
    assert announcement_uk("А-020", "Стійка реєстрації") == "Талон а двадцять, пройдіть до стійки реєстрації."


def test_announcements_payload_keys() -> None:
    assert announcements("К-017", "Вікно 3", "Window 3", english=False) == {
        "announce_uk": "Талон ка сімнадцять, пройдіть до вікна номер три."}
    both = announcements("К-017", "Вікно 3", None)
    assert both["announce_en"] == "Ticket K 17, please go to Вікно 3."


@pytest.mark.parametrize(
    ("desk_uk", "desk_en", "uk", "en"),
    [
        ("Вікно 3", "Window 3", "Пройдіть до вікна 3", "Please go to Window 3"),
        ("Кабінет 412", "Room 412", "Пройдіть до кабінету 412", "Please go to Room 412"),
        ("Робоче місце 5", "Desk 5", "Пройдіть до робочого місця 5", "Please go to Desk 5"),
        ("Приймальня", "Reception room", "Пройдіть до приймальні", "Please go to Reception room"),
        ("Зала Б", "Hall B", "Пройдіть до зали Б", "Please go to Hall B"),
        ("Reception", "Reception", "Вас запрошують: Reception", "Please go to Reception"),
    ],
)
def test_go_to_phrases(desk_uk: str, desk_en: str, uk: str, en: str) -> None:
    assert go_to_uk(desk_uk) == uk
    assert go_to_en(desk_en) == en
    assert go_to(desk_uk, desk_en) == {"go_uk": uk, "go_en": en}


def test_go_to_without_a_desk() -> None:
    assert go_to(None, None) == {"go_uk": None, "go_en": None}
