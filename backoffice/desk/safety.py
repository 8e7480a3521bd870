"""Pure checks for the sign-in flow (no Flask), so tests can hit every edge directly."""

from __future__ import annotations

from urllib.parse import urlsplit


def safe_next(target: str | None, default: str) -> str:
    """``target`` if it is a path on this site, else ``default``.

    Refuses absolute and scheme-relative URLs (``//evil``, ``/\\evil``, ``https://…``) so a
    crafted sign-in link cannot bounce staff to a look-alike site.
    """
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return default
    if any(ch in target for ch in "\r\n\t\\") or any(ord(ch) < 32 for ch in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target
