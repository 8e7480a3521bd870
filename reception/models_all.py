"""Imports every module that defines tables, so the metadata is complete (Alembic, create_all)."""

from __future__ import annotations

from reception.leadership import models as leadership_models  # noqa: F401,E402
from reception.reports import models as reports_models  # noqa: F401,E402
