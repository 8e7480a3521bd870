"""Pairing the kiosk page with a device token; the "not paired" page; the ticket's QR code."""

from __future__ import annotations

import json
import re

from sqlalchemy import update

from reception.accounts.models import Device
from tests.fakes import build_office
from tests.web.kiosk.kiosk_support import tickets


def _config(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="kiosk-config">(.*?)</script>', html, re.S)
    assert match
    return json.loads(match.group(1))


def test_unpaired_page_is_calm_and_offers_the_pairing_keypad(client) -> None:
    r = client.get("/kiosk")
    assert r.status_code == 403
    html = r.get_data(as_text=True)
    assert "Кіоск ще не налаштовано" in html and "This kiosk is not set up yet" in html
    assert "Зверніться, будь ласка, до працівника установи." in html
    # Nothing technical for a visitor: no command line, no token, no address to type.
    for technical in ("reception device", "--office", "token=", "ТОКЕН", "/kiosk?"):
        assert technical not in html, technical
    # The pairing code's keypad, posting to the one pairing flow (/pair).
    assert 'action="/pair"' in html and 'name="csrf_token"' in html and 'name="code"' in html
    assert all(f'data-digit="{d}"' in html for d in "0123456789") and "data-erase" in html
    assert 'data-reason="missing"' in html
    assert r.headers["Cache-Control"] == "no-store"


def test_token_pairs_then_redirects_to_the_clean_url(client, kiosk) -> None:
    r = client.get(f"/kiosk?token={kiosk}")
    assert r.status_code == 303 and r.headers["Location"].endswith("/kiosk")
    cookie = r.headers["Set-Cookie"]
    assert cookie.startswith(f"kiosk_token={kiosk};")
    for attribute in ("HttpOnly", "Path=/kiosk", "SameSite=Strict", "Max-Age="):
        assert attribute in cookie
    page = client.get("/kiosk")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    config = _config(html)
    assert kiosk not in html and config["api"] == "/api/v1/kiosk"  # the token stays in the cookie
    handed = client.get(config["pairing"])
    assert handed.get_json() == {"paired": True, "token": kiosk} and handed.headers["Cache-Control"] == "no-store"
    assert client.application.test_client().get(config["pairing"]).status_code == 403  # no cookie, no token
    assert config["office"] == {"uk": "Тестова установа T1", "en": "Test office T1"}
    assert config["messages"]["uk"]["choose_service"] == "Оберіть послугу"
    assert config["messages"]["en"]["choose_service"] == "Choose a service"
    assert set(config["messages"]["uk"]) == set(config["messages"]["en"])
    # no inline script: the CSP forbids it, data travels in a JSON block
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert not re.search(r"<script(?![^>]*(type=\"application/json\"|src=))", html)
    assert page.headers["Cache-Control"] == "no-store"


def test_wrong_or_foreign_tokens_do_not_pair(client, api) -> None:
    display = api.device("display")
    for token in ("nonsense", display, "x" * 500):
        r = client.get(f"/kiosk?token={token}")
        assert r.status_code == 403, token
        assert 'data-reason="invalid"' in r.get_data(as_text=True)
        assert "kiosk_token=;" in r.headers.get("Set-Cookie", "")  # any stale pairing is dropped


def test_revoked_kiosk_falls_back_to_the_unpaired_page(client, kiosk, db) -> None:
    client.get(f"/kiosk?token={kiosk}")
    assert client.get("/kiosk").status_code == 200
    with db.write() as s:
        s.execute(update(Device).values(is_active=False))
    r = client.get("/kiosk")
    assert r.status_code == 403 and 'data-reason="invalid"' in r.get_data(as_text=True)
    assert api_menu_status(client, kiosk) == 401


def api_menu_status(client, token: str) -> int:
    return client.get("/api/v1/kiosk/menu", headers={"Authorization": f"Bearer {token}"}).status_code


def test_qr_code_of_own_tickets_only(client, api, kiosk, db, clock) -> None:
    ticket = api.call("POST", "/kiosk/tickets", kiosk, json={"service": "consult"}).get_json()
    assert client.get(f"/kiosk/qr/{ticket['public_token']}.svg").status_code == 403  # not paired yet
    client.get(f"/kiosk?token={kiosk}")
    r = client.get(f"/kiosk/qr/{ticket['public_token']}.svg")
    assert r.status_code == 200 and r.mimetype == "image/svg+xml"
    svg = r.get_data(as_text=True)
    assert svg.startswith("<svg") and 'shape-rendering="crispEdges"' in svg and "<path" in svg
    assert client.get("/kiosk/qr/unknown-token.svg").status_code == 404
    # a ticket of another office is not this kiosk's business
    build_office(db, "T2")
    other = api.device("kiosk", office="T2")
    foreign = api.call("POST", "/kiosk/tickets", other, json={"service": "consult"}).get_json()
    assert client.get(f"/kiosk/qr/{foreign['public_token']}.svg").status_code == 404
    assert len(tickets(db)) == 2


def test_qr_svg_decodes_to_the_status_url() -> None:
    from printers.qr import qr_svg

    svg = qr_svg("http://test/t/abc")
    size = int(re.search(r'viewBox="0 0 (\d+) \1"', svg).group(1))  # type: ignore[union-attr]
    assert size >= 21 + 8  # version 1 at least, plus the quiet zone
