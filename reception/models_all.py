"""Imports every module that defines tables, so the metadata is complete (Alembic, create_all)."""

from __future__ import annotations

from . import (
    audit,  # noqa: F401  (the audit log's append-only guards, with the models)
    models,  # noqa: F401
)
from .leadership import models as leadership_models  # noqa: F401,E402
from .reports import models as reports_models  # noqa: F401,E402
