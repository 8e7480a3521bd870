"""The message bus: the one place where after-commit work runs.

A command collects messages in its unit of work; after the commit the bus hands each message
to the handlers registered for its type (the live-event fan-out, the print spool, later
notifications).  A failing handler is logged and skipped: a broken display or a jammed
printer must never undo a committed ticket.  Handlers may answer (the print handler answers
with the print outcome the kiosk shows); :meth:`MessageBus.handle` returns those answers.

In-transaction handlers (:meth:`MessageBus.within`) are the exception: they run as a message is
collected, inside the command's transaction, for a rule of another slice that must commit or roll
back with it (a resume shifts the day's bookings once, decision 023).  They may return the
message completed; a failure rolls the whole command back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)

Handler = Callable[[Any], Any]
# (unit of work, message) -> the message, completed (or None: unchanged).
InTransaction = Callable[[Any, Any], Any]


@dataclass
class Replies:
    """What the handlers answered, per message."""

    items: list[tuple[object, Any]] = field(default_factory=list)

    def first(self, kind: type) -> Any:
        """The first answer to a message of ``kind`` (None if there was none or it failed)."""
        return next((reply for message, reply in self.items if isinstance(message, kind)), None)


class MessageBus:
    def __init__(self, handlers: dict[type, list[Handler]] | None = None,
                 in_transaction: dict[type, list[InTransaction]] | None = None) -> None:
        self.handlers: dict[type, list[Handler]] = {k: list(v) for k, v in (handlers or {}).items()}
        self.in_transaction: dict[type, list[InTransaction]] = {k: list(v) for k, v in (in_transaction or {}).items()}

    def within(self, uow: Any, message: object) -> object:
        """Run ``message``'s in-transaction handlers on ``uow``; the message as they completed it."""
        for handler in self.in_transaction.get(type(message), []):
            completed = handler(uow, message)
            message = message if completed is None else completed
        return message

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
