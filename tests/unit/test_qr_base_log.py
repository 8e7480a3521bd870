"""The startup log says where the ticket QR codes really point (the base the server decides), never a
default the codes do not carry."""

from __future__ import annotations

import logging

import pytest
from flask import Flask

from reception.http.security import public_base_url
from reception.ops.cli import _public_base


def test_the_log_names_the_base_the_qr_codes_carry(caplog: pytest.LogCaptureFixture) -> None:
    app = Flask(__name__)
    with caplog.at_level(logging.WARNING):
        base = _public_base(app, "192.168.1.20", 8080)
    assert base == public_base_url(app.config) == "http://192.168.1.20:8080"
    text = caplog.text
    assert "QR codes point to http://192.168.1.20:8080" in text and "localhost:5000" not in text


def test_a_configured_base_is_kept_and_not_warned_about(caplog: pytest.LogCaptureFixture) -> None:
    app = Flask(__name__)
    app.config["PUBLIC_BASE_URL"] = "https://priyom.example.gov.ua/"
    with caplog.at_level(logging.WARNING):
        assert _public_base(app, "127.0.0.1", 5000) == "https://priyom.example.gov.ua"
    assert "QR" not in caplog.text


def test_making_the_app_says_nothing_of_localhost(caplog: pytest.LogCaptureFixture, tmp_path) -> None:
    from reception.app import create_app

    with caplog.at_level(logging.WARNING):
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/x.db", "SECRET_KEY": "k" * 32})
    assert "localhost:5000" not in caplog.text
