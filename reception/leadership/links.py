"""The video link of a remote reception: one check for the API schema and the back-office forms.

The link is shown to staff and sent to visitors, so only a plain http(s) address with a host
passes: never ``javascript:``, ``data:`` or anything a browser would run.
"""

from __future__ import annotations

from urllib.parse import urlsplit

VIDEO_URL_MAX = 500


def clean_video_url(url: str | None) -> str | None:
    """The trimmed link, or None when empty; ValueError for anything but an http(s) link with a host."""
    if url is None or not url.strip():
        return None
    url = url.strip()
    if len(url) > VIDEO_URL_MAX or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        raise ValueError("video_url: an http(s) link without spaces is required")
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError("video_url: an http(s) link is required")
    return url
