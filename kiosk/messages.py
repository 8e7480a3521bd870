"""The kiosk's words, Ukrainian first (plain and short: visitors read them standing, often stressed).

Registered with the core catalogue (so ``t()`` works in templates) and also sent to the page as
JSON, so the English toggle switches text without a reload.
"""

from __future__ import annotations

from reception.platform import i18n


def catalogue() -> dict[str, dict[str, str]]:
    """``{lang: {key: text}}`` for the page's script (keys without the ``kiosk.`` prefix)."""
    return {lang: i18n.catalogue("kiosk.", lang) for lang in i18n.LANGS}
