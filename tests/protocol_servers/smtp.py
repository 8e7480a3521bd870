"""A real SMTP server (aiosmtpd) that keeps what it received and refuses when told to."""

from __future__ import annotations

import threading
import time
from collections import deque
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

from tests.servers import free_port


class SmtpServer:
    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.envelopes: list[tuple[str, list[str], bytes]] = []  # (mail from, rcpt tos, raw data)
        self.failures: deque[str] = deque()
        self._lock = threading.Lock()
        self._controller: Controller | None = None

    @property
    def config(self) -> dict[str, Any]:
        return {"SMTP_URL": f"smtp://127.0.0.1:{self.port}", "MAIL_FROM": "ЦНАП <cnap@example.org>"}

    @property
    def messages(self) -> list[EmailMessage]:
        with self._lock:
            return [message_from_bytes(raw, _class=EmailMessage, policy=policy.default)
                    for _f, _t, raw in self.envelopes]

    def fail(self, kind: str, times: int = 1) -> None:
        """``"421"``: DATA refused for now (retry); ``"550"``: the recipient refused for good."""
        with self._lock:
            self.failures.extend([kind] * times)

    def _take(self, kind: str) -> bool:
        with self._lock:
            if self.failures and self.failures[0] == kind:
                self.failures.popleft()
                return True
            return False

    def start(self) -> SmtpServer:
        server = self

        class Handler:
            async def handle_RCPT(self, _srv: Any, _session: Any, envelope: Any, address: str,  # noqa: N802
                                  _options: Any) -> str:
                if server._take("550"):
                    return f"550 5.1.1 <{address}>: Recipient address rejected: no such user"
                envelope.rcpt_tos.append(address)
                return "250 OK"

            async def handle_DATA(self, _srv: Any, _session: Any, envelope: Any) -> str:  # noqa: N802
                if server._take("421"):
                    return "421 4.3.2 Service not available, try again later"
                with server._lock:
                    server.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
                return "250 Message accepted for delivery"

        for _ in range(50):
            try:
                self._controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
                self._controller.start()
                break
            except (OSError, RuntimeError):
                self._controller = None
                time.sleep(0.1)
        else:
            raise RuntimeError(f"SMTP port {self.port} stays busy")
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> SmtpServer:
        return self.start()

    def __exit__(self, *_exc: Any) -> None:
        self.stop()
