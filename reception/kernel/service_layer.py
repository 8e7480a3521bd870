"""Running commands: one unit of work per call, then the message bus — the only place where
after-commit effects (live events, printing) are started.

Views and the CLI call :meth:`Services.run` with a command of ``reception.queue.commands`` (or any
function taking ``uow, clock`` first); they never publish or print by themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Concatenate, Generic, ParamSpec, Protocol, TypeVar

from reception.kernel.errors import DomainError
from reception.kernel.messagebus import MessageBus, Replies
from reception.kernel.unit_of_work import SqlUnitOfWork, UnitOfWork
from reception.platform.clock import Clock
from reception.platform.db import Database

P = ParamSpec("P")
R = TypeVar("R")


@dataclass(frozen=True)
class Executed(Generic[R]):
    value: R
    replies: Replies


class AuditWriter(Protocol):
    """Appends one audit entry to a session (``reception.audit.writer.audit``, handed in by the bootstrap)."""

    def __call__(self, session: Any, at: datetime, user_id: int | None, action: str, object_type: str,
                 object_id: str | int | None, detail: Mapping[str, Any] | None = None) -> None: ...


@dataclass
class Services:
    db: Database
    clock: Clock
    bus: MessageBus
    audit: AuditWriter
    uow_factory: Callable[[], UnitOfWork] | None = None

    def unit_of_work(self) -> UnitOfWork:
        return self.uow_factory() if self.uow_factory else SqlUnitOfWork(self.db, self.bus.within)

    def run(self, command: Callable[Concatenate[UnitOfWork, Clock, P], R], *args: P.args,
            **kwargs: P.kwargs) -> Executed[R]:
        """Run ``command`` in its own transaction, commit, then hand what it collected to the bus.

        A refusal that carries an audit row (``DomainError.audit``) changes nothing, but the row is
        kept, in a transaction of its own, before the refusal goes on to the caller."""
        try:
            with self.unit_of_work() as uow:
                value = command(uow, self.clock, *args, **kwargs)
                uow.commit()
        except DomainError as refusal:
            if refusal.audit is not None:
                with self.unit_of_work() as kept:
                    self.audit(kept.session, **refusal.audit)
                    kept.commit()
            raise
        return Executed(value, self.bus.handle(uow.collected()))

    def value(self, command: Callable[Concatenate[UnitOfWork, Clock, P], R], *args: P.args,
              **kwargs: P.kwargs) -> R:
        """:meth:`run`, when the caller needs only the command's result."""
        return self.run(command, *args, **kwargs).value

