"""Ukrainian first, English second: gettext catalogues through Babel and Flask-Babel.

The texts live in ``reception/translations/{uk,en}/LC_MESSAGES/messages.po`` (msgids are the
symbolic keys, ``error.role``; English is the ``en`` catalogue, not the msgid).  The .po files
are compiled in memory on first use, so no compiled .mo can ever be stale or missing
(docs/decisions/024-translations.md).  An English entry that is missing falls back to Ukrainian;
a key missing from both is logged and shown as the key (tests/unit/test_translations.py fails
on any such key used in the code or templates).

Placeholders are ``str.format`` fields (``{code}``, the gettext ``python-brace-format`` flag);
counted texts are plural entries read with ``n()`` (Ukrainian has three forms: 1 талон,
2 талони, 5 талонів).
"""

from __future__ import annotations

import io
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LANGS = ("uk", "en")
DEFAULT_LANG = "uk"
TRANSLATIONS = Path(__file__).parent.parent / "translations"  # reception/translations
DOMAIN = "messages"

log = logging.getLogger(__name__)


def po_path(lang: str) -> Path:
    return TRANSLATIONS / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(lang: str) -> Translations:
    """The compiled catalogue of ``lang`` (English falls back to Ukrainian, entry by entry)."""
    lang = lang if lang in LANGS else DEFAULT_LANG
    with po_path(lang).open("rb") as po:
        catalog = read_po(po, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)  # fuzzy entries are left out, as msgfmt does
    buffer.seek(0)
    compiled = Translations(buffer, domain=DOMAIN)
    if lang != DEFAULT_LANG:
        compiled.add_fallback(translations(DEFAULT_LANG))
    return compiled


def known(key: str) -> bool:
    """Is ``key`` in the Ukrainian catalogue (a plural entry is stored by ``(key, form)``)?"""
    compiled = translations(DEFAULT_LANG)._catalog
    return key in compiled or (key, 0) in compiled


def format_date(day: date, lang: str = DEFAULT_LANG) -> str:
    """A calendar date the way people write it: "1 грудня 2026" / "1 December 2026", never ISO."""
    return babel_format_date(day, "d MMMM y", locale=lang if lang in LANGS else DEFAULT_LANG)


@dataclass(frozen=True)
class Text:
    """A message to be said later, in the reader's language: its key and parameters (``count`` for a plural
    entry, read with ``n``). Code that does not know the language (the domain, pure rules) hands these on;
    a ``Text`` or a tuple of them given as a parameter is said where the message is."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)
    count: int | None = None

    @classmethod
    def of(cls, key: str, *, count: int | None = None, **params: Any) -> Text:
        return cls(key, params, count)

    def say(self, lang: str) -> str:
        if self.count is None:
            return t(self.key, lang, **self.params)
        return n(self.key, self.count, lang, **self.params)


def _readable(name: str, value: Any, lang: str) -> Any:
    """A parameter as a person reads it: a date written out; a ``field`` by its label (``field.<name>``),
    a ``problem`` by its text (``problem.<name>``); a ``Text`` said, texts one after another; a tuple of
    values (a list to choose from) each quoted as the language quotes, one after another."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return format_date(value, lang)
    if name in ("field", "problem") and isinstance(value, str) and known(f"{name}.{value}"):
        return t(f"{name}.{value}", lang)
    if isinstance(value, Text):
        return value.say(lang)
    if isinstance(value, tuple) and value and all(isinstance(item, Text) for item in value):
        return " ".join(item.say(lang) for item in value)
    if isinstance(value, tuple):
        return ", ".join(t("text.quoted", lang, value=item) for item in value)
    return value


def _fill(text: str, lang: str, params: dict[str, Any]) -> str:
    try:
        return text.format(**{name: _readable(name, value, lang) for name, value in params.items()})
    except (KeyError, IndexError, ValueError):
        return text


def t(key: str, lang: str = DEFAULT_LANG, **params: Any) -> str:
    """The message ``key`` in ``lang``; dates and field names in its parameters are put in words."""
    text = translations(lang).gettext(key)
    if text == key and not known(key):
        log.warning("untranslated message key %r", key)
        return key
    return _fill(text, lang, params)


def n(key: str, count: int, lang: str = DEFAULT_LANG, **params: Any) -> str:
    """The plural message ``key`` for ``count`` (``{n}`` in the text is the count)."""
    text = translations(lang).ngettext(key, key, count)
    if text == key and not known(key):
        log.warning("untranslated plural key %r", key)
        return key
    return _fill(text, lang, {"n": count, **params})


def plural_forms(key: str, lang: str) -> dict[str, str]:
    """``{CLDR category: text}`` of a plural message, for a browser's ``Intl.PluralRules``.

    The category of each gettext form is found by asking the locale's CLDR rule about the
    first count that gettext puts in that form, so the two rules cannot disagree."""
    rule = Locale.parse(lang).plural_form
    forms: dict[str, str] = {}
    for count in range(200):
        forms.setdefault(rule(count), translations(lang).ngettext(key, key, count))
    return forms


def catalogue(prefix: str, lang: str) -> dict[str, str]:
    """Every message whose key starts with ``prefix``, keyed without it (texts sent to a page's script)."""
    keys = [key for key in translations(DEFAULT_LANG)._catalog
            if isinstance(key, str) and key.startswith(prefix)]
    return {key.removeprefix(prefix): translations(lang).gettext(key) for key in sorted(keys)}


def best_lang(candidates: list[str | None]) -> str:
    for lang in candidates:
        if lang and lang[:2].lower() in LANGS:
            return lang[:2].lower()
    return DEFAULT_LANG


def localized(obj: Any, attr: str, lang: str) -> str:
    """``obj.name_uk`` / ``obj.name_en`` by language, Ukrainian when English is empty."""
    value = getattr(obj, f"{attr}_{lang}", None) if lang != "uk" else None
    return value or getattr(obj, f"{attr}_uk")
