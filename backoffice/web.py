"""Back office: the desk console and the leadership reception office register here."""

from __future__ import annotations

from flask import Flask

from . import assets, desk_console, entry, reception_office


def init_app(app: Flask) -> None:
    assets.init_app(app)
    desk_console.init_app(app)
    reception_office.init_app(app)
    entry.init_app(app)
