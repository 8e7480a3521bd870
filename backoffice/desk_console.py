"""Desk console: staff sign-in (/login, /logout), choosing a desk and the working screen (/desk).

The pages live in ``backoffice.desk``; the live ``/desk`` Socket.IO namespace in
``backoffice.desk_socket``.  This module only wires them into the app.
"""

from __future__ import annotations

from flask import Flask

from reception.platform.realtime import DESK_NS, socketio

from .desk import messages  # noqa: F401  (registers the texts)
from .desk.views import bp
from .desk_socket import DeskNamespace


def init_app(app: Flask) -> None:
    """Register the blueprint, the nav entry and the ``/desk`` namespace."""
    app.register_blueprint(bp)
    socketio.on_namespace(DeskNamespace(DESK_NS))
