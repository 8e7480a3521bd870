"""Back office module reception_office (filled in by its own issue)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register blueprints and socket namespaces."""
