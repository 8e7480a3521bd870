"""Pages of the wall display (/display, pairing, speech) and the phone status page (/t/<token>)."""

from __future__ import annotations

import io
import json
import re
import shutil
import wave
from typing import Any

import pytest

from display.web import COOKIE


def config_of(html: str, script_id: str) -> dict[str, Any]:
    match = re.search(rf'<script id="{script_id}" type="application/json">(.*?)</script>', html, re.S)
    assert match, "page config missing"
    return json.loads(match.group(1))


def pair(client: Any, token: str, **query: str) -> Any:
    return client.get("/display", query_string={"token": token, **query})


def test_unpaired_display_is_calm_and_offers_the_pairing_keypad(client, office) -> None:
    r = client.get("/display")
    page = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "Табло ще не налаштовано" in page and "This display is not set up yet" in page
    for technical in ("reception device", "--office", "token=", "/display?"):
        assert technical not in page, technical
    assert 'action="/pair"' in page and all(f'data-digit="{d}"' in page for d in "0123456789")


@pytest.mark.parametrize("kind", ["none", "kiosk"])
def test_pairing_refuses_a_wrong_token(client, api, kind: str) -> None:
    token = api.device("kiosk") if kind == "kiosk" else "wrong-token"
    r = pair(client, token)
    assert r.status_code == 403
    assert "цей пристрій відʼєднано" in r.get_data(as_text=True)
    assert client.get_cookie(COOKIE, path="/display") is None


def test_pairing_keeps_the_token_and_redirects_to_the_clean_url(client, api, hall) -> None:
    token = api.device("display")
    r = pair(client, token, zone="hall")
    assert r.status_code == 302 and r.headers["Location"].endswith("/display?zone=hall")
    cookie = client.get_cookie(COOKIE, path="/display")
    assert cookie is not None and cookie.value == token and cookie.http_only
    hall.issue()
    page = client.get("/display?zone=hall")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert "Тестова установа T1" in html and "Test office T1" in html
    cfg = config_of(html, "display-config")
    assert token not in html and cfg["zone"] == "hall"  # the token stays in the cookie
    handed = client.get(cfg["pairing"])
    assert handed.get_json() == {"paired": True, "token": token} and handed.headers["Cache-Control"] == "no-store"
    assert cfg["snapshot"]["waiting"] == {"consult": 1, "appeal": 0}
    # Who waits for what, named in both languages; services nobody waits for are left out.
    assert cfg["snapshot"]["waiting_total"] == 1
    assert cfg["snapshot"]["waiting_lines"] == [
        {"code": "consult", "name_uk": "Консультація", "name_en": "Consultation", "waiting": 1}]
    assert "/static/vendor/socket.io/socket.io.min.js" in html  # vendored, never a CDN
    assert "http://" not in html.replace("http://test", "") and "https://" not in html


def test_a_revoked_display_falls_back_to_the_pairing_message(client, api, db) -> None:
    from sqlalchemy import update

    from reception.accounts.models import Device

    pair(client, api.device("display"))
    with db.write() as s:
        s.execute(update(Device).values(is_active=False))
    r = client.get("/display")
    assert r.status_code == 403 and "цей пристрій відʼєднано" in r.get_data(as_text=True)


def test_the_chime_is_a_short_wav(client) -> None:
    r = client.get("/display/static/display/chime.wav")
    assert r.status_code == 200
    with wave.open(io.BytesIO(r.data)) as w:
        seconds = w.getnframes() / w.getframerate()
    assert 0.5 < seconds < 3


def test_announce_wav_needs_a_display(client, api) -> None:
    assert client.get("/display/announce.wav", query_string={"text": "Талон"}).status_code == 401
    kiosk = api.device("kiosk")
    r = client.get("/display/announce.wav", query_string={"text": "Талон"}, headers={"X-Display-Token": kiosk})
    assert r.status_code == 401


@pytest.mark.parametrize("query", [{"text": ""}, {"text": "а" * 301}, {"text": "Талон", "lang": "fr"}, {}])
def test_announce_wav_refuses_bad_input(client, api, query: dict[str, str]) -> None:
    pair(client, api.device("display"))
    assert client.get("/display/announce.wav", query_string=query).status_code == 400


@pytest.mark.skipif(not shutil.which("espeak-ng"), reason="espeak-ng not installed")
def test_announce_wav_speaks_ukrainian_and_caches(client, api, app) -> None:
    pair(client, api.device("display"))
    text = "Талон ка сімнадцять, пройдіть до вікна номер три."
    r = client.get("/display/announce.wav", query_string={"text": text, "lang": "uk"})
    assert r.status_code == 200 and r.headers["Content-Type"] == "audio/wav"
    with wave.open(io.BytesIO(r.data)) as w:
        assert w.getnframes() / w.getframerate() > 1.0
    speech = app.extensions["display.speech"]
    assert ("uk", text) in speech._cache
    again = client.get("/display/announce.wav", query_string={"text": text, "lang": "uk"})
    assert again.data == r.data


def test_announce_wav_without_espeak_says_so(client, api, app) -> None:
    from display.speech import Speech

    app.extensions["display.speech"] = Speech(binary="")
    pair(client, api.device("display"))
    assert client.get("/display/announce.wav", query_string={"text": "Талон"}).status_code == 503


# --- phone page -----------------------------------------------------------------------------------


def test_phone_page_shows_the_queue_without_personal_data(client, hall) -> None:
    hall.issue()
    mine = hall.issue()
    r = client.get(f"/t/{mine['public_token']}")
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert mine["code"] in html and "Консультація" in html and "Перед вами" in html
    assert 'name="viewport" content="width=device-width' in html
    status = config_of(html, "phone-config")["status"]
    assert status["position"] == 1 and status["status"] == "waiting"
    assert not ({"surname", "name", "patronymic", "phone", "id", "public_token"} & set(status))


def test_phone_page_language_follows_the_ticket_then_the_toggle(client, api, hall) -> None:
    r = api.call("POST", "/kiosk/tickets", hall.kiosk, json={"service": "consult", "lang": "en"})
    token = r.get_json()["public_token"]
    html = client.get(f"/t/{token}").get_data(as_text=True)
    assert '<html lang="en">' in html and "Ahead of you" in html and "Українська" in html
    html = client.get(f"/t/{token}?lang=uk").get_data(as_text=True)
    assert '<html lang="uk">' in html and "Перед вами" in html and "English" in html


def test_phone_status_says_where_to_go_when_called(client, hall) -> None:
    mine = hall.issue("appeal")
    hall.open("412")
    hall.call_next("412")
    status = client.get(f"/api/v1/tickets/{mine['public_token']}").get_json()
    assert status["status"] == "called"
    assert status["go_uk"] == "Пройдіть до кабінету 412" and status["go_en"] == "Please go to Room 412"
    html = client.get(f"/t/{mine['public_token']}").get_data(as_text=True)
    assert config_of(html, "phone-config")["status"]["go_uk"] == "Пройдіть до кабінету 412"


@pytest.mark.parametrize("token", ["nope", "x" * 300, "%00", "a%00b", "'\"<script>", "ключ"])
def test_phone_page_for_an_unknown_ticket(client, office, token: str) -> None:
    r = client.get(f"/t/{token}")
    assert r.status_code == 404
    assert "Талон не знайдено" in r.get_data(as_text=True)
