"""Headers on every page (issue 11): strict CSP, no-store, HSTS on HTTPS, Secure device cookies,
and templates without inline script, inline handlers or inline styles."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from reception.accounts.models import User
from tests.fakes import add_user, signed_in

ROOT = Path(__file__).resolve().parents[3]
TEMPLATE_DIRS = [ROOT / d for d in ("kiosk/templates", "display/templates", "backoffice/templates", "reception")]
REQUIRED_CSP = ("default-src 'self'", "script-src 'self'", "object-src 'none'", "base-uri 'self'",
                "frame-ancestors 'none'")
# Views that choose their own caching: images and sounds without personal data.
CACHED_ON_PURPOSE = {"kiosk.qr", "display.announce_wav", "entry.favicon", "book.qr"}
SAMPLE_ARGS: dict[str, Any] = {"office": "T1", "desk": "1", "code": "T1", "id": 1, "record_id": 1, "public_token": "no-such-ticket",
                               "booking_code": "K7M4PX"}


def _csp_directives(header: str) -> set[str]:
    return {d.strip() for d in header.split(";")}


def _get_routes(app: Any) -> list[tuple[str, str]]:
    """(endpoint, URL) of every GET route but static files, with sample arguments filled in."""
    routes = []
    with app.test_request_context():
        from flask import url_for

        for rule in app.url_map.iter_rules():
            if "GET" not in (rule.methods or ()) or rule.endpoint.endswith("static"):
                continue
            routes.append((rule.endpoint, url_for(rule.endpoint, **{a: SAMPLE_ARGS[a] for a in rule.arguments})))
    return sorted(routes)


@pytest.fixture
def everywhere(app, db, clock, office, api) -> Any:
    """A browser signed in as admin that is also a paired kiosk and a paired display."""
    client = app.test_client()
    signed_in(client, db, clock, add_user(db, clock, "root", ["admin"], ["T1"]))
    with db.write() as s:
        s.scalar(select(User).where(User.username == "root")).full_name = "Адміністратор"
    client.set_cookie("kiosk_token", api.device("kiosk"), path="/kiosk")
    client.set_cookie("reception_display", api.device("display"), path="/display")
    return client


def test_every_get_route_sends_the_security_headers(app, everywhere) -> None:
    routes = _get_routes(app)
    assert len(routes) > 40  # pages and the API alike
    for endpoint, url in routes:
        r = everywhere.get(url)
        assert r.status_code < 500, (url, r.status_code)
        csp = _csp_directives(r.headers.get("Content-Security-Policy", ""))
        assert set(REQUIRED_CSP) <= csp, (url, csp)
        assert "'unsafe-inline'" not in r.headers["Content-Security-Policy"], url
        assert r.headers["X-Content-Type-Options"] == "nosniff", url
        if endpoint not in CACHED_ON_PURPOSE:
            assert r.headers.get("Cache-Control") == "no-store", (url, r.headers.get("Cache-Control"))
        assert "Strict-Transport-Security" not in r.headers  # plain HTTP: no HSTS


def test_signed_in_pages_really_were_rendered(everywhere) -> None:
    """The walk above saw the real pages, not only redirects to /login."""
    for url in ("/backoffice", "/backoffice/records", "/backoffice/schedule", "/kiosk", "/display"):
        assert everywhere.get(url).status_code == 200, url


def test_https_adds_hsts_and_secure_device_cookies(app, client, api) -> None:
    app.config["SESSION_COOKIE_SECURE"] = True  # RECEPTION_SECURE_COOKIES=1
    assert client.get("/login").headers["Strict-Transport-Security"].startswith("max-age=")
    kiosk, display = api.device("kiosk"), api.device("display")
    for cookie in (client.get(f"/kiosk?token={kiosk}").headers["Set-Cookie"],
                   client.get(f"/display?token={display}").headers["Set-Cookie"]):
        assert "; Secure" in cookie and "HttpOnly" in cookie


def test_device_cookies_are_not_secure_on_plain_http(client, api) -> None:
    assert "Secure" not in client.get(f"/kiosk?token={api.device('kiosk')}").headers["Set-Cookie"]


def _templates() -> list[Path]:
    return [p for d in TEMPLATE_DIRS for p in d.rglob("*.html")]


def test_templates_hold_no_inline_script_handler_or_style() -> None:
    templates = _templates()
    assert len(templates) > 15
    inline_script = re.compile(r"<script(?![^>]*\b(src=|type=\"application/json\"))[^>]*>", re.I)
    handler = re.compile(r"\son[a-z]+\s*=", re.I)
    style_attr = re.compile(r"\sstyle\s*=", re.I)
    for path in templates:
        html = path.read_text(encoding="utf-8")
        name = path.relative_to(ROOT)
        assert not inline_script.search(html), f"{name}: inline <script>"
        assert not handler.search(html), f"{name}: inline on…= handler"
        assert not style_attr.search(html), f"{name}: inline style="
        assert "javascript:" not in html.lower(), f"{name}: javascript: URL"
