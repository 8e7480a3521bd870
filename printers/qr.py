"""QR codes: the matrix the raster and PDF renderers share, and the SVG the kiosk's and the booking page's
screens show (one generator, so the screen's code and the slip's are the same)."""

from __future__ import annotations

from functools import lru_cache

import qrcode
from qrcode.constants import ERROR_CORRECT_M


@lru_cache(maxsize=256)
def qr_matrix(payload: str) -> tuple[tuple[bool, ...], ...]:
    """Dark-module matrix (row-major, no quiet zone) of a QR code with error correction M."""
    code = qrcode.QRCode(border=0, error_correction=ERROR_CORRECT_M)
    code.add_data(payload)
    code.make(fit=True)
    return tuple(tuple(bool(cell) for cell in row) for row in code.get_matrix())


@lru_cache(maxsize=128)
def qr_svg(payload: str, border: int = 4) -> str:
    """An SVG of ``payload`` (crisp at any size, no image library): one path of horizontal runs of dark
    modules, with a quiet zone of ``border`` modules."""
    matrix = qr_matrix(payload)
    size = len(matrix) + 2 * border
    runs: list[str] = []
    for y, row in enumerate(matrix):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                runs.append(f"M{start + border} {y + border}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" shape-rendering="crispEdges">'
            f'<rect width="{size}" height="{size}" fill="#fff"/><path fill="#000" d="{"".join(runs)}"/></svg>')
