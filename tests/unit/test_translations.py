"""The gettext catalogues (reception/translations/{uk,en}): complete, translated, well-formed plurals,
the same placeholders in every language, and every key the code, templates and scripts use.

msgids are symbolic keys, so the placeholders are checked between the Ukrainian (source) text and
each translation rather than against the msgid; Babel sets the python-format flags from the msgid,
so they say nothing here.

The checks are functions run on the real catalogues and on small broken ones, so each can fail.
"""

from __future__ import annotations

import ast
import logging
import re
import string
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from reception.platform import i18n

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ["reception", "kiosk", "display", "backoffice", "printers"]
# First segments of keys in string literals that are *not* message keys (module names, config keys).
NOT_KEYS = re.compile(r"^(display\.speech|display\.board|kiosk\.page|kiosk\.web|display\.web|backoffice\.\w+|reception\.\w+)$")


def load(lang: str) -> Catalog:
    with i18n.po_path(lang).open("rb") as po:
        return read_po(po, locale=lang)


def fields(text: str) -> set[str]:
    """The ``str.format`` field names of a text (raises ValueError on a malformed template)."""
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(text) if name}


def forms(message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def key_of(message) -> str:
    return message.id[0] if isinstance(message.id, tuple) else message.id


def problems(source: Catalog, other: Catalog) -> list[str]:
    """Everything wrong with ``other`` measured against the source catalogue (Ukrainian); also
    checks ``source`` itself when ``other is source``."""
    found: list[str] = []
    expected = get_plural(str(other.locale)).num_plurals
    if other.num_plurals != expected:
        found.append(f"{other.locale}: Plural-Forms has nplurals={other.num_plurals}, CLDR says {expected}")
    source_keys = {key_of(m) for m in source if m.id}
    other_keys = {key_of(m) for m in other if m.id}
    found += [f"{other.locale}: missing {key}" for key in sorted(source_keys - other_keys)]
    found += [f"{other.locale}: {key} is not in {source.locale}" for key in sorted(other_keys - source_keys)]
    for message in other:
        if not message.id:
            continue
        key = key_of(message)
        if message.fuzzy:
            found.append(f"{other.locale}: {key} is fuzzy")
        texts = forms(message)
        if any(not text.strip() for text in texts):
            found.append(f"{other.locale}: {key} is untranslated")
        if message.pluralizable and len(texts) != expected:
            found.append(f"{other.locale}: {key} has {len(texts)} plural forms, {expected} needed")
        original = source.get(message.id)
        try:
            names = [fields(text) for text in texts]
            wanted = set().union(*(fields(text) for text in forms(original))) if original else set()
        except ValueError as error:
            found.append(f"{other.locale}: {key} is not a valid template: {error}")
            continue
        if message.pluralizable:  # the count {n} is always supplied; a form may leave it out
            names, wanted = [names_ - {"n"} for names_ in names], wanted - {"n"}
        if original is not None and set().union(*names) != wanted:
            found.append(f"{other.locale}: {key} has placeholders {sorted(set().union(*names))}, "
                         f"{source.locale} has {sorted(wanted)}")
    return found


# --- the keys in use ----------------------------------------------------------------------------


# Calls and keywords whose strings are endpoints, templates or audit actions, not message keys.
NOT_MESSAGES = {"url_for", "render_template", "_page", "audit", "_audit", "AuditLog", "redirect", "action"}


def _name(node: ast.AST) -> str:
    return node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else ""


def python_keys(prefixes: set[str]) -> tuple[set[str], set[str]]:
    """(literal keys, f-string key prefixes) in the Python sources: string literals shaped like a
    message key (``error.role``) whose first segment is one the catalogue uses."""
    shape = re.compile(r"^[a-z_]+(\.[a-z0-9_]+)+$")
    literal, dynamic = set(), set()
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts or path == ROOT / "reception" / "kernel" / "permissions.py":
                continue  # the permission table's action names look like keys but are not texts
            tree = ast.parse(path.read_text(encoding="utf-8"))
            skip = set()
            for node in ast.walk(tree):
                if isinstance(node, ast.Call) and _name(node.func) in NOT_MESSAGES:
                    skip |= {id(arg) for arg in node.args}
                if isinstance(node, ast.Call) and _name(node.func) == "NavEntry" and node.args:
                    skip.add(id(node.args[0]))  # the endpoint; the second argument is the key
                if isinstance(node, ast.keyword) and node.arg in NOT_MESSAGES:
                    skip.add(id(node.value))
            for node in ast.walk(tree):
                if id(node) in skip:
                    continue
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    text = node.value
                    if shape.match(text) and text.split(".")[0] in prefixes and not NOT_KEYS.match(text):
                        literal.add(text)
                elif isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
                    head = str(node.values[0].value)
                    if re.match(r"^[a-z_]+\.([a-z0-9_]+\.)*$", head) and head.split(".")[0] in prefixes:
                        dynamic.add(head)
    return literal, dynamic


def template_keys() -> tuple[set[str], set[str]]:
    """Keys and ``'prefix.' ~ name`` prefixes given to ``t(...)`` in the Jinja templates."""
    literal, dynamic = set(), set()
    for path in ROOT.glob("*/templates/**/*.html"):
        text = path.read_text(encoding="utf-8")
        literal |= set(re.findall(r"""\bt\(\s*['"]([a-z_][a-z0-9_.]*)['"]\s*[,)]""", text))
        dynamic |= set(re.findall(r"""\bt\(\s*['"]([a-z_][a-z0-9_.]*\.)['"]\s*~""", text))
    return literal, dynamic


def script_keys() -> set[str]:
    """Keys the kiosk's and desk console's scripts look up, with the prefix their server adds."""
    keys = set()
    for path in (ROOT / "kiosk" / "static").rglob("*.js"):
        keys |= {f"kiosk.{k}" for k in re.findall(r"""i18n\.t\(\s*["']([a-z_]+)["']""", path.read_text("utf-8"))}
        keys |= {f"kiosk.{k}" for k in re.findall(r"""(?:dialog|busy)\(\s*["']([a-z_]+)["']""",
                                                     path.read_text("utf-8"))}
    console = (ROOT / "backoffice" / "static" / "desk" / "console.js").read_text("utf-8")
    keys |= {f"desk.js.{k}" for k in re.findall(r"""\bT\[\s*["']([a-z_.]+)["']\s*\]""", console)}
    return keys


def missing(known: set[str]) -> list[str]:
    prefixes = {key.split(".")[0] for key in known}
    literal, dynamic = python_keys(prefixes)
    t_literal, t_dynamic = template_keys()
    # A literal may also name a family of keys ("adm.role" for "adm.role.<value>").
    absent = sorted(key for key in (literal | t_literal | script_keys()) - known
                    if not any(k.startswith(key + ".") for k in known))
    absent += sorted(f"{head}*" for head in dynamic | t_dynamic if not any(k.startswith(head) for k in known))
    return absent


# --- the tests ----------------------------------------------------------------------------------


def test_both_catalogues_are_complete_translated_and_well_formed() -> None:
    uk, en = load("uk"), load("en")
    assert len(uk) > 900 and uk.num_plurals == 3 and en.num_plurals == 2
    assert problems(uk, uk) + problems(uk, en) == []


def test_every_key_used_in_code_templates_and_scripts_is_in_the_catalogues() -> None:
    known = {key_of(m) for m in load("uk") if m.id}
    assert missing(known) == []
    literal, _ = python_keys({k.split(".")[0] for k in known})
    assert {"error.role", "slip.note", "suspension.say.in_min"} <= literal  # the scanner sees the code
    assert {"kiosk.wait_none", "desk.js.nobody_waits"} <= script_keys()
    assert "phone.privacy" in template_keys()[0]


def test_a_key_missing_from_the_catalogue_is_found() -> None:
    known = {key_of(m) for m in load("uk") if m.id}
    assert missing(known - {"error.role"}) == ["error.role"]
    assert "kiosk.erase_hint" in missing(known - {"kiosk.erase_hint"})
    assert missing({k for k in known if not k.startswith("suspension.title.")}) == ["suspension.title.*"]


def _po(tmp_path: Path, lang: str, body: str) -> Catalog:
    header = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n'
              f'"Plural-Forms: {get_plural(lang).plural_forms}\\n"\n\n')
    path = tmp_path / f"{lang}.po"
    path.write_text(header + body, encoding="utf-8")
    with path.open("rb") as po:
        return read_po(po, locale=lang)


