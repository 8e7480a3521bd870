"""The text patterns the OpenAPI document states say exactly what the server's trimming accepts: every
whitespace character Python strips is whitespace to them, whatever a validator's own ``\\s`` means."""

from __future__ import annotations

import re
import sys

import pytest
from pydantic import BaseModel, ConfigDict

from reception.http.api.schemas.offices import PREFIX
from reception.kernel.bounds import NOT_BLANK, clean_name, trimmed_text
from reception.kernel.errors import ValidationFailed

PYTHON_SPACE = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]


class _Trimmed(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)  # as the API's models trim
    text: str
# ECMA-262's ``\s``, as JSON Schema validators and the API's fuzzing read a pattern.
_ECMA_SPACE = r"\t\n\x0b\x0c\r \xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
SAMPLES = ["", "a", " a ", "ab", "абв", "\ufeff", "a\x1db", *PYTHON_SPACE, *(s * 3 for s in PYTHON_SPACE),
           *(f"{s}x{s}" for s in PYTHON_SPACE), "\x1d\x0b \t\f", "  \x0b\t\t\r\n \f\f  \n\t\f\x0b\r\f\x1d\f\r"]


def ecma(pattern: str) -> re.Pattern[str]:
    """``pattern`` compiled with ECMA's ``\\s`` (Python's own ``\\s`` is its ``isspace``)."""
    return re.compile(pattern.replace("[^\\s", f"[^{_ECMA_SPACE}").replace("\\s", f"[{_ECMA_SPACE}]"))


def _server_keeps(text: str, least: int, most: int) -> bool:
    """The model's trimming (pydantic-core: Unicode White_Space) and its lengths, then the command's."""
    kept = _Trimmed(text=text).text
    if not least <= len(kept) <= most:
        return False
    try:
        return len(clean_name(kept, "name", most, required=least > 0)) >= min(least, 1)
    except ValidationFailed:
        return False


@pytest.mark.parametrize(("least", "most"), [(0, 200), (1, 200), (1, 1), (2, 5), (3, 3)])
def test_a_trimmed_text_pattern_accepts_what_the_server_keeps(least: int, most: int) -> None:
    pattern = ecma(trimmed_text(least, most))
    for text in SAMPLES:
        assert bool(pattern.match(text)) == _server_keeps(text, least, most), (least, most, repr(text))


def test_not_blank_is_what_trimming_leaves_something_of() -> None:
    for text in SAMPLES:
        assert bool(ecma(NOT_BLANK).match(text)) == bool(text.strip()), repr(text)


def test_a_service_prefix_has_no_character_the_server_calls_space() -> None:
    for space in PYTHON_SPACE:
        assert not ecma(PREFIX).match(f"A{space}1"), repr(space)
    assert ecma(PREFIX).match("К")


def test_an_email_or_video_link_pattern_refuses_every_space_the_server_does() -> None:
    from reception.http.api.schemas.leadership import VIDEO_URL_PATTERN
    from reception.notifications.subscriptions import EMAIL

    for space in PYTHON_SPACE:
        assert not ecma(EMAIL.pattern).match(f"a{space}b@example.org"), repr(space)
        assert not ecma(VIDEO_URL_PATTERN).match(f"https://meet.example.org/a{space}b"), repr(space)
    assert ecma(EMAIL.pattern).match("olena@example.org")
    assert ecma(VIDEO_URL_PATTERN).match("https://meet.example.org:8443/room?x=1")
