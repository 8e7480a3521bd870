"""Leadership reception and records pages of the back office, plus the public /schedule page."""

from __future__ import annotations

from flask import Flask

from backoffice.office import messages  # noqa: F401  (registers the texts)
from backoffice.office.booking_views import bp as booking_bp
from backoffice.office.calls_views import bp as calls_bp
from backoffice.office.mail_views import bp as mail_bp
from backoffice.office.messages_views import bp as messages_bp
from backoffice.office.personal_data_views import bp as personal_data_bp
from backoffice.office.privacy_views import bp as privacy_bp
from backoffice.office.public import bp as public_bp
from backoffice.office.records_views import bp as records_bp
from backoffice.office.schedule_views import bp as schedule_bp
from backoffice.office.suspension_views import bp as suspension_bp
from backoffice.office.today_views import bp as today_bp


def init_app(app: Flask) -> None:
    for blueprint in (public_bp, privacy_bp, today_bp, booking_bp, schedule_bp, records_bp, suspension_bp,
                      personal_data_bp, messages_bp, calls_bp, mail_bp):
        app.register_blueprint(blueprint)
