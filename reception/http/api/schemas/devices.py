"""Kiosks and displays, as staff and administrators see them."""

from __future__ import annotations

from pydantic import BaseModel


class DeviceStatus(BaseModel):
    """A kiosk or display as staff see it (GET /offices/{code}/devices)."""

    id: int
    kind: str
    name: str
    zone: str | None = None
    active: bool
    last_seen_at: str | None = None
    online: bool
    printer: dict[str, object] | None = None


class DeviceAdminOut(BaseModel):
    id: int
    kind: str
    name: str
    zone: str | None
    office: str
    active: bool
    created_at: str
    last_seen_at: str | None
