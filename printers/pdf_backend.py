"""PDF tickets (80 mm / 58 mm roll width) with reportlab and the bundled DejaVu TTF.

Helvetica has no Cyrillic glyphs and reportlab would draw black boxes without an error, so only the
registered DejaVu faces are used, and a missing font file raises FontMissingError.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from printers.fonts import font_path
from printers.layout import QR, Line, Rule, TicketLayout, wrap_text
from printers.qr import qr_matrix

REGULAR, BOLD = "ReceptionDejaVuSans", "ReceptionDejaVuSans-Bold"
BODY_PT = 9.0
MARGIN_MM = {80: 4.0, 58: 5.0}
_lock = threading.Lock()


def _fits_in(width: float, font: str, size: float) -> Callable[[str], bool]:
    """Whether a row of text fits the ticket's width in this font and size."""
    return lambda text: pdfmetrics.stringWidth(text, font, size) <= width


def register_fonts() -> None:
    """Register the bundled TTFs with reportlab (idempotent, thread-safe)."""
    with _lock:
        registered = pdfmetrics.getRegisteredFontNames()
        for name, bold in ((REGULAR, False), (BOLD, True)):
            if name not in registered:
                pdfmetrics.registerFont(TTFont(name, str(font_path(bold))))


def _size_for(line: Line, max_width: float) -> float:
    size = BODY_PT * line.size
    font = BOLD if line.bold else REGULAR
    while not line.wrap and size > BODY_PT and pdfmetrics.stringWidth(line.text, font, size) > max_width:
        size -= 1
    return size


def render_pdf_layout(layout: TicketLayout, width_mm: int = 80) -> bytes:
    """A one-page PDF ticket ``width_mm`` wide and as tall as its content."""
    if width_mm not in MARGIN_MM:
        raise ValueError(f"width_mm must be 80 or 58, got {width_mm}")
    register_fonts()
    page_w, margin = width_mm * mm, MARGIN_MM[width_mm] * mm
    inner = page_w - 2 * margin
    ops: list[tuple[str, float, Any]] = []
    for block in layout.blocks:
        if isinstance(block, Line):
            size, font = _size_for(block, inner), BOLD if block.bold else REGULAR
            rows = wrap_text(block.text, _fits_in(inner, font, size)) if block.wrap else [block.text]
            ops.extend(("text", size * 1.3, (row, font, size, block.align)) for row in rows)
        elif isinstance(block, Rule):
            ops.append(("rule", BODY_PT, None))
        elif isinstance(block, QR):
            matrix = qr_matrix(block.payload)
            side = min(inner * 0.6, 40 * mm)
            ops.append(("qr", side + 4 * mm, (matrix, side)))
    page_h = sum(h for _, h, _ in ops) + 2 * margin
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(page_w, page_h), pageCompression=1, initialFontName=REGULAR,
               initialFontSize=BODY_PT)
    c.setTitle(f"Ticket {layout.code}")
    y = page_h - margin
    for kind, h, data in ops:
        if kind == "text":
            row, font, size, align = data
            c.setFont(font, size)
            baseline = y - size
            if align == "left":
                c.drawString(margin, baseline, row)
            elif align == "right":
                c.drawRightString(page_w - margin, baseline, row)
            else:
                c.drawCentredString(page_w / 2, baseline, row)
        elif kind == "rule":
            c.setLineWidth(0.7)
            c.line(margin, y - h / 2, page_w - margin, y - h / 2)
        else:
            matrix, side = data
            module = side / len(matrix)
            x0, top = (page_w - side) / 2, y - 2 * mm
            for r, cells in enumerate(matrix):
                c_idx = 0
                while c_idx < len(cells):  # one rectangle per horizontal run of dark modules
                    if not cells[c_idx]:
                        c_idx += 1
                        continue
                    start = c_idx
                    while c_idx < len(cells) and cells[c_idx]:
                        c_idx += 1
                    c.rect(x0 + start * module, top - (r + 1) * module, (c_idx - start) * module, module,
                           stroke=0, fill=1)
        y -= h
    c.showPage()
    c.save()
    return buf.getvalue()
