"""Shared static assets (vendored socket.io client, fonts, design tokens) under /static."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Flask

STATIC = Path(__file__).resolve().parents[1] / "static"  # reception/static
bp = Blueprint("core", __name__, static_folder=STATIC, static_url_path="/static")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
