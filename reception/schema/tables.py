"""Imports every module that defines tables, so the metadata is complete (Alembic, create_all)."""

from __future__ import annotations

from reception.accounts import models as accounts_models  # noqa: F401
from reception.alerts import models as alerts_models  # noqa: F401
from reception.appeals import mail_models as appeals_mail_models  # noqa: F401
from reception.appeals import models as appeals_models  # noqa: F401
from reception.audit import guards  # noqa: F401  (the audit log's append-only guards, with its table)
from reception.audit import models as audit_models  # noqa: F401
from reception.booking import models as booking_models  # noqa: F401
from reception.feedback import models as feedback_models  # noqa: F401
from reception.leadership import models as leadership_models  # noqa: F401
from reception.notifications import hook_models as notifications_hook_models  # noqa: F401
from reception.notifications import models as notifications_models  # noqa: F401
from reception.offices import config_version  # noqa: F401  (its triggers, with the configuration tables)
from reception.offices import models as offices_models  # noqa: F401
from reception.platform import leases  # noqa: F401
from reception.queue import models as queue_models  # noqa: F401
from reception.reports import models as reports_models  # noqa: F401
