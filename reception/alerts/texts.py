"""The words of an alert (Ukrainian first): its title and one line, for the hall view and the messages."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reception.offices.models import Office, Service
from reception.platform import i18n


def _service_name(session: Session | None, office: Office, code: Any, lang: str) -> str:
    if session is None or not code:
        return str(code or "")
    row = session.execute(select(Service.name_uk, Service.name_en)
                          .where(Service.office_id == office.id, Service.code == str(code))).first()
    if row is None:
        return str(code)
    return str(row.name_en or row.name_uk) if lang == "en" else str(row.name_uk)


def title(kind: str, lang: str = "uk") -> str:
    return i18n.t(f"alert.title.{kind}", lang)


def line(session: Session | None, office: Office, kind: str, detail: dict[str, Any], lang: str = "uk") -> str:
    """One sentence saying what is wrong, from the alert's detail (figures and names, no personal data)."""
    d = detail
    if kind in ("wait_over_target", "nobody_serves"):
        return i18n.t(f"alert.text.{kind}", lang, service=_service_name(session, office, d.get("service"), lang),
                      minutes=d.get("longest_wait_min", 0), target=d.get("target_wait_min", 0),
                      waiting=d.get("waiting", 0))
    if kind == "device_offline":
        key = "alert.text.device_offline" if d.get("minutes") is not None else "alert.text.device_never"
        return i18n.t(key, lang, name=d.get("name", ""), minutes=d.get("minutes") or 0)
    if kind == "printer_paper":
        return i18n.t(f"alert.text.printer_paper.{d.get('paper', 'out')}", lang, name=d.get("name", ""))
    if kind == "printer_failing":
        return i18n.t("alert.text.printer_failing", lang, name=d.get("name", ""), failures=d.get("failures", 0))
    if kind == "suspended_long":
        return i18n.t("alert.text.suspended_long", lang, minutes=d.get("minutes", 0))
    if kind == "leader_absent":
        return i18n.t("alert.text.leader_absent", lang, room=d.get("room", ""), minutes=d.get("late_min", 0),
                      checked_in=d.get("checked_in", 0))
    if kind in ("appeals_overdue", "appeals_near_due"):
        return i18n.t(f"alert.text.{kind}", lang, count=d.get("count", 0), days=d.get("days", 0))
    return i18n.t(f"alert.text.{kind}", lang)
