"""The video link of a remote reception: one check for the API schema and the back-office forms.

The link is shown to staff and sent to visitors, so only a plain http(s) address with a host
passes: never ``javascript:``, ``data:`` or anything a browser would run.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from reception.kernel.errors import BadValue

VIDEO_URL_MAX = 500


def clean_video_url(url: str | None) -> str | None:
    """The trimmed link, or None when empty; BadValue (a ValueError) for anything but an http(s) link with a host."""
    if url is None or not url.strip():
        return None
    url = url.strip()
    if len(url) > VIDEO_URL_MAX or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        raise BadValue("error.input.video_url")
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise BadValue("error.input.video_url")
    return url
