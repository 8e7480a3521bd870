"""Ticket layout: a pure function from a TicketSlip to printable blocks.

Backends (ESC/POS text, raster image, PDF) only decide how to draw these blocks; what a ticket says,
and in which order, is decided here once.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from reception.kernel.ports import TicketSlip

Align = Literal["left", "center", "right"]

# Scales: 1 = body text, 2 = emphasised, 4 = the ticket code.
BODY, LARGE, HUGE = 1, 2, 4

_PUNCTUATION = str.maketrans(
    {
        "\u2019": "'",  # ’ right single quotation mark (Ukrainian apostrophe as typed)
        "\u02bc": "'",  # ʼ modifier letter apostrophe (official Ukrainian apostrophe)
        "\u2018": "'",
        "\u02b9": "'",
        "\u2032": "'",
        "`": "'",
        "\u00ab": '"',  # «
        "\u00bb": '"',  # »
        "\u201e": '"',
        "\u201c": '"',
        "\u201d": '"',
        "\u2033": '"',
        "\u2013": "-",  # –
        "\u2014": "-",  # —
        "\u2012": "-",
        "\u2212": "-",
        "\u2010": "-",
        "\u2011": "-",
        "\u2026": "...",
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u00ad": None,  # soft hyphen
        "\u200b": None,
        "\u200d": None,
        "\ufeff": None,
    }
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # C0/C1 controls: would be printer commands
_SPACES = re.compile(r" {2,}")

DEFAULT_LABELS: dict[str, dict[str, str]] = {
    "uk": {
        "people_ahead": "Перед вами",
        "people_none": "нікого",
        "eta": "Орієнтовне очікування",
        "minutes": "хв",
        "issued_at": "Видано",
        "qr_hint": "Відскануйте, щоб стежити за чергою",
        "priority": "Пріоритетний талон",
    },
    "en": {
        "people_ahead": "People ahead of you",
        "people_none": "nobody",
        "eta": "Estimated wait",
        "minutes": "min",
        "issued_at": "Issued",
        "qr_hint": "Scan to follow the queue",
        "priority": "Priority ticket",
    },
}


@dataclass(frozen=True)
class Line:
    """One logical line of text; backends wrap it to the paper width (the code is never wrapped)."""

    text: str
    size: int = BODY
    bold: bool = False
    align: Align = "center"
    wrap: bool = True


@dataclass(frozen=True)
class Rule:
    """A horizontal separator."""


@dataclass(frozen=True)
class QR:
    """A QR code carrying ``payload``."""

    payload: str


Block = Line | Rule | QR


@dataclass(frozen=True)
class TicketLayout:
    blocks: tuple[Block, ...]
    code: str
    qr_payload: str | None

    def texts(self) -> list[str]:
        """All text lines, in order (for tests and previews)."""
        return [b.text for b in self.blocks if isinstance(b, Line)]


def normalize_text(text: str) -> str:
    """NFC-compose, map typographic punctuation to ASCII, drop control characters, collapse spaces."""
    text = unicodedata.normalize("NFC", text).translate(_PUNCTUATION)
    text = _CONTROL.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def _label(slip: TicketSlip, key: str) -> str:
    defaults = DEFAULT_LABELS.get(slip.lang, DEFAULT_LABELS["uk"])
    return slip.labels.get(key) or defaults[key]


def build_layout(slip: TicketSlip) -> TicketLayout:
    """The ticket's blocks, top to bottom, with all text normalised."""
    n = normalize_text
    blocks: list[Block] = [
        Line(n(slip.office_name), bold=True),
        Line(n(slip.service_name)),
        Rule(),
        Line(n(slip.code), size=HUGE, bold=True, wrap=False),
    ]
    if slip.priority_label:
        # Only that the ticket has priority: the category (a disability, a title) is personal data
        # and a slip is left behind on benches and in bins.
        blocks.append(Line(n(_label(slip, "priority")), bold=True))
    if slip.appointment_label:
        blocks.append(Line(n(slip.appointment_label), bold=True))
    blocks.append(Rule())
    if slip.people_ahead is not None:
        ahead = _label(slip, "people_none") if slip.people_ahead == 0 else str(slip.people_ahead)
        blocks.append(Line(n(f"{_label(slip, 'people_ahead')}: {ahead}"), size=LARGE))
    if slip.eta_text:
        blocks.append(Line(n(f"{_label(slip, 'eta')}: {slip.eta_text}")))
    elif slip.eta_min is not None:
        blocks.append(Line(n(f"{_label(slip, 'eta')}: ~{slip.eta_min} {_label(slip, 'minutes')}")))
    blocks.append(Line(n(f"{_label(slip, 'issued_at')}: {slip.issued_at:%d.%m.%Y %H:%M}")))
    qr_payload = slip.status_url.strip() or None
    if qr_payload:
        blocks.append(QR(qr_payload))
        blocks.append(Line(n(_label(slip, "qr_hint"))))
    if slip.note:
        blocks.append(Rule())
        blocks.append(Line(n(slip.note)))
    return TicketLayout(blocks=tuple(b for b in blocks if not isinstance(b, Line) or b.text),
                        code=n(slip.code), qr_payload=qr_payload)


def wrap_text(text: str, fits: Callable[[str], bool]) -> list[str]:
    """Greedy word wrap: the longest prefixes for which ``fits`` holds; over-long words are split."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if fits(candidate):
            current = candidate
            continue
        if current:
            lines.append(current)
        current = ""
        while word and not fits(word):
            cut = max(1, next((i for i in range(len(word) - 1, 0, -1) if fits(word[:i])), 1))
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current or not lines:
        lines.append(current)
    return lines
