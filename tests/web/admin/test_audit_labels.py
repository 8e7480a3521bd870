"""The audit log names every detail field in words: none is left as a code with an "untranslated" warning."""

from __future__ import annotations

import ast
import logging
from pathlib import Path
from typing import Any

from reception.audit.models import AuditLog
from reception.leadership.records import EDITABLE, PERSONAL
from reception.leadership.today import SETTING_LIMITS
from reception.platform import i18n
from tests.fakes import add_user, signed_in

ROOT = Path(__file__).resolve().parents[3]
STRUCTURE = {"before", "after"}  # the audit page shows these as "before → after", not by name


def _literal_keys(tree: ast.AST) -> set[str]:
    return {k.value for d in ast.walk(tree) if isinstance(d, ast.Dict) for k in d.keys
            if isinstance(k, ast.Constant) and isinstance(k.value, str)}


def detail_fields() -> set[str]:
    """Field names the code writes into audit details: ``AuditLog(detail={...})``, the keys of dicts
    passed to the writer ``audit(...)``, and the keyword arguments of the ``_audit`` helpers that remain."""
    found: set[str] = set()
    for path in (ROOT / "reception").rglob("*.py"):
        for call in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(call, ast.Call):
                continue
            func = call.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if name == "audit":
                for arg in [*call.args, *(kw.value for kw in call.keywords)]:
                    found |= _literal_keys(arg) if isinstance(arg, ast.Dict) else set()
            for kw in call.keywords:
                if name == "AuditLog" and kw.arg == "detail":
                    found |= _literal_keys(kw.value) if isinstance(kw.value, ast.Dict) else set()
                elif name == "_audit" and kw.arg:
                    found |= {kw.arg} | (_literal_keys(kw.value) if isinstance(kw.value, ast.Dict) else set())
    # Built from lists rather than written out: a record's changed values, the leadership settings.
    found |= (set(EDITABLE) - PERSONAL) | {"extended_to"} | set(SETTING_LIMITS) | {"record_index_pattern"}
    return found - STRUCTURE


def test_the_scan_finds_the_fields_it_should() -> None:
    fields = detail_fields()
    assert {"ids", "filters", "searched", "state", "reason", "index", "session", "slot"} <= fields
    assert "executor" in fields and "before" not in fields


def test_every_audit_detail_field_has_a_label_in_both_languages() -> None:
    missing = sorted(f for f in detail_fields() if not (i18n.known(f"adm.f.{f}") or i18n.known(f"field.{f}")))
    assert missing == []


def _row(clock: Any, action: str, object_type: str, object_id: str, detail: dict[str, Any]) -> AuditLog:
    return AuditLog(at=clock.now(), user_id=None, action=action, object_type=object_type, object_id=object_id,
                    detail=detail)


def test_the_audit_page_names_the_fields_without_untranslated_warnings(app, db, clock, office, caplog) -> None:
    with db.write() as s:
        s.add_all([
            _row(clock, "record.list", "reception_record", "", {
                "ids": [3, 4], "filters": {"q": "Шевченко", "kind": "complaint", "state": "open", "office": "T1"}}),
            _row(clock, "record.create", "reception_record", "3", {"index": "К-1/26"}),
            _row(clock, "appointment.book", "appointment", "7", {"session": 2, "slot": 3}),
            _row(clock, "appointment.cancel", "appointment", "7", {"reason": "захворів"}),
            _row(clock, "record.update", "reception_record", "3", {"fields": ["executor"],
                                                                   "values": {"executor": "Петренко"}}),
        ])
    c = app.test_client()
    signed_in(c, db, clock, add_user(db, clock, "root", ["admin"], []))  # rows of no office: admins only
    for lang in ("uk", "en"):
        caplog.clear()
        with caplog.at_level(logging.WARNING):
            r = c.get(f"/backoffice/audit?lang={lang}")
        assert r.status_code == 200
        assert [m.getMessage() for m in caplog.records if "untranslated" in m.getMessage()] == []
        page = r.get_data(as_text=True)
        words = {"uk": ("Показані записи: 3, 4", "Умови пошуку: Пошуковий запит: Шевченко", "Контроль: open",
                        "Реєстраційний індекс: К-1/26", "Прийом: 2; Номер часу в прийомі: 3", "Причина: захворів",
                        "Нові значення: Виконавець: Петренко"),
                 "en": ("Records shown: 3, 4", "Search text: Шевченко", "Registration index", "Reason:")}[lang]
        for text in words:
            assert text in page, (lang, text)
