"""SMS through TurboSMS's HTTP API (https://turbosms.ua/api.html): ``POST {RECEPTION_SMS_URL}``
(``https://api.turbosms.ua/message/send.json``) with ``Authorization: Bearer <token>`` and
``{"recipients": ["380…"], "sms": {"sender": …, "text": …}}``.

The answer: ``{"response_code": 800, "response_status": "SUCCESS_MESSAGE_ACCEPTED",
"response_result": [{"phone": …, "response_code": 0, "message_id": …, "response_status": "OK"}]}``.
A code of the 800s is accepted (then the recipient's own code: 0 is sent, another is that number's
permanent refusal); 999 and HTTP 5xx are the gateway's own trouble and are retried; the other codes
(token, sender, credit, a malformed request) are permanent until an operator fixes the account.
Numbers are stored in E.164 (``+380…``) and sent as TurboSMS writes them, without the ``+``.
"""

from __future__ import annotations

from typing import Any

from reception.notifications.channels import Permanent, Retryable, Sent
from reception.notifications.channels.http_json import post_json, unexpected
from reception.notifications.models import Message

INTERNAL_ERROR = 999


class TurboSmsChannel:
    name = "sms"
    DEFAULT_URL = "https://api.turbosms.ua/message/send.json"

    def __init__(self, url: str, token: str, *, sender: str, timeout: float = 10.0) -> None:
        self.url, self.token, self.sender, self.timeout = url, token, sender, timeout

    def request(self, message: Message) -> dict[str, Any]:
        return {"recipients": [message.address.lstrip("+")], "sms": {"sender": self.sender, "text": message.body}}

    def send(self, message: Message) -> Sent:
        if not message.address.startswith("+") or not message.address[1:].isdigit():
            raise Permanent("not an E.164 number")
        status, data = post_json(self.url, self.request(message),
                                 headers={"Authorization": f"Bearer {self.token}"}, timeout=self.timeout)
        if not isinstance(data, dict) or not isinstance(data.get("response_code"), int):
            raise unexpected(status, data)
        code, reason = data["response_code"], f"turbosms {data['response_code']}: {data.get('response_status', '')}"
        if code == INTERNAL_ERROR or status >= 500:
            raise Retryable(reason)
        if not 800 <= code < 900:
            raise Permanent(reason)
        results = data.get("response_result") or []
        first = results[0] if results and isinstance(results[0], dict) else {}
        if first.get("response_code", 0) != 0:
            raise Permanent(f"turbosms {first.get('response_code')}: {first.get('response_status', '')}")
        return Sent(str(first["message_id"]) if first.get("message_id") else None)
