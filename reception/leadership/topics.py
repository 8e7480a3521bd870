"""The office's list of appeal topics: configurable per office (its ``settings`` JSON, key
``appeal_topics``), a default list until a manager sets one. Codes are stored on the records, so a
topic is never deleted from under them: one switched off stays readable (``active: false``)."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reception.audit.writer import audit
from reception.kernel.errors import ValidationFailed
from reception.kernel.identity import Actor
from reception.kernel.permissions import Action, authorize
from reception.kernel.unit_of_work import UnitOfWork
from reception.leadership.models import ReceptionRecord
from reception.offices.lookups import office_by_code
from reception.offices.models import Office
from reception.platform.clock import Clock

SETTINGS_KEY = "appeal_topics"
MAX_TOPICS = 100
CODE = re.compile(r"^[a-z0-9_]{1,64}$")
# What a call-centre of a ministry hears most (the office replaces the list with its own).
DEFAULT_TOPICS: tuple[tuple[str, str, str], ...] = (
    ("pensions", "Пенсії", "Pensions"),
    ("subsidies", "Субсидії та пільги", "Subsidies and benefits"),
    ("social_aid", "Соціальна допомога", "Social assistance"),
    ("veterans", "Ветерани та учасники бойових дій", "Veterans"),
    ("idp", "Внутрішньо переміщені особи", "Internally displaced persons"),
    ("housing", "Житло та комунальні послуги", "Housing and utilities"),
    ("labour", "Праця та зайнятість", "Labour and employment"),
    ("documents", "Документи та довідки", "Documents and certificates"),
    ("staff_conduct", "Дії працівників установи", "Conduct of the office's staff"),
    ("other", "Інше", "Other"),
)


def topics_of(office: Office) -> list[dict[str, Any]]:
    """The office's topics in order: ``{code, name_uk, name_en, active}``."""
    stored = (office.settings or {}).get(SETTINGS_KEY)
    if isinstance(stored, list) and stored:
        return [{"code": str(t["code"]), "name_uk": str(t["name_uk"]), "name_en": str(t.get("name_en") or t["name_uk"]),
                 "active": bool(t.get("active", True))} for t in stored if isinstance(t, dict) and "code" in t]
    return [{"code": c, "name_uk": uk, "name_en": en, "active": True} for c, uk, en in DEFAULT_TOPICS]


def topic_names(office: Office, lang: str = "uk") -> dict[str, str]:
    return {t["code"]: t[f"name_{lang}"] if lang in ("uk", "en") else t["name_uk"] for t in topics_of(office)}


def check_topic(office: Office, code: str) -> None:
    """A new appeal's topic is one of the office's active topics (empty: none given)."""
    if code and code not in {t["code"] for t in topics_of(office) if t["active"]}:
        raise ValidationFailed("error.appeal_unknown_topic", topic=code)


def list_topics(s: Session, actor: Actor, office_code: str) -> list[dict[str, Any]]:
    authorize(actor, Action.APPEAL_REGISTER)
    office = office_by_code(s, office_code)
    actor.require_office(office.id)
    return topics_of(office)


def set_topics(uow: UnitOfWork, clock: Clock, actor: Actor, office_code: str,
               topics: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Replace the office's list (a manager). Codes already on records must stay (switched off if unwanted)."""
    authorize(actor, Action.OFFICE_ADMIN)
    s = uow.session
    office = office_by_code(s, office_code)
    actor.require_office(office.id)
    if not topics or len(topics) > MAX_TOPICS:
        raise ValidationFailed("error.appeal_topics_count", most=MAX_TOPICS)
    clean: list[dict[str, Any]] = []
    for t in topics:
        code, name_uk = str(t.get("code") or "").strip(), str(t.get("name_uk") or "").strip()
        if not CODE.match(code) or not name_uk or len(name_uk) > 200:
            raise ValidationFailed("error.appeal_bad_topic", topic=code or name_uk[:40])
        if any(c["code"] == code for c in clean):
            raise ValidationFailed("error.appeal_bad_topic", topic=code)
        clean.append({"code": code, "name_uk": name_uk, "name_en": str(t.get("name_en") or "").strip()[:200] or name_uk,
                      "active": bool(t.get("active", True))})
    dropped = {t["code"] for t in topics_of(office)} - {c["code"] for c in clean}
    if dropped:
        used = s.scalar(select(ReceptionRecord.topic).where(ReceptionRecord.office_id == office.id,
                                                            ReceptionRecord.topic.in_(dropped)).limit(1))
        if used:
            raise ValidationFailed("error.appeal_topic_in_use", topic=used)
    office.settings = dict(office.settings or {}) | {SETTINGS_KEY: clean}
    audit(s, clock.now(), actor.user_id, "appeal.topics", "office", office.id, {"codes": [c["code"] for c in clean]})
    return clean
