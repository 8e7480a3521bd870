"""The unit of work: one writing transaction that a caller frames around one or more commands.

Commands take a :class:`UnitOfWork` (its ``session`` and ``collect``), never a database, so
several commands can share one transaction (kiosk check-in claims the appointment and issues
the ticket atomically) and commands can be tested on any session.  Messages a command collects
(domain events, print requests) reach the message bus only after ``commit()`` succeeded, so a
live push or a print never runs for a change that was rolled back (cosmicpython's unit of
work and message bus; decision 010).
"""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Any, Protocol

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from reception.kernel.errors import ConcurrentChange
from reception.platform.db import Database


class UnitOfWork(Protocol):
    session: Session

    def __enter__(self) -> UnitOfWork: ...

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 tb: TracebackType | None) -> None: ...

    def collect(self, *messages: object) -> None:
        """Queue messages for the bus; they run after commit, in this order (their in-transaction
        handlers, if any, run now)."""

    def commit(self) -> None: ...

    def collected(self) -> list[object]:
        """The messages of a committed unit of work (empty if it was rolled back)."""


class SqlUnitOfWork:
    """A :class:`UnitOfWork` on the write engine of a :class:`Database`.

    Entering begins the transaction (on SQLite after taking the process's writer lock, then
    ``BEGIN IMMEDIATE``); leaving without ``commit()`` rolls it back.  An optimistic-lock
    conflict (``version_id_col``) becomes :class:`ConcurrentChange`, a clear 409.

    ``within``: the bus's in-transaction dispatch (:meth:`MessageBus.within`), applied to each
    collected message.
    """

    def __init__(self, db: Database, within: Callable[[Any, object], object] | None = None) -> None:
        self.db = db
        self._within = within
        self._messages: list[object] = []
        self._committed = False

    def __enter__(self) -> SqlUnitOfWork:
        self._messages, self._committed = [], False
        lock = self.db.write_lock
        if lock is not None:
            lock.acquire()
        try:
            self.session = self.db.write_sessions()
            self.session.begin()
        except BaseException:
            if lock is not None:
                lock.release()
            raise
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 tb: TracebackType | None) -> None:
        try:
            if not self._committed:
                self._messages = []
                self.session.rollback()
            self.session.close()
        finally:
            if self.db.write_lock is not None:
                self.db.write_lock.release()
        if isinstance(error, StaleDataError):
            raise ConcurrentChange() from error

    def collect(self, *messages: object) -> None:
        for message in messages:
            self._messages.append(self._within(self, message) if self._within else message)

    def commit(self) -> None:
        try:
            self.session.commit()
        except StaleDataError as exc:
            raise ConcurrentChange() from exc
        self._committed = True

    def collected(self) -> list[object]:
        return list(self._messages) if self._committed else []
