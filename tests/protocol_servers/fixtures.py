"""pytest fixtures: one local provider server per test (``from tests.protocol_servers.fixtures import *``
in a test module, or ``pytest_plugins = ["tests.protocol_servers.fixtures"]`` in a conftest)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.protocol_servers import SmtpServer, TelegramServer, TurboSmsServer, ViberServer

__all__ = ["gateways", "sms_server", "smtp_server", "telegram_server", "viber_server"]


@pytest.fixture
def telegram_server() -> Iterator[TelegramServer]:
    with TelegramServer() as server:
        yield server


@pytest.fixture
def viber_server() -> Iterator[ViberServer]:
    with ViberServer() as server:
        yield server


@pytest.fixture
def sms_server() -> Iterator[TurboSmsServer]:
    with TurboSmsServer() as server:
        yield server


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        yield server


@pytest.fixture
def gateways(telegram_server: TelegramServer, viber_server: ViberServer, sms_server: TurboSmsServer,
             smtp_server: SmtpServer) -> dict[str, object]:
    """All four servers' settings in one dict (Flask config keys), with a short timeout for tests."""
    return {**telegram_server.config, **viber_server.config, **sms_server.config, **smtp_server.config,
            "NOTIFY_TIMEOUT_S": 1.0}
