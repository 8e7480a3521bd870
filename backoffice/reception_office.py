"""Leadership reception office: schedule, booking, the leader's day, records (see ``backoffice.office``)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the reception-office blueprints, nav entries and the public /schedule page."""
    from backoffice.office import init_app as init_office

    init_office(app)
