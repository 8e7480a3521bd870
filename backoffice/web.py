"""Back office: the desk console, the leadership reception office and administration register here."""

from __future__ import annotations

from flask import Flask

from . import admin, assets, desk_console, entry, reception_office


def init_app(app: Flask) -> None:
    assets.init_app(app)
    desk_console.init_app(app)
    reception_office.init_app(app)
    entry.init_app(app)
    admin.init_app(app)
