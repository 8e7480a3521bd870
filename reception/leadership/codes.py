"""Booking codes: short, read out over the phone, typed at a kiosk.

The alphabet has digits 2-9 and only the letters whose capitals look the same in Latin and
Ukrainian Cyrillic (А В С Е Н К М Р Т Х): no 0/O, 1/I/L, and a visitor typing on a Cyrillic
keyboard or reading a Cyrillic-looking letter still gets it right.  Six symbols from 18 give
34 million codes; a clash with an existing code is retried by the caller (UNIQUE backstop).
Shown as "K7M-4PX", stored without the hyphen.
"""

from __future__ import annotations

import secrets

ALPHABET = "23456789ABCEHKMPTX"
LENGTH = 6
_HOMOGLYPHS = str.maketrans({"А": "A", "В": "B", "С": "C", "Е": "E", "Н": "H", "К": "K", "М": "M", "Р": "P",
                             "Т": "T", "Х": "X", "О": "0", "І": "I"})


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(raw: str) -> str | None:
    """What the visitor typed -> the stored form, or None if it cannot be a code."""
    clean = "".join(ch for ch in raw.upper().translate(_HOMOGLYPHS) if not ch.isspace() and ch not in "-–")
    if len(clean) != LENGTH or any(ch not in ALPHABET for ch in clean):
        return None
    return clean


def display(code: str) -> str:
    return f"{code[:3]}-{code[3:]}"
