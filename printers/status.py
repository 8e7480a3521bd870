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
# GS r 1: the paper sensor again, answered in turn (not real time) by printers whose DLE EOT 4 says nothing
# useful; bits 0,1 = near end, bits 2,3 = paper end, bits 4 and 7 always 0.
GS_R_PAPER = b"\x1d\x72\x01"
# python-escpos's ``paper_status()`` numbers: 2 adequate, 1 near end, 0 none (and here None: cannot say).
PAPER_LEVEL = {"ok": 2, "near_end": 1, "out": 0}


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


def decode_gs_r_paper(answer: bytes | None) -> Paper:
    """The answer to GS r 1; silence or a byte without its fixed bits is "unknown"."""
    if not answer:
        return "unknown"
    byte = answer[-1]
    if byte & 0x90:
        return "unknown"
    if byte & 0x0C:
        return "out"
    if byte & 0x03:
        return "near_end"
    return "ok"


def paper_level(paper: Paper) -> int | None:
    """:data:`PAPER_LEVEL` of a decoded paper state: python-escpos's 2/1/0, None where the printer did not say."""
    return PAPER_LEVEL.get(paper)
