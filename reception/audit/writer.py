"""The one writer of the audit log: every slice appends its entries through :func:`audit`.

An entry names who acted (a user id, or none for the system and for devices), what they did, to which
object, and details that carry ids, field names and dates — never the personal data itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from reception.audit.models import AuditLog


def audit(session: Session, at: datetime, user_id: int | None, action: str, object_type: str,
          object_id: str | int | None, detail: Mapping[str, Any] | None = None) -> None:
    """Append one entry to the session's transaction (it commits or rolls back with the change it records)."""
    session.add(AuditLog(at=at, user_id=user_id, action=action, object_type=object_type,
                         object_id=None if object_id is None else str(object_id), detail=dict(detail or {})))
