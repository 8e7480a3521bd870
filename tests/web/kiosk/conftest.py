"""Kiosk web fixtures: a paired kiosk and fake network printers on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.web.kiosk.kiosk_support import FakeNetworkPrinter


@pytest.fixture
def kiosk(api) -> str:
    """A kiosk of office T1 whose printer is the app's (recording) printer."""
    return api.device("kiosk", printer_url="dummy://", name="Кіоск у холі")


@pytest.fixture
def network_printer() -> Iterator[Any]:
    made: list[FakeNetworkPrinter] = []

    def make(behaviour: str) -> FakeNetworkPrinter:
        printer = FakeNetworkPrinter(behaviour)
        made.append(printer)
        return printer

    yield make
    for printer in made:
        printer.close()
