"""What the visitor's channel needs to know of the deployment: the bots' names for deep links, the
public address for links, and the numbers of the rules (late moves back N places; "your turn is
near" at N ahead or M minutes). Read once by the composition root (the app's configuration, or the
environment for the console and the simulator)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class NotifyConfig:
    public_base_url: str = ""
    telegram_bot_name: str | None = None
    viber_bot_uri: str | None = None
    notify_ahead: int = 3
    notify_within_min: int = 10

    @classmethod
    def from_mapping(cls, cfg: Mapping[str, Any]) -> NotifyConfig:
        """From the Flask configuration (upper-case keys) or the settings' own (lower-case) keys."""

        def get(name: str, default: Any) -> Any:
            value = cfg.get(name.upper(), cfg.get(name))
            return default if value is None or value == "" else value

        return cls(public_base_url=str(get("public_base_url", "")).rstrip("/"),
                   telegram_bot_name=get("telegram_bot_name", None), viber_bot_uri=get("viber_bot_uri", None),
                   notify_ahead=int(get("notify_ahead", 3)),
                   notify_within_min=int(get("notify_within_min", 10)))

    @classmethod
    def from_env(cls) -> NotifyConfig:
        from reception.platform.config import read_settings

        return cls.from_mapping(read_settings().model_dump())

    def page_url(self, public_token: str) -> str:
        """The ticket's phone page (behind its QR code)."""
        return f"{self.public_base_url}/t/{public_token}"

    def deep_link(self, channel: str, payload: str) -> str | None:
        """The link that opens the bot with ``payload`` (None: that bot is not configured)."""
        if channel == "telegram" and self.telegram_bot_name:
            return f"https://t.me/{self.telegram_bot_name.lstrip('@')}?start={payload}"
        if channel == "viber" and self.viber_bot_uri:
            return f"viber://pa?chatURI={self.viber_bot_uri}&context={payload}"
        return None
