"""Configuration: typed settings (pydantic-settings) from defaults, an optional TOML file and the
environment (which wins), turned into the Flask config keys the app reads.

One declaration per setting — its type, default and meaning — so a wrong value (``PROXY_HOPS=one``)
stops the server at start with the variable's name instead of failing later in a request.
"""

from __future__ import annotations

import os
import secrets
import tomllib
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, PydanticBaseSettingsSource, SettingsConfigDict

ENV_PREFIX = "RECEPTION_"
PRIVATE_NETWORKS = ("127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7")
CommaList = Annotated[list[str], NoDecode]  # "a, b" in the environment, a list in TOML


class Settings(BaseSettings):
    """What an operator of the server may set (docs/deployment.md has the table)."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="ignore", case_sensitive=False,
                                      env_ignore_empty=True)

    database_url: str | None = None  # default: SQLite in the instance folder
    redis_url: str | None = None  # cross-process Socket.IO events
    secret_key: str | None = None  # default: random, kept in the instance folder
    timezone: str = "Europe/Kyiv"
    public_base_url: str | None = None  # base of the QR link on tickets and the allowed Socket.IO origin
    secure_cookies: bool = False  # behind HTTPS
    session_hours: int = Field(12, gt=0)  # the cookie and the server-side session end after one working day
    login_max_failures: int = Field(5, gt=0)  # wrong passwords per (username, address) ...
    login_lock_minutes: int = Field(15, gt=0)  # ... lock that pair for this long
    login_rate_per_address: str = "30 per minute; 300 per hour"  # an office behind one NAT signs in at 8:00
    login_rate_per_account: str = "10 per minute"
    kiosk_ticket_rate: str = "30 per minute"  # per paired kiosk; a busy kiosk prints one every ~20 s
    kiosk_poll_s: int = Field(30, gt=0)  # how often a kiosk refreshes its menu (it backs off while offline)
    ratelimit_storage_uri: str | None = None  # memory:// alone, REDIS_URL when set
    socketio_origins: CommaList = []  # origins besides PUBLIC_BASE_URL and the page's own host
    worker_connections: int = Field(10_000, gt=0)  # open connections of one process (gevent worker, decision 029)
    # The knob of the threaded server this replaced: still accepted (deployments and checks set it), and a floor
    # for WORKER_CONNECTIONS, so a configuration sized for N threads keeps room for N sockets.
    worker_threads: int | None = Field(None, gt=0)
    graceful_timeout: int = Field(10, ge=0)  # seconds a stopping process gives open requests and sockets
    proxy_hops: int = Field(0, ge=0)  # trusted reverse proxies in front (nginx: 1); 0 ignores X-Forwarded-*
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    log_format: Literal["json", "text"] = "json"  # json (one line per record) | text
    metrics_allow: CommaList = list(PRIVATE_NETWORKS)  # who may read /metrics
    retention_hour: int = Field(3, ge=0, le=23)  # local hour (TIMEZONE) of the daily anonymisation run (decision 018)
    # Check every JSON answer against its model (decision 027). Unset: on, except under the production
    # server (``reception serve`` without --dev), where it is off: the tests and development catch a view
    # that drifts from its model, and the hot path does not pay for the check on every answer.
    validate_responses: bool | None = None
    # Messages to visitors (decision 037): each channel is on when its settings are present.
    telegram_bot_token: str | None = None
    telegram_api_url: str = "https://api.telegram.org"
    viber_auth_token: str | None = None
    viber_api_url: str = "https://chatapi.viber.com/pa"
    viber_sender_name: str = Field("ЦНАП", min_length=1, max_length=28)
    sms_url: str | None = None  # TurboSMS: https://api.turbosms.ua/message/send.json
    sms_token: str | None = None
    sms_sender: str = "CNAP"  # the alpha name registered with the SMS provider
    smtp_url: str | None = None  # smtp://[user:password@]host:port (?starttls=1) or smtps://…
    mail_from: str | None = None
    notify_poll_s: int = Field(5, gt=0)  # how often the delivery job looks for due messages
    notify_max_attempts: int = Field(8, gt=0)  # tries before a message is marked failed
    notify_timeout_s: float = Field(10.0, gt=0, le=60)  # connect and read timeout of one send
    notify_keep_days: int = Field(30, gt=0)  # days a message's or subscription's address is kept after its cause
    # Alerts (decision 040): how often the rules are evaluated, and no second message of one kind for an
    # office within the quiet period; the air-raid feed (alerts.in.ua's API), polled only with a token.
    alert_evaluate_s: int = Field(30, gt=0)
    alert_quiet_min: int = Field(15, ge=0)
    alert_feed_url: str = "https://api.alerts.in.ua"
    alert_feed_token: str | None = None
    alert_feed_poll_s: int = Field(15, gt=0)
    # The visitor's channel (issue 24, decision 038): binding, webhooks, replies, when "your turn is near".
    telegram_bot_name: str | None = None  # the bot's username: deep links t.me/<bot>?start=<payload>
    telegram_webhook_secret: str | None = None  # X-Telegram-Bot-Api-Secret-Token of POST /hooks/telegram
    viber_bot_uri: str | None = None  # the bot's URI: viber://pa?chatURI=<uri>&context=<payload>
    sms_webhook_secret: str | None = None  # the SMS gateway's inbound replies: X-Reception-Secret or ?secret=
    notify_ahead: int = Field(3, ge=0, le=50)  # "your turn is near" when this many or fewer are ahead ...
    notify_within_min: int = Field(10, ge=0, le=240)  # ... or the estimate is this many minutes or less
    feedback_window_hours: int = Field(72, gt=0, le=24 * 90)  # after a visit finished, how long it may be rated
    feedback_rate: str = "20 per 10 minutes"  # ratings per address (phone page, message links); kiosks: per device
    # The e-mail intake (decision 043): the office's mailbox, imaps://user:password@host:port/INBOX (imap://
    # without TLS); the office it belongs to (its code; unset: the only office); seconds between polls.
    imap_url: str | None = None
    imap_office: str | None = None
    imap_poll_s: int = Field(60, gt=0)
    report_hour: int = Field(6, ge=0, le=23)  # local hour (TIMEZONE) of the daily run that e-mails subscribed reports
    public_booking_rate: str = "10 per hour"  # public booking requests per address and per phone/e-mail (decision 044)

    @field_validator("socketio_origins", "metrics_allow", mode="before")
    @classmethod
    def _split_commas(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value

    @classmethod
    def settings_customise_sources(cls, settings_cls: type[BaseSettings], init_settings: PydanticBaseSettingsSource,
                                   env_settings: PydanticBaseSettingsSource, dotenv_settings: PydanticBaseSettingsSource,
                                   file_secret_settings: PydanticBaseSettingsSource,
                                   ) -> tuple[PydanticBaseSettingsSource, ...]:
        return init_settings, env_settings, TomlFile(settings_cls)


class TomlFile(PydanticBaseSettingsSource):
    """The TOML file named by RECEPTION_CONFIG; keys in any case. An unknown key is an error, so a
    typo in a setting is not silently the default."""

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:  # not used: __call__ reads all
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        path = os.environ.get(f"{ENV_PREFIX}CONFIG")
        if not path:
            return {}
        with open(path, "rb") as fh:
            values = {key.lower(): value for key, value in tomllib.load(fh).items()}
        unknown = sorted(set(values) - set(self.settings_cls.model_fields))
        if unknown:
            raise ValueError(f"{path}: unknown setting(s) {', '.join(unknown)}")
        return values


def read_settings() -> Settings:
    """The settings, or a ValueError naming each bad variable (``RECEPTION_PROXY_HOPS must be …``)."""
    try:
        return Settings()
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            name = ENV_PREFIX + str(error["loc"][0]).upper() if error["loc"] else ENV_PREFIX + "CONFIG"
            kind = "must be a whole number" if error["type"].startswith("int_") else str(error["msg"]).lower()
            problems.append(f"{name} {kind}, not {error.get('input')!r}")
        raise ValueError("; ".join(problems)) from None


def load(instance_path: str, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Flask config keys: DATABASE_URL, REDIS_URL, SECRET_KEY, TIMEZONE, PUBLIC_BASE_URL, …

    ``overrides`` are Flask keys set by code (the tests, the demo) and win over everything.
    """
    Path(instance_path).mkdir(parents=True, exist_ok=True)
    settings = read_settings()
    config: dict[str, Any] = {key.upper(): value for key, value in settings.model_dump().items()
                              if key not in ("secure_cookies", "session_hours")}
    config |= {
        "DATABASE_URL": settings.database_url or f"sqlite:///{Path(instance_path) / 'reception.db'}",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": settings.secure_cookies,
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=settings.session_hours),
        "JSON_SORT_KEYS": False,
        # No form or JSON body of the contract comes near 1 MiB (a record at its limits is ~0.7 MiB
        # URL-encoded); anything larger is refused with 413 before it is parsed.
        "MAX_CONTENT_LENGTH": 2**20,
        "MAX_FORM_MEMORY_SIZE": 2**20,
    }
    config.update(overrides or {})
    if not config.get("SECRET_KEY"):
        config["SECRET_KEY"] = _instance_secret(instance_path)
    return config


def _instance_secret(instance_path: str) -> str:
    """A random key kept in the instance folder, so sessions survive restarts without setup."""
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()
