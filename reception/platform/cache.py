"""A lookup's answers kept per key for a few seconds, in this process: for slow or remote questions
asked on every event (does this office announce in English? is that printer up?) whose answer
may lag a change by the time to live."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class TtlCache(Generic[K, V]):
    """``cache(key)`` answers ``lookup(key)``, asking it again only after ``ttl_s``.

    Thread-safe; the lookup itself runs outside the lock, so a slow answer for one key never holds
    up the others (two threads may then ask for the same key at once, which is harmless here).
    """

    def __init__(self, lookup: Callable[[K], V], ttl_s: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.lookup, self.ttl_s, self.clock = lookup, ttl_s, clock
        self._answers: dict[K, tuple[float, V]] = {}
        self._lock = threading.Lock()

    def __call__(self, key: K) -> V:
        now = self.clock()
        with self._lock:
            hit = self._answers.get(key)
        if hit is not None and hit[0] > now:
            return hit[1]
        answer = self.lookup(key)
        with self._lock:
            self._answers[key] = (now + self.ttl_s, answer)
        return answer
