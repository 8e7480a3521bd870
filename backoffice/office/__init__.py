"""Leadership reception and records pages of the back office, plus the public /schedule page."""

from __future__ import annotations

from flask import Flask

from . import messages  # noqa: F401  (registers the texts)
from .booking_views import bp as booking_bp
from .personal_data_views import bp as personal_data_bp
from .privacy_views import bp as privacy_bp
from .public import bp as public_bp
from .records_views import bp as records_bp
from .schedule_views import bp as schedule_bp
from .suspension_views import bp as suspension_bp
from .today_views import bp as today_bp


def init_app(app: Flask) -> None:
    for blueprint in (public_bp, privacy_bp, today_bp, booking_bp, schedule_bp, records_bp, suspension_bp,
                      personal_data_bp):
        app.register_blueprint(blueprint)
