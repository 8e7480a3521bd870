"""TurboSMS's HTTP API for sending (https://turbosms.ua/api.html): ``POST /message/send.json``."""

from __future__ import annotations

import uuid
from typing import Any

from tests.protocol_servers.base import Failure, HttpProtocolServer


class TurboSmsServer(HttpProtocolServer):
    def __init__(self, token: str = "turbosms-test-token", port: int | None = None) -> None:
        super().__init__(port)
        self.token = token

    @property
    def config(self) -> dict[str, Any]:
        return {"SMS_URL": f"{self.base_url}/message/send.json", "SMS_TOKEN": self.token, "SMS_SENDER": "CNAP"}

    def sent(self) -> list[dict[str, Any]]:
        return [r.body for r in self.received if r.path.startswith("/message/send.json")]

    def answer(self, path: str, headers: dict[str, str], body: Any, failure: Failure | None) -> tuple[int, Any]:
        if headers.get("Authorization") != f"Bearer {self.token}":
            return 200, {"response_code": 103, "response_status": "REQUIRED_TOKEN", "response_result": None}
        if failure is not None and failure.kind in ("429", "999"):
            return 200, {"response_code": 999, "response_status": "INTERNAL_ERROR", "response_result": None}
        if not path.startswith("/message/send.json"):
            return 404, {"response_code": 104, "response_status": "METHOD_NOT_FOUND", "response_result": None}
        body = body if isinstance(body, dict) else {}
        recipients = body.get("recipients") or []
        sms = body.get("sms") or {}
        if not recipients or not sms.get("text") or not sms.get("sender"):
            return 200, {"response_code": 201, "response_status": "REQUIRED_CONTENT", "response_result": None}
        results = [{"phone": phone, "response_code": 0 if str(phone).isdigit() else 406,
                    "message_id": str(uuid.uuid4()) if str(phone).isdigit() else None,
                    "response_status": "OK" if str(phone).isdigit() else "NOT_ALLOWED_RECIPIENT_COUNTRY"}
                   for phone in recipients]
        return 200, {"response_code": 800, "response_status": "SUCCESS_MESSAGE_ACCEPTED", "response_result": results}
