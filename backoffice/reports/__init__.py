"""The reports page of the back office: period and office pickers, figures, server-made SVG charts."""

from __future__ import annotations

from flask import Flask

from backoffice.reports.views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
