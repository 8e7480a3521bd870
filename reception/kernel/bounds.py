"""Sane ranges for what callers send: ids, dates, JSON nesting and the fields of commands.

A value outside them is bad input (a 4xx in the caller's language), never an overflow deep in
the database driver or in date arithmetic.  Every schema, path parameter, query parameter and
form field uses these, so the limits are stated once.  No Flask here.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, Field, ValidationError

from reception.kernel.errors import BadValue, ValidationFailed
from reception.platform.i18n import Text

MAX_ID = 2**31 - 1  # PostgreSQL INTEGER: every primary key
MIN_DATE = date(2000, 1, 1)
MAX_DATE = date(2100, 12, 31)  # far enough for any term; leaves room for deadline arithmetic
MAX_JSON_DEPTH = 32  # the deepest body of the contract is 4 levels


def date_in_range(value: date) -> date:
    """``value`` when it is within MIN_DATE..MAX_DATE; BadValue (a ValueError) otherwise (pydantic reports it)."""
    day = value.date() if isinstance(value, datetime) else value
    if not MIN_DATE <= day <= MAX_DATE:
        raise BadValue("error.input.date_range", min=MIN_DATE, max=MAX_DATE)
    return value


Id = Annotated[int, Field(ge=1, le=MAX_ID)]
# MIN_DATE..MAX_DATE as the OpenAPI document states it (a date's years 2000 to 2100), for dates in bodies,
# query strings and, as a prefix, date-times.
YEARS = r"(?:20[0-9]{2}|2100)"
DATE_PATTERN = rf"^{YEARS}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])$"
DATE_SCHEMA = {"format": "date", "pattern": DATE_PATTERN}
NO_NUL = r"^[^\x00]*$"  # PostgreSQL refuses NUL in text: the API refuses it in every string
# Whitespace spelled out for the patterns, as the server trims: ECMA's ``\s``, which validators read,
# is neither. A model's ``str_strip_whitespace`` (pydantic-core) trims Unicode White_Space (``_TRIM``),
# and its lengths count what is left; the commands then trim Python's ``isspace`` (``SPACE``: also
# U+001C..U+001F), and what that leaves must not be blank. ECMA's ``\s`` has U+FEFF, which neither trims.
_TRIM = r"\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
SPACE = _TRIM + r"\x1c-\x1f"
_FILLED = rf"[^{SPACE}\x00]"  # a character that is neither whitespace nor NUL
NOT_BLANK = rf"^[^\x00]*{_FILLED}[^\x00]*$"  # what is left after trimming is not empty


def trimmed_text(least: int, most: int | None) -> str:
    """A pattern for text without NUL whose trimmed value has ``least`` (0 or more) to ``most`` characters."""
    edge = rf"[^{_TRIM}\x00]"  # the first and last character the model's trimming keeps
    bound = "" if most is None else str(max(most - 2, 0))
    inner = rf"{edge}(?:[^\x00]{{{max(least - 2, 0)},{bound}}}{edge})?"
    if least >= 2:
        inner = rf"{edge}[^\x00]{{{least - 2},{bound}}}{edge}"
    elif most == 1:
        inner = edge
    space = f"[{_TRIM}]*"
    if not least:
        return rf"^{space}(?:{inner})?{space}$"
    return rf"^(?=[^\x00]*{_FILLED}){space}{inner}{space}$"  # and not blank once the command trims it too
SaneDate = Annotated[date, AfterValidator(date_in_range), Field(json_schema_extra={"pattern": DATE_PATTERN})]


def check_id(value: int, name: str) -> int:
    if not 1 <= value <= MAX_ID:
        raise ValidationFailed("error.id_range", field=name)
    return value


def parse_id(raw: str | None, name: str) -> int | None:
    """A form or query id: None when empty; not a whole number or out of range is ValidationFailed."""
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        value = int(raw)
    except ValueError as exc:
        raise ValidationFailed("error.id_range", field=name) from exc
    return check_id(value, name)


_DDMMYYYY = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def read_date(raw: str) -> date:
    """The one reading of a date people or machines send: ``dd.mm.yyyy`` as every page shows it (the
    day and month may have one digit), or ``YYYY-MM-DD`` (the API's examples, old links). ValueError else."""
    text = raw.strip()
    if m := _DDMMYYYY.fullmatch(text):
        return date(int(m[3]), int(m[2]), int(m[1]))
    if _ISO_DATE.fullmatch(text):
        return date.fromisoformat(text)
    raise ValueError(f"not a date: {text[:20]!r}")


def show_date(value: date | str | None) -> str:
    """A date as pages show it and date fields hold it, ``dd.mm.yyyy``; text that is no date (what the
    user typed, sent back with the error) is returned unchanged, None as ""."""
    if not value:  # None, "" or a template's undefined
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            return read_date(value).strftime("%d.%m.%Y")
        except ValueError:
            return value
    return value.strftime("%d.%m.%Y")


def parse_date(raw: str | None, name: str, *, exact: bool = False) -> date | None:
    """A form or query date (``read_date``): None when empty; malformed or out of range is ValidationFailed.

    ``exact``: the API's query dates, as its document states them (DATE_PATTERN): ``YYYY-MM-DD`` only,
    no blank around it. Pages read people's ``dd.mm.yyyy`` as well."""
    padded = raw is not None and raw != raw.strip()
    raw = (raw or "").strip()
    if not raw and not (exact and padded):
        return None
    try:
        if exact and (padded or not _ISO_DATE.fullmatch(raw)):
            raise ValueError("not the document's date")
        return date_in_range(read_date(raw))
    except ValueError as exc:
        raise ValidationFailed("error.date_range", field=name, min=_d(MIN_DATE), max=_d(MAX_DATE)) from exc


def json_depth_exceeds(value: Any, limit: int = MAX_JSON_DEPTH) -> bool:
    """True when containers nest deeper than ``limit`` (iterative: no recursion on hostile input)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > limit:
                return True
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def has_nul(value: Any) -> bool:
    """A NUL anywhere in the strings (keys too) of a parsed body: PostgreSQL refuses it in text."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


# --- the fields of commands (administration): a refused field is ``admin.bad.<field>`` -----------


def invalid(field: str, **params: Any) -> ValidationFailed:
    """A refused field: its message (``admin.bad.<field>``) names the field and the rule in words."""
    return ValidationFailed(f"admin.bad.{field}", **params)


def clean_name(value: Any, field: str, limit: int = 200, *, required: bool = True) -> str:
    """Trimmed text of at most ``limit`` characters (NULs dropped); empty only when not ``required``."""
    text = str(value if value is not None else "").replace("\x00", "").strip()
    if (required and not text) or len(text) > limit:
        raise invalid(field, limit=limit)
    return text


def clean_whole(value: Any, field: str, lo: int, hi: int) -> int:
    """A whole number ``lo``..``hi`` (digits in text too); a switch (bool) is no number."""
    try:
        number = int(str(value).strip()) if not isinstance(value, bool) else None
    except (TypeError, ValueError):
        number = None
    if number is None or not lo <= number <= hi:
        raise invalid(field, min=lo, max=hi)
    return number


def clean_switch(value: Any, field: str) -> bool:
    """A switch is a bool: "true", 1 or None are refused, not guessed."""
    if isinstance(value, bool):
        return value
    raise invalid(field)



# What a pydantic error ``type`` says (``error.input.*``, naming the field as ``name``), and which bound of its
# ``ctx`` is its count (``#``: a plural text) or its ``limit``.
_SAID: dict[str, tuple[str, str | None]] = {
    "missing": ("error.input.required", None),
    "extra_forbidden": ("error.input.unknown", None),
    "string_too_short": ("error.input.too_short", "#min_length"),
    "string_too_long": ("error.input.too_long", "#max_length"),
    "too_short": ("error.input.few_items", "#min_length"),
    "too_long": ("error.input.many_items", "#max_length"),
    "greater_than_equal": ("error.input.min", "ge"),
    "greater_than": ("error.input.above", "gt"),
    "less_than_equal": ("error.input.max", "le"),
    "less_than": ("error.input.below", "lt"),
    "string_type": ("error.input.text", None),
    "string_unicode": ("error.input.text", None),
    "int_parsing": ("error.input.integer", None),
    "int_type": ("error.input.integer", None),
    "int_from_float": ("error.input.integer", None),
    "int_parsing_size": ("error.input.integer", None),
    "float_parsing": ("error.input.number", None),
    "float_type": ("error.input.number", None),
    "finite_number": ("error.input.number", None),
    "bool_parsing": ("error.input.switch", None),
    "bool_type": ("error.input.switch", None),
    "dict_type": ("error.input.object", None),
    "model_type": ("error.input.object", None),
    "model_attributes_type": ("error.input.object", None),
    "list_type": ("error.input.list", None),
    "tuple_type": ("error.input.list", None),
    "set_type": ("error.input.list", None),
    "date_type": ("error.input.date", None),
    "date_parsing": ("error.input.date", None),
    "date_from_datetime_parsing": ("error.input.date", None),
    "date_from_datetime_inexact": ("error.input.date", None),
    "datetime_type": ("error.input.datetime", None),
    "datetime_parsing": ("error.input.datetime", None),
    "datetime_from_date_parsing": ("error.input.datetime", None),
    "datetime_object_invalid": ("error.input.datetime", None),
    "timezone_aware": ("error.input.datetime", None),
    "time_type": ("error.input.time", None),
    "time_parsing": ("error.input.time", None),
}
_PATTERNS = {NOT_BLANK: "error.input.blank", NO_NUL: "error.input.nul", DATE_PATTERN: "error.input.date"}
_EXPECTED = re.compile(r"'([^']*)'|\"([^\"]*)\"|([^\s,'\"]+)")  # pydantic's "'a', 'b' or 'c'"
MAX_REASONS = 5


def describe_errors(exc: ValidationError) -> tuple[Text, ...]:
    """The first few pydantic errors (one a field) as texts for a 422, said later in the reader's language.

    Each names its field as the contract spells it (``name``: the dotted location) and keeps pydantic's
    ``type`` for programs; the bounds come from the error's ``ctx``."""
    texts: dict[str, Text] = {}
    for err in exc.errors(include_url=False):
        where = ".".join(str(part) for part in err.get("loc", ()) if "[" not in str(part))
        if where not in texts:
            texts[where] = _said(err, where)
        if len(texts) == MAX_REASONS:
            break
    return tuple(texts.values())


def _said(err: Any, name: str) -> Text:
    kind, ctx = err.get("type", ""), err.get("ctx") or {}
    named: dict[str, Any] = {"name": name, "type": kind} if name else {"type": kind}
    if kind in ("value_error", "assertion_error") and isinstance(ctx.get("error"), BadValue):
        return Text.of(ctx["error"].key, **named, **ctx["error"].params)
    if not name:  # the body as a whole: not an object, or a rule over several fields
        body = kind in ("json_invalid", "json_type", "dict_type", "model_type", "model_attributes_type")
        return Text.of("error.input.body" if body else "error.validation", **named)
    if kind in ("literal_error", "enum"):
        choices = tuple(a or b or c for a, b, c in _EXPECTED.findall(str(ctx.get("expected", ""))) if c != "or")
        return Text.of("error.input.choice", choices=choices, **named)
    if kind == "string_pattern_mismatch":
        return Text.of(_PATTERNS.get(str(ctx.get("pattern")), "error.input.format"), **named)
    key, bound = _SAID.get(kind, ("error.input.invalid", None))
    if bound and bound.startswith("#") and isinstance(ctx.get(bound[1:]), int):
        return Text.of(key, count=ctx[bound[1:]], **named)
    if bound and bound in ctx:
        return Text.of(key, limit=ctx[bound], **named)
    return Text.of(key if not bound else "error.input.invalid", **named)


def size_in_words(size: int | None, lang: str) -> str:
    """1048576 -> "1 МБ" / "1 MB"; a limit for people, rounded down to whole units."""
    if not size:
        return "—"
    mega, kilo = ("МБ", "КБ") if lang == "uk" else ("MB", "KB")
    return f"{size // 2**20} {mega}" if size >= 2**20 else f"{max(1, size // 2**10)} {kilo}"


def _d(value: date) -> str:
    return value.strftime("%d.%m.%Y")
