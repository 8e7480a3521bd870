"""The Viber REST bot API's sending side (https://developers.viber.com/docs/api/rest-bot-api/)."""

from __future__ import annotations

import itertools
from typing import Any

from tests.protocol_servers.base import Failure, HttpProtocolServer


class ViberServer(HttpProtocolServer):
    def __init__(self, token: str = "viber-test-token", port: int | None = None) -> None:
        super().__init__(port)
        self.token = token
        self.unsubscribed: set[str] = set()  # receivers who are not subscribed: status 6
        self.webhook: dict[str, Any] | None = None
        self._tokens = itertools.count(5098034272017990000)

    @property
    def config(self) -> dict[str, Any]:
        return {"VIBER_AUTH_TOKEN": self.token, "VIBER_API_URL": f"{self.base_url}/pa"}

    def sent(self) -> list[dict[str, Any]]:
        return [r.body for r in self.received if r.path.endswith("/send_message")]

    def answer(self, path: str, headers: dict[str, str], body: Any, failure: Failure | None) -> tuple[int, Any]:
        if headers.get("X-Viber-Auth-Token") != self.token:
            return 200, {"status": 2, "status_message": "invalidAuthToken"}
        if failure is not None and failure.kind == "429":
            return 200, {"status": 12, "status_message": "tooManyRequests"}
        body = body if isinstance(body, dict) else {}
        if path == "/pa/send_message":
            if not body.get("receiver") or "sender" not in body:
                return 200, {"status": 4, "status_message": "missingData"}
            if body["receiver"] in self.unsubscribed:
                return 200, {"status": 6, "status_message": "receiverNotSubscribed"}
            return 200, {"status": 0, "status_message": "ok", "message_token": next(self._tokens),
                         "chat_hostname": "SN-CHAT-01_"}
        if path == "/pa/set_webhook":
            self.webhook = body
            return 200, {"status": 0, "status_message": "ok", "event_types": body.get("event_types", [])}
        return 404, {"status": 1, "status_message": "invalidUrl"}
