"""The message bus: the one place where after-commit work runs.

A command collects messages in its unit of work; after the commit the bus hands each message
to the handlers registered for its type (the live-event fan-out, the print spool, later
notifications).  A failing handler is logged and skipped: a broken display or a jammed
printer must never undo a committed ticket.  Handlers may answer (the print handler answers
with the print outcome the kiosk shows); :meth:`MessageBus.handle` returns those answers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)

Handler = Callable[[Any], Any]


@dataclass
class Replies:
    """What the handlers answered, per message."""

    items: list[tuple[object, Any]] = field(default_factory=list)

    def first(self, kind: type) -> Any:
        """The first answer to a message of ``kind`` (None if there was none or it failed)."""
        return next((reply for message, reply in self.items if isinstance(message, kind)), None)


class MessageBus:
    def __init__(self, handlers: dict[type, list[Handler]] | None = None) -> None:
        self.handlers: dict[type, list[Handler]] = {k: list(v) for k, v in (handlers or {}).items()}

    def subscribe(self, kind: type, handler: Handler) -> None:
        self.handlers.setdefault(kind, []).append(handler)

    def handle(self, messages: Iterable[object]) -> Replies:
        replies = Replies()
        for message in messages:
            for handler in self.handlers.get(type(message), []):
                try:
                    answer = handler(message)
                except Exception:
                    log.exception("handler %s failed for %s", getattr(handler, "__qualname__", handler),
                                  type(message).__name__)
                    continue
                if answer is not None:
                    replies.items.append((message, answer))
        return replies
