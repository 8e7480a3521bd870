"""An office's open alerts (``GET /offices/{code}/alerts``)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class AlertOut(BaseModel):
    # wait_over_target | nobody_serves | device_offline | printer_paper | printer_failing | suspended_long |
    # leader_absent | feed_down | appeals_overdue | appeals_near_due
    kind: str
    severity: str  # warning | critical
    since: str  # office-local ISO time it was raised
    detail: dict[str, Any]  # what it is about: codes, ids and figures (never personal data)
