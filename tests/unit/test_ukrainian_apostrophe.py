"""One apostrophe in Ukrainian text: ʼ (U+02BC), never ' ’ or ` (STYLE.md).

Every Ukrainian message of the visitor-facing catalogues (kiosk, display, printers, the core)
and the Ukrainian texts of the seeded and demo data are scanned; so are the kiosk's and the
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
CATALOGUES = [
    "kiosk/messages.py",
    "display/messages.py",
    "printers/layout.py",
    "reception/i18n.py",
    "reception/printing.py",
    "reception/api/problems.py",
    "reception/leadership/texts.py",
    "reception/leadership/retention.py",
    "reception/administration.py",
    "backoffice/admin/messages.py",
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


def seeded_ukrainian() -> Iterator[tuple[str, str]]:
    from reception import demo, seed

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
    assert any("Талон" in text for _, text in found["display/messages.py"])
    sample = tmp_path / "sample.py"
    sample.write_text('M = {"a": {"uk": "з\'явився", "en": "it\'s"}, "b": {"uk": f"пʼять", "en": "five"}}\n',
                      encoding="utf-8")
    assert list(ukrainian_messages(sample)) == [(1, "з'явився"), (1, "пʼять")]


@pytest.mark.parametrize("name", CATALOGUES)
def test_ukrainian_messages_use_only_the_modifier_apostrophe(name: str) -> None:
    bad = [(line, text) for line, text in ukrainian_messages(ROOT / name) if WRONG.search(text)]
    assert not bad, f"{name}: use ʼ (U+02BC) in {bad}"


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