def test_broken_entries_are_reported(tmp_path: Path) -> None:
    uk = _po(tmp_path, "uk", '#, python-brace-format\nmsgid "a"\nmsgstr "Талон {code}"\n\n'
                             'msgid "b"\nmsgid_plural "b"\nmsgstr[0] "{n} талон"\nmsgstr[1] "{n} талони"\n'
                             'msgstr[2] "{n} талонів"\n\nmsgid "c"\nmsgstr "Так"\n\nmsgid "d"\nmsgstr "Ні"\n')
    en = _po(tmp_path, "en", '#, python-brace-format\nmsgid "a"\nmsgstr "Ticket {number}"\n\n'
                             'msgid "b"\nmsgid_plural "b"\nmsgstr[0] "{n} ticket"\n\n'
                             '#, fuzzy\nmsgid "c"\nmsgstr "Yes"\n\nmsgid "e"\nmsgstr ""\n')
    assert problems(uk, uk) == []
    assert sorted(problems(uk, en)) == sorted([
        "en: missing d",
        "en: e is not in uk",
        "en: a has placeholders ['number'], uk has ['code']",
        "en: b is untranslated",  # Babel pads the missing second form with ""
        "en: c is fuzzy",
        "en: e is untranslated",
    ])
    short = _po(tmp_path, "uk", 'msgid "b"\nmsgid_plural "b"\nmsgstr[0] "{n} талон"\nmsgstr[1] "{n} талони"\n')
    plural = short.get("b")
    assert plural is not None
    plural.string = ("{n} талон", "{n} талони")  # what a hand-edited .po with two forms reads as
    assert "uk: b has 2 plural forms, 3 needed" in problems(short, short)
    malformed = _po(tmp_path, "uk", 'msgid "a"\nmsgstr "Талон {code}"\n\nmsgid "z"\nmsgstr "{oops"\n')
    assert problems(malformed, malformed) == ["uk: z is not a valid template: expected '}' before end of string"]


