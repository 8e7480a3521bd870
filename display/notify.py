"""The phone page's "Сповіщення" block: which channels this server offers and the ticket's live
subscriptions (decision 038). Only what the page shows: never an address."""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy import select

from reception.notifications.config import NotifyConfig
from reception.notifications.replies import late_places
from reception.notifications.subscriptions import ticket_subscriptions
from reception.offices.rules import OfficeSettings
from reception.platform.db import Database
from reception.queue.models import Ticket


def notify_context(db: Database, public_token: str) -> dict[str, Any]:
    config = NotifyConfig.from_mapping(current_app.config)
    with db.read() as s:
        ticket = s.scalar(select(Ticket).where(Ticket.public_token == public_token))
        subs = ticket_subscriptions(s, ticket, config) if ticket is not None else []
        places = late_places(ticket) if ticket is not None else OfficeSettings().late_move_places
    return {"telegram": config.deep_link("telegram", "x") is not None,
            "viber": config.deep_link("viber", "x") is not None, "subscriptions": subs,
            "late_places": places}
