"""``reception demo`` says whether the wall display can speak Ukrainian and how to make it."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from display.speech import Speech
from reception.ops.demo import INSTALL_SPEECH, banner

INFO = {"kiosk_token": "K", "display_token": "D", "users": {"admin": "pw"}}


def test_banner_without_espeak_says_how_to_install_it() -> None:
    text = "\n".join(banner("http://h:1", INFO, speech_available=False))
    assert "espeak-ng): недоступне" in text and "not available" in text
    assert "apt-get install espeak-ng" in text and INSTALL_SPEECH in text
    assert "/display?token=D" in text and "/kiosk?token=K" in text


def test_banner_with_espeak_says_it_is_available() -> None:
    text = "\n".join(banner("http://h:1", INFO, speech_available=True))
    assert "espeak-ng): доступне" in text and "available" in text
    assert "apt-get" not in text


@pytest.mark.parametrize("binary, expected", [("", "недоступне"), ("/usr/bin/espeak-ng", "доступне /")])
def test_demo_command_reports_the_display_speech(app, tmp_path, monkeypatch, binary, expected) -> None:
    import reception.ops.cli as cli
    import reception.schema.migrate as migrate

    app.instance_path = str(tmp_path)
    app.extensions["display.speech"] = Speech(binary=binary)
    monkeypatch.setattr(cli, "_app", lambda: app)
    monkeypatch.setattr(cli, "_serve", lambda *a: None)
    monkeypatch.setattr(migrate, "upgrade", lambda db: None)
    result = CliRunner().invoke(cli.main, ["demo", "--port", "5999"])
    assert result.exit_code == 0, result.output
    assert f"Озвучення українською (espeak-ng): {expected}" in result.output
    assert ("apt-get install espeak-ng" in result.output) == (binary == "")
    assert "http://127.0.0.1:5999/display?token=" in result.output
