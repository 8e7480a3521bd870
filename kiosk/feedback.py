"""The hall survey page (``/kiosk/feedback``) of a paired kiosk or tablet: what the page needs to show.

Nothing personal is shown or asked: the visitor types the code printed on their slip (the office's
service prefixes are keys, so a touch screen needs no keyboard), rates the visit and may comment. The
answer goes to ``POST /api/v1/kiosk/feedback`` with the device's token."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from reception.feedback.rules import COMMENT_MAX
from reception.offices.models import Office, Service
from reception.platform.db import Database

RESET_S = 8  # the thanks (or a refusal) stays this long, then the page is ready for the next visitor


def hall_survey(db: Database, office_id: int, lang: str) -> dict[str, Any]:
    with db.read() as s:
        office = s.get(Office, office_id)
        assert office is not None
        prefixes = list(dict.fromkeys(s.scalars(
            select(Service.prefix).where(Service.office_id == office_id, Service.is_active.is_(True))
            .order_by(Service.sort_order, Service.code))))
    name = office.name_en if lang == "en" and office.name_en else office.name_uk
    return {"office_name": name, "prefixes": prefixes, "comment_max": COMMENT_MAX, "reset_s": RESET_S}
