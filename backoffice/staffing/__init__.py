"""The staffing page of the back office: desks needed per hour beside the desks the office has."""

from __future__ import annotations

from flask import Flask

from backoffice.staffing.views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
