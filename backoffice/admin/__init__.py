"""Administration of the office (manager, admin) and the auditor's view of the audit log."""

from __future__ import annotations

from flask import Flask

from backoffice.admin import messages  # noqa: F401  (registers the texts)
from backoffice.admin.audit_views import bp as audit_bp
from backoffice.admin.pairing_views import bp as pairing_bp
from backoffice.admin.views import bp as admin_bp


def init_app(app: Flask) -> None:
    app.register_blueprint(admin_bp)
    app.register_blueprint(audit_bp)
    app.register_blueprint(pairing_bp)
