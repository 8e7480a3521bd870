"""The privacy notice for visitors (/privacy): who processes which data, why, on what basis, how long, rights.

Public (it holds no personal data), so the desk can open and print it and the booking page can
link it; the storage term and the contact come from the office's settings (decision 018).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template

from backoffice.office.public import office_id as public_office_id
from reception.http.callers import guard
from reception.http.language import request_lang
from reception.http.wiring import wiring
from reception.kernel.permissions import Action
from reception.leadership.settings import LeadershipSettings
from reception.offices.models import Office
from reception.platform import i18n

bp = Blueprint("privacy_notice", __name__)

SECTIONS = ("who", "what", "why", "basis", "term", "rights", "ask")


def years_word(years: int, lang: str) -> str:
    return i18n.n("privacy.years_word", years, lang)  # рік, роки, років


def notice(office: Office, lang: str) -> dict[str, Any]:
    """The notice's sections as (heading, text), filled from the office and its settings."""
    settings = LeadershipSettings.from_json(office.settings)
    name = i18n.localized(office, "name", lang)
    years = settings.records_retention_years
    params = {"office": name, "years": years, "years_word": years_word(years, lang)}
    sections = [(i18n.t(f"privacy.{key}.h", lang), i18n.t(f"privacy.{key}", lang, **params)) for key in SECTIONS]
    if settings.privacy_contact.strip():
        sections[-1] = (sections[-1][0], f"{sections[-1][1]} {settings.privacy_contact.strip()}")
    return {"office": name, "code": office.code, "sections": sections}


@bp.get("/privacy")
@guard(Action.PUBLIC)  # visitors read it at the desk or at home
def page() -> Any:
    """``?office=CODE`` (else the first active office) and ``?lang=``; printable as it is."""
    lang = request_lang()
    office_id = public_office_id()
    with wiring().db.read() as s:
        office = s.get(Office, office_id)
        assert office is not None
        data = notice(office, lang)
    return render_template("office/privacy.html", data=data, other_lang="en" if lang == "uk" else "uk")
