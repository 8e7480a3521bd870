"""Fixtures of the unit tests that run on the core alone."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from reception.platform.db import Database
from tests.fakes import build_office, memory_database


@pytest.fixture
def memory_db() -> Iterator[Database]:
    """A private in-memory database with office T1 (services consult and appeal, desks 1 and 2)."""
    database = memory_database()
    build_office(database)
    yield database
    database.dispose()
