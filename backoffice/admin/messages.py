"""Texts of the administration and audit pages (Ukrainian first)."""

from __future__ import annotations

import logging
from typing import Any

from babel.dates import get_timezone, get_timezone_location

from reception.platform import i18n

log = logging.getLogger(__name__)

WEEKDAYS = {"1": ("Понеділок", "Monday"), "2": ("Вівторок", "Tuesday"), "3": ("Середа", "Wednesday"),
            "4": ("Четвер", "Thursday"), "5": ("Пʼятниця", "Friday"), "6": ("Субота", "Saturday"),
            "7": ("Неділя", "Sunday")}
WEEKDAYS_SHORT = {"1": ("Пн", "Mo"), "2": ("Вт", "Tu"), "3": ("Ср", "We"), "4": ("Чт", "Th"), "5": ("Пт", "Fr"),
                  "6": ("Сб", "Sa"), "7": ("Нд", "Su")}
# Ukraine's zone first; a few neighbours for offices abroad (consular points) — any IANA name is accepted.
TIMEZONES = ("Europe/Kyiv", "Europe/Warsaw", "Europe/Berlin", "Europe/London", "UTC")


def timezone_choices(current: str, lang: str) -> list[tuple[str, str]]:
    """(zone, its city in the page's language: "Київ", not "Europe/Kyiv"), the office's own zone included."""
    zones = TIMEZONES if current in TIMEZONES else (current, *TIMEZONES)
    return [(z, z if z == "UTC" else get_timezone_location(get_timezone(z), locale=lang, return_city=True))
            for z in zones]


def field_label(key: str, lang: str) -> str:
    """A field's name in the audit details: its label here (``adm.f.*``), else the name refusals give it
    (``field.*``); a field with neither keeps its code, and is logged so that it gets a label."""
    for prefix in ("adm.f", "field"):
        if i18n.known(f"{prefix}.{key}"):
            return i18n.t(f"{prefix}.{key}", lang)
    log.warning("untranslated audit field %r", key)
    return key


VALUE_WORDS = {"roles": ("adm.role",), "kind": ("adm.dev", "adm.kind", "adm.desk"),
               "service_kind": ("adm.kind",)}


def describe(value: Any, lang: str, key: str | None = None) -> str:
    """An audit value in words: switches as так/ні, hours by weekday, nested fields with their names."""
    if isinstance(value, bool):
        return i18n.t("adm.yes" if value else "adm.no", lang)
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if key == "opening_hours" and isinstance(value, dict):
        return "; ".join(f"{WEEKDAYS_SHORT[d][0 if lang == 'uk' else 1]} " + ", ".join(f"{a}–{b}" for a, b in v)
                         for d, v in sorted(value.items()) if d in WEEKDAYS_SHORT)
    if key == "weights" and isinstance(value, dict):  # service code -> a desk's weight: codes, not fields
        return "; ".join(f"{code}: {describe(weight, lang)}" for code, weight in value.items())
    if isinstance(value, dict):
        return "; ".join(f"{field_label(k, lang)}: {describe(v, lang, k)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(describe(v, lang, key) for v in value)
    for prefix in VALUE_WORDS.get(key or "", ()):  # codes of kinds and roles, in words; a miss is no gap
        if i18n.known(f"{prefix}.{value}"):
            found = i18n.t(f"{prefix}.{value}", lang)
            return found.lower() if prefix == "adm.dev" else found
    return str(value)


def action_label(action: str, lang: str) -> str:
    found = i18n.t(f"adm.act.{action}", lang)
    return action if found == f"adm.act.{action}" else found


def object_label(kind: str, lang: str) -> str:
    found = i18n.t(f"adm.obj.{kind}", lang)
    return kind if found == f"adm.obj.{kind}" else found


def _name(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang != "uk" and pair[1] else pair[0]


def readable_entry(entry: dict[str, Any], names: dict[str, dict[int, Any]], lang: str) -> dict[str, Any]:
    """An audit entry as a person reads it: the ids it keeps (``reception.reports.audit_log.audit_names``) become
    the registration index, the leader's name, the reception's leader, day and start, the slot's time."""
    detail = dict(entry["detail"])
    receptions, leaders = names["receptions"], names["leaders"]
    booked = detail.get("session") or detail.get("to_session")
    reception = receptions.get(booked) if isinstance(booked, int) else None
    for key in ("session", "from_session", "to_session"):
        session_id = detail.get(key)
        found = receptions.get(session_id) if isinstance(session_id, int) else None
        if found:
            detail[key] = f"{_name(found['leader'], lang)}, {found['day']} {found['start']}"
    if reception and isinstance(detail.get("slot"), int) and 0 <= detail["slot"] < len(reception["slots"]):
        detail["slot_time"] = reception["slots"][detail.pop("slot")]
    if isinstance(detail.get("leader"), int) and detail["leader"] in leaders:
        detail["leader"] = _name(leaders[detail["leader"]], lang)
    if isinstance(detail.get("refused"), str) and i18n.known(f"error.{detail['refused']}"):
        detail["refused"] = i18n.t(f"error.{detail['refused']}", lang)
        detail["fields"] = [field_label(str(f), lang) for f in detail.get("fields") or []]
    object_id = entry["object_id"]
    if entry["object_type"] == "reception_record" and str(object_id or "").isdigit():
        object_id = names["records"].get(int(object_id), object_id)
    return entry | {"detail": detail, "object_id": object_id}
