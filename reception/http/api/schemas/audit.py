"""The audit log's entries."""

from __future__ import annotations

from pydantic import BaseModel


class AuditEntry(BaseModel):
    id: int
    at: str
    user: str | None
    action: str
    object_type: str
    object_id: str | None
    office: str | None
    detail: dict[str, object]
