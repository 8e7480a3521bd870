"""How a visitor is looked up: surnames folded for prefix search (phones: ``reception.kernel.phones``).

Pure: no Flask, no database.  Surnames are folded in Python because SQLite's ``lower()`` folds ASCII
only, so "Петренко" and "петренко" would never meet there.
"""

from __future__ import annotations

import unicodedata

# The apostrophes people type in Ukrainian names, folded to the one U+02BC.
_APOSTROPHES = str.maketrans({"'": "ʼ", "’": "ʼ", "`": "ʼ", "‘": "ʼ", "ʹ": "ʼ"})


def fold_name(text: str | None) -> str:
    """Case- and apostrophe-insensitive form of a name (``"Пʼятаченко"`` == ``"П'ЯТАЧЕНКО"``)."""
    clean = unicodedata.normalize("NFC", (text or "").strip()).translate(_APOSTROPHES)
    return clean.casefold()
