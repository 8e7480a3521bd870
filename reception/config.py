"""Configuration from defaults, an optional TOML file and the environment (which wins)."""

from __future__ import annotations

import os
import secrets
import tomllib
from datetime import timedelta
from pathlib import Path
from typing import Any

ENV_PREFIX = "RECEPTION_"
STRING_KEYS = ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "TIMEZONE", "PUBLIC_BASE_URL", "LOG_LEVEL", "LOG_FORMAT",
               "LOGIN_RATE_PER_ADDRESS", "LOGIN_RATE_PER_ACCOUNT", "KIOSK_TICKET_RATE")
INT_KEYS = ("WORKER_THREADS", "GRACEFUL_TIMEOUT", "PROXY_HOPS", "RETENTION_HOUR")
LIST_KEYS = ("METRICS_ALLOW",)  # comma-separated in the environment
PRIVATE_NETWORKS = ("127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7")


def load(instance_path: str, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Flask config keys: DATABASE_URL, REDIS_URL, SECRET_KEY, TIMEZONE, PUBLIC_BASE_URL, ..."""
    Path(instance_path).mkdir(parents=True, exist_ok=True)
    config: dict[str, Any] = {
        "DATABASE_URL": f"sqlite:///{Path(instance_path) / 'reception.db'}",
        "REDIS_URL": None,
        "TIMEZONE": "Europe/Kyiv",
        "PUBLIC_BASE_URL": None,  # base of the QR link on tickets and the allowed Socket.IO origin
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": False,
        # The cookie and the server-side session both end after one working day.
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),
        "LOGIN_MAX_FAILURES": 5,  # wrong passwords per (username, address) ...
        "LOGIN_LOCK_MINUTES": 15,  # ... lock that pair for this long
        "LOGIN_RATE_PER_ADDRESS": "30 per minute; 300 per hour",  # an office behind one NAT signs in at 8:00
        "LOGIN_RATE_PER_ACCOUNT": "10 per minute",
        "KIOSK_TICKET_RATE": "30 per minute",  # per paired kiosk; a busy kiosk prints one every ~20 s
        "RATELIMIT_STORAGE_URI": None,  # memory:// alone, REDIS_URL when set
        "SOCKETIO_ORIGINS": [],  # origins besides PUBLIC_BASE_URL and the page's own host
        "JSON_SORT_KEYS": False,
        # No form or JSON body of the contract comes near 1 MiB (a record at its limits is ~0.7 MiB
        # URL-encoded); anything larger is refused with 413 before it is parsed.
        "MAX_CONTENT_LENGTH": 2**20,
        "MAX_FORM_MEMORY_SIZE": 2**20,
        # Serving (reception.platform): see docs/deployment.md.
        "WORKER_THREADS": 200,  # threads of the one gunicorn worker; each open websocket holds one
        "GRACEFUL_TIMEOUT": 10,  # seconds a stopping process gives open requests and sockets
        "PROXY_HOPS": 0,  # trusted reverse proxies in front (nginx: 1); 0 ignores X-Forwarded-*
        "LOG_LEVEL": "INFO",
        "LOG_FORMAT": "json",  # json (one line per record) | text
        "METRICS_ALLOW": list(PRIVATE_NETWORKS),  # who may read /metrics
        # The anonymisation run (decision 018): daily at this local hour (TIMEZONE), by the serving process.
        "RETENTION_HOUR": 3,
    }
    toml_path = os.environ.get(f"{ENV_PREFIX}CONFIG")
    if toml_path:
        with open(toml_path, "rb") as fh:
            config.update({k.upper(): v for k, v in tomllib.load(fh).items()})
    config.update(_from_environment())
    if os.environ.get(f"{ENV_PREFIX}SECURE_COOKIES", "").lower() in ("1", "true", "yes"):
        config["SESSION_COOKIE_SECURE"] = True
    hours = os.environ.get(f"{ENV_PREFIX}SESSION_HOURS", "")
    if hours.isdigit() and int(hours) > 0:
        config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=int(hours))
    config.update(overrides or {})
    if not config.get("SECRET_KEY"):
        config["SECRET_KEY"] = _instance_secret(instance_path)
    return config


def _from_environment() -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key in (*STRING_KEYS, *INT_KEYS, *LIST_KEYS):
        value = os.environ.get(ENV_PREFIX + key)
        if not value:
            continue
        if key in INT_KEYS:
            try:
                found[key] = int(value)
            except ValueError:
                raise ValueError(f"{ENV_PREFIX}{key} must be a whole number, not {value!r}") from None
        elif key in LIST_KEYS:
            found[key] = [item.strip() for item in value.split(",") if item.strip()]
        else:
            found[key] = value
    return found


def _instance_secret(instance_path: str) -> str:
    """A random key kept in the instance folder, so sessions survive restarts without setup."""
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()
