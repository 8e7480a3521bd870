"""The composition root's wiring as the views see it (``app.extensions["reception"]``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import current_app

from reception.devices.status import Heartbeat, Probe
from reception.kernel.service_layer import Services
from reception.platform.clock import Clock
from reception.platform.db import Database


@dataclass
class Wiring:
    """Everything the composition root wires together (``app.extensions["reception"]``)."""

    db: Database
    clock: Clock
    services: Services
    printer_factory: Callable[[str], Any] | None = None
    # Per-process state the views share: the kiosks' throttled heartbeat, the hall's printer probe.
    kiosk_heartbeat: Heartbeat = field(default_factory=Heartbeat)
    printer_probe: Probe | None = None


def wiring() -> Wiring:
    return current_app.extensions["reception"]