@pytest.mark.parametrize(("count", "uk", "en"), [
    (0, "0 осіб", "0 people"), (1, "1 особа", "1 person"), (2, "2 особи", "2 people"), (4, "4 особи", "4 people"),
    (5, "5 осіб", "5 people"), (11, "11 осіб", "11 people"), (12, "12 осіб", "12 people"),
    (14, "14 осіб", "14 people"), (21, "21 особа", "21 people"), (22, "22 особи", "22 people"),
    (25, "25 осіб", "25 people"), (101, "101 особа", "101 people"), (111, "111 осіб", "111 people"),
])
def test_plural_forms_follow_the_language(count: int, uk: str, en: str) -> None:
    assert i18n.n("phone.people", count, "uk") == uk
    assert i18n.n("phone.people", count, "en") == en


def test_the_browser_gets_plural_forms_by_cldr_category() -> None:
    assert i18n.plural_forms("phone.people", "uk") == {"one": "{n} особа", "few": "{n} особи", "many": "{n} осіб"}
    assert i18n.plural_forms("phone.people", "en") == {"one": "{n} person", "other": "{n} people"}


def test_lookups_translate_fall_back_and_report_missing_keys(caplog: pytest.LogCaptureFixture) -> None:
    assert i18n.t("error.role", "en") == "Your role does not allow this action."
    assert i18n.t("error.locked", "uk", minutes=5) == "Забагато невдалих спроб. Спробуйте знову через 5 хв."
    assert i18n.t("error.role", "de") == i18n.t("error.role", "uk")
    assert i18n.catalogue("kiosk.", "en")["wait_none"] == "no queue"
    with caplog.at_level(logging.WARNING, logger="reception.platform.i18n"):
        assert i18n.t("no.such_key", "uk") == "no.such_key"
    assert "no.such_key" in caplog.text


def test_flask_babel_selects_the_language_and_translates(app) -> None:
    import flask_babel

    from reception.http.language import request_lang

    for headers, query, lang in (({"Accept-Language": "en-GB,en;q=0.8"}, "", "en"),
                                 ({"Accept-Language": "de, en;q=0.5"}, "", "en"),
                                 ({"Accept-Language": "en"}, "?lang=uk", "uk"),
                                 ({}, "", "uk")):
        with app.test_request_context(f"/{query}", headers=headers):
            assert request_lang() == lang
            assert str(flask_babel.get_locale()) == lang
            assert flask_babel.gettext("kiosk.wait_none") == i18n.t("kiosk.wait_none", lang)
            # Flask-Babel fills %-style fields only; the catalogue's are str.format fields
            assert flask_babel.ngettext("phone.people", "phone.people", 22).format(n=22) == i18n.n("phone.people", 22, lang)
