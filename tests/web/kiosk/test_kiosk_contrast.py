"""How a kiosk starts: normal, or high contrast and large text when set up with ``?contrast=high`` (decision 019)."""

from __future__ import annotations

from tests.web.kiosk.test_kiosk_pairing import _config


def _start(client) -> tuple[str, str]:
    page = client.get("/kiosk")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    return _config(html)["contrast"], html


def test_a_kiosk_starts_normal_unless_set_up_for_high_contrast(client, kiosk) -> None:
    client.get(f"/kiosk?token={kiosk}&contrast=high")  # pairing and the setting in one URL
    contrast, html = _start(client)
    assert contrast == "high"
    assert '<html lang="uk" data-contrast="high">' in html and 'aria-pressed="true"' in html
    assert "Великий шрифт" in html and "і контраст" in html
    r = client.get("/kiosk?contrast=normal")
    assert r.status_code == 200 and "kiosk-contrast=normal" in r.headers["Set-Cookie"]
    for attribute in ("HttpOnly", "Path=/kiosk", "SameSite=Strict"):
        assert attribute in r.headers["Set-Cookie"]
    assert _start(client)[0] == "normal"


def test_an_unknown_contrast_is_refused_in_both_languages_and_changes_nothing(client, kiosk) -> None:
    client.get(f"/kiosk?token={kiosk}&contrast=high")
    r = client.get("/kiosk?contrast=yes")
    assert r.status_code == 400 and "Set-Cookie" not in r.headers
    text = r.get_data(as_text=True)
    assert "лише high або normal" in text and "only be high or normal" in text
    assert _start(client)[0] == "high"
    client.set_cookie("kiosk-contrast", "purple", path="/kiosk")  # a cookie from elsewhere is not trusted
    assert _start(client)[0] == "normal"
