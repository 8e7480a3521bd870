"""Printer status and the decoding of ESC/POS real-time status bytes (DLE EOT n).

python-escpos's ``paper_status()`` answers "paper adequate" when the printer says nothing; here
silence, an empty or malformed answer is "unknown", never "ok".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Paper = Literal["ok", "near_end", "out", "unknown"]
DLE_EOT_PRINTER = b"\x10\x04\x01"  # printer status: bit 3 = offline
DLE_EOT_PAPER = b"\x10\x04\x04"  # roll paper sensor: bits 2,3 = near end; bits 5,6 = paper end


@dataclass(frozen=True)
class PrinterStatus:
    online: bool | None  # None: the device did not say
    paper: Paper
    error: str | None = None


def _valid(answer: bytes | None) -> int | None:
    """The status byte if it has the fixed bits of a DLE EOT answer (0xx1xx10), else None."""
    if not answer or len(answer) < 1:
        return None
    byte = answer[-1]
    return byte if byte & 0x93 == 0x12 else None


def decode_online(answer: bytes | None) -> bool | None:
    byte = _valid(answer)
    return None if byte is None else not byte & 0x08


def decode_paper(answer: bytes | None) -> Paper:
    byte = _valid(answer)
    if byte is None:
        return "unknown"
    if byte & 0x60:
        return "out"
    if byte & 0x0C:
        return "near_end"
    return "ok"
