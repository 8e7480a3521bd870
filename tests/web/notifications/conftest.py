"""The visitor's channel through the contract: a configured app, a kiosk, an operator at desk 1."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from reception.notifications.models import Message, Subscription

TG_SECRET = "tg-secret-123"
VIBER_TOKEN = "viber-auth-token-456"
SMS_SECRET = "sms-secret-789"


@pytest.fixture
def channel_app(app):
    app.config |= {"TELEGRAM_BOT_NAME": "cnap_test_bot", "VIBER_BOT_URI": "cnaptest",
                   "TELEGRAM_WEBHOOK_SECRET": TG_SECRET, "VIBER_AUTH_TOKEN": VIBER_TOKEN,
                   "SMS_WEBHOOK_SECRET": SMS_SECRET}
    return app


@pytest.fixture
def hall(api, channel_app) -> dict[str, Any]:
    kiosk = api.device("kiosk")
    op = api.user("op", ["operator"])
    assert api.call("POST", "/desks/1/open", op).status_code == 200
    return {"kiosk": kiosk, "op": op}


def take(api, kiosk: str, service: str = "consult") -> dict[str, Any]:
    r = api.call("POST", "/kiosk/tickets", kiosk, json={"service": service})
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def messages(db, **where: Any) -> list[Message]:
    with db.read() as s:
        query = select(Message)
        for name, value in where.items():
            query = query.where(getattr(Message, name) == value)
        return list(s.scalars(query.order_by(Message.id)))


def subscriptions(db) -> list[Subscription]:
    with db.read() as s:
        return list(s.scalars(select(Subscription).order_by(Subscription.id)))


def subscribe(api, ticket: dict[str, Any], channel: str, address: str | None = None):
    body: dict[str, Any] = {"channel": channel}
    if address is not None:
        body["address"] = address
    return api.call("POST", f"/tickets/{ticket['public_token']}/subscriptions", json=body)
