"""display front end: blueprint registration (filled in by its own issue)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the display blueprint(s) on the app."""
