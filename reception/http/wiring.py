"""The composition root's wiring as the views see it (``app.extensions["reception"]``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import current_app

from ..devices.status import Heartbeat, Probe
from ..platform.clock import Clock
from ..platform.db import Database
from ..ports import Publisher
from ..service_layer import Services


@dataclass
class Wiring:
    """Everything the composition root wires together (``app.extensions["reception"]``)."""

    db: Database
    clock: Clock
    publisher: Publisher
    services: Services
    printer_factory: Callable[[str], Any] | None = None
    # Per-process state the views share: the kiosks' throttled heartbeat, the hall's printer probe.
    kiosk_heartbeat: Heartbeat = field(default_factory=Heartbeat)
    printer_probe: Probe | None = None


def wiring() -> Wiring:
    return current_app.extensions["reception"]


def now_local(tz: str) -> datetime:
    from ..domain import local_now

    return local_now(wiring().clock.now(), tz)
