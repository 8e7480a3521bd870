"""The one short-lived cache: the English-announcement setting and the printer probe both use it."""

from __future__ import annotations

import pytest

from reception.platform.cache import TtlCache


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_asks_once_per_key_until_the_time_to_live_has_passed() -> None:
    asked: list[str] = []
    clock = Clock()

    def ask(key: str) -> int:
        asked.append(key)
        return len(asked)

    cache = TtlCache(ask, ttl_s=30, clock=clock)
    assert cache("a") == 1 and cache("a") == 1
    assert cache("b") == 2  # another key is asked for itself
    clock.now += 29.9
    assert cache("a") == 1 and asked == ["a", "b"]
    clock.now += 0.2
    assert cache("a") == 3 and asked == ["a", "b", "a"]


def test_a_failing_lookup_is_not_cached() -> None:
    calls = 0

    def flaky(_key: str) -> str:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise OSError("printer unreachable")
        return "up"

    cache = TtlCache(flaky, ttl_s=30, clock=Clock())
    with pytest.raises(OSError):
        cache("tcp://printer")
    assert cache("tcp://printer") == "up" and calls == 2
