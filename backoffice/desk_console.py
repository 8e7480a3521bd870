"""Desk console: staff sign-in (/login, /logout), choosing a desk and the working screen (/desk).

The pages live in ``backoffice.desk``; the live ``/desk`` Socket.IO namespace in
``backoffice.desk_socket``.  This module only wires them into the app.
"""

from __future__ import annotations

from flask import Flask

from backoffice.desk import messages  # noqa: F401  (registers the texts)
from backoffice.desk.views import bp
from backoffice.desk_socket import DeskNamespace
from reception.http.realtime import DESK_NS, socketio


def init_app(app: Flask) -> None:
    """Register the blueprint, the nav entry and the ``/desk`` namespace."""
    app.register_blueprint(bp)
    socketio.on_namespace(DeskNamespace(DESK_NS))
