"""Feedback suites: visits driven through the HTTP API as a kiosk and an operator would."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from reception.queue.models import Ticket


class Visits:
    """A kiosk, an operator at desk 1, and visits taken to their end."""

    def __init__(self, api: Any, office: str = "T1") -> None:
        self.api, self.office = api, office
        self.kiosk = api.device("kiosk", office)
        self.operator = api.user(f"op{office}", ["operator"], [office])
        r = api.call("POST", f"/desks/1/open?office={office}", self.operator)
        assert r.status_code == 200, r.get_json()

    def issue(self, service: str = "consult") -> dict[str, Any]:
        r = self.api.call("POST", "/kiosk/tickets", self.kiosk, json={"service": service})
        assert r.status_code == 201, r.get_json()
        ticket = r.get_json()
        with self.api.db.read() as s:
            ticket["token"] = s.scalar(select(Ticket.public_token).where(Ticket.id == ticket["id"]))
        return ticket

    def call(self) -> dict[str, Any]:
        r = self.api.call("POST", f"/desks/1/call-next?office={self.office}", self.operator)
        assert r.status_code == 200, r.get_data(as_text=True)
        return r.get_json()

    def finish(self, ticket_id: int) -> None:
        r = self.api.call("POST", f"/tickets/{ticket_id}/finish", self.operator, json={})
        assert r.status_code == 200, r.get_data(as_text=True)

    def finished(self, service: str = "consult") -> dict[str, Any]:
        ticket = self.issue(service)
        assert self.call()["id"] == ticket["id"]
        self.finish(ticket["id"])
        return ticket

    def rate(self, token: str, **body: Any) -> Any:
        return self.api.call("POST", f"/tickets/{token}/feedback", json=body)


@pytest.fixture
def visits(api: Any) -> Visits:
    return Visits(api)
