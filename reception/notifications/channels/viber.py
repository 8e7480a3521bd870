"""Viber REST bot API: ``POST {api}/send_message`` with ``X-Viber-Auth-Token``
(https://developers.viber.com/docs/api/rest-bot-api/#send-message).

The answer carries ``status`` (0 ok, with ``message_token``); the documented error statuses that no
retry can mend (an invalid token or data, a receiver not registered or not subscribed, a blocked,
missing or suspended account, no webhook, no suitable device, an unsupported version) are permanent;
12 (too many requests) and anything else (``generalError``), 5xx and timeouts are retried.
"""

from __future__ import annotations

from typing import Any

from reception.notifications.channels import Permanent, Retryable, Sent, callback_data
from reception.notifications.channels.http_json import post_json, unexpected
from reception.notifications.models import Message

PERMANENT = {1: "invalidUrl", 2: "invalidAuthToken", 3: "badData", 4: "missingData", 5: "receiverNotRegistered",
             6: "receiverNotSubscribed", 7: "publicAccountBlocked", 8: "publicAccountNotFound",
             9: "publicAccountSuspended", 10: "webhookNotSet", 11: "receiverNoSuitableDevice",
             13: "apiVersionNotSupported", 14: "incompatibleWithVersion"}
TOO_MANY = 12


class ViberChannel:
    name = "viber"
    DEFAULT_URL = "https://chatapi.viber.com/pa"

    def __init__(self, token: str, api_url: str = DEFAULT_URL, *, sender_name: str = "ЦНАП",
                 timeout: float = 10.0) -> None:
        self.url = f"{api_url.rstrip('/')}/send_message"
        self.token, self.sender_name, self.timeout = token, sender_name[:28], timeout

    def request(self, message: Message) -> dict[str, Any]:
        body: dict[str, Any] = {"receiver": message.address, "type": "text", "text": message.body,
                                "sender": {"name": self.sender_name}}
        buttons = []
        for button in message.buttons or []:
            if button.get("action") or button.get("data"):  # a reply: the bot hears it back
                buttons.append({"ActionType": "reply", "ActionBody": callback_data(button, message),
                                "Text": button["text"]})
            elif button.get("url"):
                buttons.append({"ActionType": "open-url", "ActionBody": button["url"], "Text": button["text"]})
        if buttons:
            body["keyboard"] = {"Type": "keyboard", "DefaultHeight": False, "Buttons": buttons}
        return body

    def send(self, message: Message) -> Sent:
        status, data = post_json(self.url, self.request(message), headers={"X-Viber-Auth-Token": self.token},
                                 timeout=self.timeout)
        if status != 200 or not isinstance(data, dict) or not isinstance(data.get("status"), int):
            raise unexpected(status, data)
        code = data["status"]
        if code == 0:
            token = data.get("message_token")
            return Sent(str(token) if token is not None else None)
        reason = f"viber {code}: {data.get('status_message') or PERMANENT.get(code, 'generalError')}"
        if code in PERMANENT:
            raise Permanent(reason)
        raise Retryable(reason)
