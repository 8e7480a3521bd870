"""Shared static assets (vendored socket.io client, fonts, design tokens) under /static."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("core", __name__, static_folder="static", static_url_path="/static")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
