"""Announcement texts for the wall display and the phone page, built in the core.

Pure functions (no Flask, no database): a ticket code and a desk name go in, a phrase a
text-to-speech engine reads correctly comes out.

Phrasing (docs/decisions/005-realtime.md):

- spoken, Ukrainian: «Талон ка сімнадцять, пройдіть до вікна номер три.» — numbers as words,
  consonant letters by their names (a TTS reads a lone «К» or «В» as a preposition), the
  desk noun in the genitive after «до», its number after «номер» (masculine, so «номер один»);
- spoken, English: "Ticket K 17, please go to Window 3." — the prefix transliterated
  (KMU 2010 table), digits left to the engine;
- shown on the phone: «Пройдіть до вікна 3» / "Please go to Window 3".
"""

from __future__ import annotations

import re

from reception.platform import i18n

APOSTROPHE = "’"  # U+2019: read correctly by espeak-ng and browser voices (U+02BC is not)

_UNITS = {
    "m": ["", "один", "два", "три", "чотири", "п’ять", "шість", "сім", "вісім", "дев’ять"],
    "f": ["", "одна", "дві", "три", "чотири", "п’ять", "шість", "сім", "вісім", "дев’ять"],
    "n": ["", "одне", "два", "три", "чотири", "п’ять", "шість", "сім", "вісім", "дев’ять"],
}
_TEENS = ["десять", "одинадцять", "дванадцять", "тринадцять", "чотирнадцять", "п’ятнадцять",
          "шістнадцять", "сімнадцять", "вісімнадцять", "дев’ятнадцять"]
_TENS = ["", "", "двадцять", "тридцять", "сорок", "п’ятдесят", "шістдесят", "сімдесят", "вісімдесят",
         "дев’яносто"]
_HUNDREDS = ["", "сто", "двісті", "триста", "чотириста", "п’ятсот", "шістсот", "сімсот", "вісімсот",
             "дев’ятсот"]


