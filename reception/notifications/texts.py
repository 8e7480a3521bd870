"""The words of each message to a visitor, in their language (Ukrainian first): short and plain, and no
more personal data than the ticket's code or the booking's code, date, time and room. Pure."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from reception.platform import i18n

LANGS = ("uk", "en")


def lang_of(value: str | None) -> str:
    return value if value in LANGS else "uk"


def say(key: str, lang: str, **params: Any) -> str:
    return i18n.t(key, lang_of(lang), **params)


def date_time(moment: datetime, tz: str) -> dict[str, str]:
    """dd.mm.yyyy and HH:MM in the office's time zone."""
    from zoneinfo import ZoneInfo

    local = moment.astimezone(ZoneInfo(tz))
    return {"date": local.strftime("%d.%m.%Y"), "time": local.strftime("%H:%M")}


def buttons(lang: str, *, page_url: str | None, late: bool = True, cancel: bool = True,
            stop: bool = True) -> list[dict[str, Any]]:
    """The inline buttons of a message (Telegram, Viber) and its links (e-mail: the phone page, where
    the same replies are buttons)."""
    lang = lang_of(lang)
    found: list[dict[str, Any]] = []
    if late:
        found.append({"text": say("notify.btn.late", lang), "action": "late", "url": page_url})
    if cancel:
        found.append({"text": say("notify.btn.cancel", lang), "action": "cancel", "url": page_url})
    if stop:
        found.append({"text": say("notify.btn.stop", lang), "action": "stop", "url": page_url})
    return found
