"""Back office: the desk console, the leadership reception office, the reports and administration."""

from __future__ import annotations

from flask import Flask

from backoffice import admin, assets, desk_console, entry, hall, reception_office
from backoffice import reports as reports_page
from backoffice import staffing as staffing_page


def init_app(app: Flask) -> None:
    assets.init_app(app)
    desk_console.init_app(app)
    reception_office.init_app(app)
    entry.init_app(app)
    admin.init_app(app)
    reports_page.init_app(app)
    hall.init_app(app)
    staffing_page.init_app(app)
