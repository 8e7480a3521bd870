"""One apostrophe in Ukrainian text: ʼ (U+02BC), never ' ’ or ` (the project's style).

Every entry of the Ukrainian gettext catalogue (reception/translations/uk), the texts still kept
in Python dictionaries (the printers' own labels) and the Ukrainian texts of the seeded and demo data are scanned; so are the kiosk's and the
display's templates and scripts, where a Ukrainian word holds an apostrophe.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WRONG = re.compile("['\u2019`]")
UK_PO = ROOT / "reception" / "translations" / "uk" / "LC_MESSAGES" / "messages.po"
CATALOGUES = [
    "printers/layout.py",  # printers/ knows nothing of the core, so it keeps its few labels in Python
]
# Ukrainian words with an apostrophe inside them, in markup and scripts.
WORD_APOSTROPHE = re.compile("[\u0400-\u04ff]['\u2019`][\u0400-\u04ff]")
FRONT_ENDS = ["kiosk/templates", "kiosk/static", "display/templates", "display/static"]


def _strings(node: ast.AST) -> Iterator[str]:
    """The literal text of a string or f-string node (and of any nested dict's values)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.JoinedStr):
        for part in node.values:
            yield from _strings(part)
    elif isinstance(node, ast.Dict):
        for value in node.values:
            yield from _strings(value)
    elif isinstance(node, ast.BinOp):  # implicit concatenation is one Constant; "a" + "b" is not
        yield from _strings(node.left)
        yield from _strings(node.right)


def ukrainian_messages(path: Path) -> Iterator[tuple[int, str]]:
    """(line, text) of every value under a ``"uk"`` key of a dict literal in ``path``."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and key.value == "uk":
                    for text in _strings(value):
                        yield value.lineno, text


def po_messages(path: Path) -> Iterator[tuple[str, str]]:
    """(msgid, text) of every translated form in a .po file."""
    from babel.messages.pofile import read_po

    with path.open("rb") as po:
        for message in read_po(po):
            if message.id:
                forms = message.string if isinstance(message.string, tuple) else (message.string,)
                for text in forms:
                    if isinstance(text, str):
                        yield str(message.id if isinstance(message.id, str) else message.id[0]), text


def seeded_ukrainian() -> Iterator[tuple[str, str]]:
    from reception.ops import demo
    from reception.schema import seed

    for code, uk, _en in seed.PRIORITY_CATEGORIES:
        yield f"priority {code}", uk
    for _kind, code, uk, _en, _opens in seed.OUTCOMES:
        yield f"outcome {code}", uk
    for code, uk, _en in demo.CATEGORIES:
        yield f"demo category {code}", uk
    for record in demo.SERVICES + demo.DESKS:
        for field, value in record.items():
            if field.endswith("_uk"):
                yield f"demo {record['code']}.{field}", value


def test_the_scanner_sees_the_catalogues(tmp_path: Path) -> None:
    found = {name: list(ukrainian_messages(ROOT / name)) for name in CATALOGUES}
    assert all(found.values()), [name for name, texts in found.items() if not texts]
    po = dict(po_messages(UK_PO))
    assert po["display.ticket"] == "Талон" and po["kiosk.print_failed"].count("ʼ") == 1
    wrong = tmp_path / "messages.po"
    wrong.write_text('msgid "a"\nmsgstr "з\'явився"\n\nmsgid "b"\nmsgid_plural "b"\nmsgstr[0] "пʼять"\nmsgstr[1] "пʼяти"\n',
                     encoding="utf-8")
    assert list(po_messages(wrong)) == [("a", "з'явився"), ("b", "пʼять"), ("b", "пʼяти")]
    sample = tmp_path / "sample.py"
    sample.write_text('M = {"a": {"uk": "з\'явився", "en": "it\'s"}, "b": {"uk": f"пʼять", "en": "five"}}\n',
                      encoding="utf-8")
    assert list(ukrainian_messages(sample)) == [(1, "з'явився"), (1, "пʼять")]


@pytest.mark.parametrize("name", CATALOGUES)
def test_ukrainian_messages_use_only_the_modifier_apostrophe(name: str) -> None:
    bad = [(line, text) for line, text in ukrainian_messages(ROOT / name) if WRONG.search(text)]
    assert not bad, f"{name}: use ʼ (U+02BC) in {bad}"


def test_the_ukrainian_catalogue_uses_only_the_modifier_apostrophe() -> None:
    bad = [(key, text) for key, text in po_messages(UK_PO) if WRONG.search(text)]
    assert not bad, f"{UK_PO.relative_to(ROOT)}: use ʼ (U+02BC) in {bad}"


def test_seeded_and_demo_texts_use_only_the_modifier_apostrophe() -> None:
    bad = [(where, text) for where, text in seeded_ukrainian() if WRONG.search(text)]
    assert not bad, bad


def test_front_end_files_use_only_the_modifier_apostrophe() -> None:
    bad = []
    for folder in FRONT_ENDS:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix in {".html", ".js", ".css"}:
                for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                    if WORD_APOSTROPHE.search(line):
                        bad.append(f"{path.relative_to(ROOT)}:{number}")
    assert not bad, bad
