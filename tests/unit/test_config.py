"""Settings: defaults, a TOML file (keys in any case), the environment (wins), and clear refusals."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from reception.platform.config import PRIVATE_NETWORKS, load


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    for name in list(os.environ):
        if name.startswith("RECEPTION_"):
            monkeypatch.delenv(name)


def test_defaults_are_a_working_single_office_box(tmp_path: Path) -> None:
    config = load(str(tmp_path))
    assert config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'reception.db'}"
    assert config["PERMANENT_SESSION_LIFETIME"] == timedelta(hours=12)
    assert config["SESSION_COOKIE_SECURE"] is False and config["PROXY_HOPS"] == 0
    assert config["METRICS_ALLOW"] == list(PRIVATE_NETWORKS) and config["SOCKETIO_ORIGINS"] == []
    assert len(config["SECRET_KEY"]) > 40 and load(str(tmp_path))["SECRET_KEY"] == config["SECRET_KEY"]


def test_toml_in_any_case_and_the_environment_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    toml = tmp_path / "reception.toml"
    toml.write_text('WORKER_CONNECTIONS = 600\nlog_format = "text"\nsession_hours = 8\n'
                    'metrics_allow = ["10.1.0.0/16"]\nsecure_cookies = true\n')
    monkeypatch.setenv("RECEPTION_CONFIG", str(toml))
    monkeypatch.setenv("RECEPTION_WORKER_CONNECTIONS", "400")
    monkeypatch.setenv("RECEPTION_REDIS_URL", "")  # set but empty: as if unset
    config = load(str(tmp_path))
    assert config["WORKER_CONNECTIONS"] == 400 and config["LOG_FORMAT"] == "text"
    assert config["PERMANENT_SESSION_LIFETIME"] == timedelta(hours=8)
    assert config["METRICS_ALLOW"] == ["10.1.0.0/16"] and config["SESSION_COOKIE_SECURE"] is True
    assert config["REDIS_URL"] is None


def test_code_overrides_win_over_everything(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECEPTION_TIMEZONE", "Europe/Warsaw")
    assert load(str(tmp_path), {"TIMEZONE": "Europe/Kyiv"})["TIMEZONE"] == "Europe/Kyiv"


@pytest.mark.parametrize(("name", "value", "message"), [
    ("RECEPTION_SESSION_HOURS", "0", "RECEPTION_SESSION_HOURS"),
    ("RECEPTION_WORKER_CONNECTIONS", "many", "RECEPTION_WORKER_CONNECTIONS must be a whole number"),
    ("RECEPTION_LOG_FORMAT", "xml", "RECEPTION_LOG_FORMAT"),
    ("RECEPTION_SECURE_COOKIES", "perhaps", "RECEPTION_SECURE_COOKIES"),
])
def test_a_bad_value_stops_the_start_naming_the_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          name: str, value: str, message: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=message):
        load(str(tmp_path))


def test_an_unknown_key_in_the_file_is_refused_not_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    toml = tmp_path / "reception.toml"
    toml.write_text("worker_thread = 60\n")  # a typo
    monkeypatch.setenv("RECEPTION_CONFIG", str(toml))
    with pytest.raises(ValueError, match="unknown setting.*worker_thread"):
        load(str(tmp_path))