def _below_thousand(n: int, gender: str) -> list[str]:
    words = [_HUNDREDS[n // 100]]
    rest = n % 100
    if 10 <= rest < 20:
        words.append(_TEENS[rest - 10])
    else:
        words += [_TENS[rest // 10], _UNITS[gender][rest % 10]]
    return [w for w in words if w]


def number_words(n: int, gender: str = "m") -> str:
    """A cardinal 0–999 999 in Ukrainian words, agreeing in gender (m, f, n) with its noun."""
    if gender not in _UNITS:
        raise ValueError(f"gender {gender!r}")
    if not 0 <= n < 1_000_000:
        raise ValueError(f"number out of range: {n}")
    if n == 0:
        return "нуль"
    thousands, rest = divmod(n, 1000)
    words: list[str] = []
    if thousands == 1:
        words.append("тисяча")
    elif thousands:
        words += _below_thousand(thousands, "f")  # «тисяча» is feminine: дві тисячі, двадцять одна тисяча
        words.append(i18n.n("say.thousands", thousands, "uk"))
    words += _below_thousand(rest, gender)
    return " ".join(words)


# --- letters -------------------------------------------------------------------------------------

# Names of Ukrainian consonants as read aloud; vowels stand for themselves.
_UK_LETTER_NAMES = {
    "Б": "бе", "В": "ве", "Г": "ге", "Ґ": "ґе", "Д": "де", "Ж": "же", "З": "зе", "Й": "йот",
    "К": "ка", "Л": "ел", "М": "ем", "Н": "ен", "П": "пе", "Р": "ер", "С": "ес", "Т": "те",
    "Ф": "еф", "Х": "ха", "Ц": "це", "Ч": "че", "Ш": "ша", "Щ": "ща", "Ь": "м’який знак",
}
# Latin prefixes, as a Ukrainian speaker names them.
_LATIN_NAMES_UK = {
    "A": "ей", "B": "бі", "C": "сі", "D": "ді", "E": "і", "F": "еф", "G": "джі", "H": "ейч", "I": "ай",
    "J": "джей", "K": "кей", "L": "ел", "M": "ем", "N": "ен", "O": "оу", "P": "пі", "Q": "к’ю", "R": "ар",
    "S": "ес", "T": "ті", "U": "ю", "V": "ві", "W": "дабл-ю", "X": "екс", "Y": "уай", "Z": "зед",
}
# Official transliteration (Resolution of the Cabinet of Ministers No. 55 of 2010), for English speech.
_TRANSLIT = {
    "А": "A", "Б": "B", "В": "V", "Г": "H", "Ґ": "G", "Д": "D", "Е": "E", "Є": "Ye", "Ж": "Zh", "З": "Z",
    "И": "Y", "І": "I", "Ї": "Yi", "Й": "Y", "К": "K", "Л": "L", "М": "M", "Н": "N", "О": "O", "П": "P",
    "Р": "R", "С": "S", "Т": "T", "У": "U", "Ф": "F", "Х": "Kh", "Ц": "Ts", "Ч": "Ch", "Ш": "Sh",
    "Щ": "Shch", "Ь": "", "Ю": "Yu", "Я": "Ya",
}


def letter_uk(letter: str) -> str:
    """How a Ukrainian voice should say one letter of a ticket prefix."""
    up = letter.upper()
    if up in _UK_LETTER_NAMES:
        return _UK_LETTER_NAMES[up]
    if up in _LATIN_NAMES_UK:
        return _LATIN_NAMES_UK[up]
    return up.lower()


def letter_en(letter: str) -> str:
    up = letter.upper()
    return _TRANSLIT.get(up, up)


# --- ticket codes ----------------------------------------------------------------------------------

_CODE = re.compile(r"^\s*([^\d\s-]*)\s*-?\s*(\d+)\s*$")


def split_code(code: str) -> tuple[str, int | None]:
    """"К-017" -> ("К", 17); a code of another shape -> (code, None)."""
    match = _CODE.match(code or "")
    if not match:
        return (code or "").strip(), None
    return match.group(1), int(match.group(2))


def spoken_code_uk(code: str) -> str:
    """«К-017» -> «ка сімнадцять»."""
    prefix, number = split_code(code)
    if number is None or number >= 1_000_000:
        return " ".join(letter_uk(c) if c.isalpha() else c for c in code if not c.isspace())
    parts = [letter_uk(c) for c in prefix if c.isalpha()]
    parts.append(number_words(number))
    return " ".join(parts)


def spoken_code_en(code: str) -> str:
    """"К-017" -> "K 17"."""
    prefix, number = split_code(code)
    if number is None:
        return "".join(letter_en(c) for c in code)
    letters = "".join(letter_en(c) for c in prefix if c.isalpha())
    return f"{letters} {number}".strip()


# --- desks ------------------------------------------------------------------------------------------

# Nominative -> genitive (after «до») of the nouns that name desks.  Two-word names first.
_GENITIVE = {
    "робоче місце": "робочого місця",
    "вікно": "вікна",
    "віконце": "віконця",
    "кабінет": "кабінету",
    "кімната": "кімнати",
    "каса": "каси",
    "стійка": "стійки",
    "стіл": "столу",
    "зал": "залу",
    "зала": "зали",
    "приймальня": "приймальні",
    "місце": "місця",
    "бокс": "боксу",
    "сектор": "сектору",
    "офіс": "офісу",
    "пункт": "пункту",
    "кабінка": "кабінки",
    "відділ": "відділу",
    "аудиторія": "аудиторії",
    "переговорна": "переговорної",
}
_DESK = re.compile(r"^(?P<head>.*?)\s*(?:№\s*)?(?P<num>\d+)(?P<tail>[^\s\d]{0,2})$")


def _split_desk(name: str) -> tuple[str | None, str, str]:
    """(genitive of the leading noun or None, the rest of the name, the lower-cased noun)."""
    clean = " ".join((name or "").split())
    lower = clean.lower()
    for noun in sorted(_GENITIVE, key=len, reverse=True):
        if lower == noun or lower.startswith(noun + " "):
            return _GENITIVE[noun], clean[len(noun):].strip(), noun
    return None, clean, ""


def _spoken_rest_uk(rest: str) -> str:
    """"412" -> «номер чотириста дванадцять»; "3а" -> «номер три а»; words stay as they are."""
    match = _DESK.match(rest)
    if not match:
        return rest
    head, num, tail = match.group("head"), int(match.group("num")), match.group("tail")
    if num >= 1_000_000:
        return rest
    spoken = " ".join(p for p in (head, "номер", number_words(num), " ".join(letter_uk(c) for c in tail)) if p)
    return spoken


def spoken_desk_uk(desk_name: str) -> str:
    """«Вікно 3» -> «до вікна номер три»; a name with no known noun is read as written."""
    genitive, rest, _noun = _split_desk(desk_name)
    if genitive is None:
        return _spoken_rest_uk(rest)
    return " ".join(p for p in ("до", genitive, _spoken_rest_uk(rest)) if p)


def go_to_uk(desk_name: str) -> str:
    """The phone page's call to action: «Пройдіть до вікна 3», «Пройдіть до кабінету 412»."""
    genitive, rest, _noun = _split_desk(desk_name)
    if genitive is None:
        return f"Вас запрошують: {desk_name.strip()}"
    return " ".join(p for p in ("Пройдіть до", genitive, rest) if p)


def go_to_en(desk_name: str) -> str:
    return f"Please go to {desk_name.strip()}"


def announcement_uk(code: str, desk_name: str) -> str:
    """«Талон ка сімнадцять, пройдіть до вікна номер три.»"""
    genitive, _rest, _noun = _split_desk(desk_name)
    desk = spoken_desk_uk(desk_name)
    verb = "пройдіть " if genitive is not None else ""
    return f"Талон {spoken_code_uk(code)}, {verb}{desk}."


def announcement_en(code: str, desk_name: str) -> str:
    """"Ticket K 17, please go to Window 3.\""""
    return f"Ticket {spoken_code_en(code)}, please go to {desk_name.strip()}."


def announcements(code: str, desk_name_uk: str, desk_name_en: str | None, *, english: bool = True) -> dict[str, str]:
    """The additive keys of a ``called`` / ``recalled`` event: ``announce_uk`` (and ``announce_en``)."""
    texts = {"announce_uk": announcement_uk(code, desk_name_uk)}
    if english:
        texts["announce_en"] = announcement_en(code, desk_name_en or desk_name_uk)
    return texts


def go_to(desk_name_uk: str | None, desk_name_en: str | None) -> dict[str, str | None]:
    """The phone page's ``go_uk`` / ``go_en`` for a called ticket (None when no desk)."""
    if not desk_name_uk:
        return {"go_uk": None, "go_en": None}
    return {"go_uk": go_to_uk(desk_name_uk), "go_en": go_to_en(desk_name_en or desk_name_uk)}
