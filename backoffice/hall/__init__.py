"""The manager's live hall view: the page, its texts and the ``/hall`` Socket.IO namespace."""

from __future__ import annotations

from flask import Flask

from backoffice.hall.socket import HallNamespace
from backoffice.hall.views import bp
from reception.http.realtime import HALL_NS, socketio


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    socketio.on_namespace(HallNamespace(HALL_NS))
