"""The Telegram Bot API, as far as the reception uses it (https://core.telegram.org/bots/api)."""

from __future__ import annotations

import itertools
from typing import Any

from tests.protocol_servers.base import Failure, HttpProtocolServer


class TelegramServer(HttpProtocolServer):
    def __init__(self, token: str = "123456:TEST-token", port: int | None = None) -> None:
        super().__init__(port)
        self.token = token
        self.blocked: set[str] = set()  # chat ids whose visitor blocked the bot: 403
        self.webhook: dict[str, Any] | None = None
        self._ids = itertools.count(1000)

    @property
    def config(self) -> dict[str, Any]:
        return {"TELEGRAM_BOT_TOKEN": self.token, "TELEGRAM_API_URL": self.base_url}

    def sent(self) -> list[dict[str, Any]]:
        """The bodies of the sendMessage calls received."""
        return [r.body for r in self.received if r.path.endswith("/sendMessage")]

    def answer(self, path: str, headers: dict[str, str], body: Any, failure: Failure | None) -> tuple[int, Any]:
        prefix = f"/bot{self.token}/"
        if not path.startswith(prefix):
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        method = path[len(prefix):].split("?")[0]
        if failure is not None and failure.kind == "429":
            after = failure.retry_after or 1
            return 429, {"ok": False, "error_code": 429, "description": f"Too Many Requests: retry after {after}",
                         "parameters": {"retry_after": after}}
        body = body if isinstance(body, dict) else {}
        if method == "sendMessage":
            if not body.get("chat_id") or not body.get("text"):
                return 400, {"ok": False, "error_code": 400, "description": "Bad Request: message text is empty"}
            if str(body["chat_id"]) == "0":  # no chat has id 0: the real API answers so too
                return 400, {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"}
            if str(body["chat_id"]) in self.blocked:
                return 403, {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"}
            return 200, {"ok": True, "result": {"message_id": next(self._ids), "date": 0,
                                                "chat": {"id": body["chat_id"], "type": "private"},
                                                "text": body["text"]}}
        if method == "answerCallbackQuery":
            return 200, {"ok": True, "result": True}
        if method == "setWebhook":
            self.webhook = body
            return 200, {"ok": True, "result": True, "description": "Webhook was set"}
        return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
