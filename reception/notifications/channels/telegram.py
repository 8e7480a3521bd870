"""Telegram Bot API: ``POST {api}/bot{token}/sendMessage`` (https://core.telegram.org/bots/api#sendmessage).

The answer is ``{"ok": true, "result": {"message_id": …}}`` or ``{"ok": false, "error_code": …,
"description": …, "parameters": {"retry_after": n}}``: 429 waits ``retry_after``; 400 (bad chat) and
403 (the visitor blocked the bot) are permanent, as is 401 (a wrong token: nothing gets through until
it is fixed); 5xx, timeouts and refused connections are retried.
"""

from __future__ import annotations

from typing import Any

from reception.notifications.channels import Permanent, Retryable, Sent, callback_data
from reception.notifications.channels.http_json import post_json, unexpected
from reception.notifications.models import Message


class TelegramChannel:
    name = "telegram"
    DEFAULT_URL = "https://api.telegram.org"

    def __init__(self, token: str, api_url: str = DEFAULT_URL, *, timeout: float = 10.0) -> None:
        self.url = f"{api_url.rstrip('/')}/bot{token}/sendMessage"
        self.timeout = timeout

    def request(self, message: Message) -> dict[str, Any]:
        body: dict[str, Any] = {"chat_id": message.address, "text": message.body}
        rows = []
        for button in message.buttons or []:
            if button.get("action") or button.get("data"):  # a reply: the bot hears it back
                rows.append([{"text": button["text"], "callback_data": callback_data(button, message)}])
            elif button.get("url"):
                rows.append([{"text": button["text"], "url": button["url"]}])
        if rows:
            body["reply_markup"] = {"inline_keyboard": rows}
        return body

    def send(self, message: Message) -> Sent:
        status, data = post_json(self.url, self.request(message), timeout=self.timeout)
        if isinstance(data, dict) and data.get("ok") is True:
            result = data.get("result") or {}
            return Sent(str(result.get("message_id")) if result.get("message_id") is not None else None)
        if not isinstance(data, dict) or "ok" not in data:  # a proxy's page, not the Bot API's answer
            raise unexpected(status, data)
        code = int(data.get("error_code") or status)
        reason = f"telegram {code}: {data.get('description') or ''}".strip()
        if code == 429:
            after = (data.get("parameters") or {}).get("retry_after")
            raise Retryable(reason, float(after) if isinstance(after, int | float) else None)
        if code >= 500:
            raise Retryable(reason)
        raise Permanent(reason)
