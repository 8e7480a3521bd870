"""Shared static assets (vendored socket.io client, fonts, design tokens) under /static."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Flask

# The files stay in reception/static (the re-layout moved this module into http/, not them).
bp = Blueprint("core", __name__, static_folder=str(Path(__file__).resolve().parent.parent / "static"),
               static_url_path="/static")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
