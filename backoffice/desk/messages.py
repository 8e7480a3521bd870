"""Texts of the sign-in pages and the desk console: Ukrainian first, English second.

Keys under ``desk.js.`` are handed to the console's script for the page's language
(``js_texts``), so the browser never holds a catalogue of its own to drift out of sync.
"""

from __future__ import annotations

from reception.platform import i18n


def js_texts(lang: str) -> dict[str, str]:
    """The console script's texts in ``lang`` (raw templates; the browser fills placeholders)."""
    return i18n.catalogue("desk.js.", lang)
