"""1-bit raster rendering of a ticket with the bundled DejaVu font.

The same image is the on-screen PNG preview and the ESC/POS image-mode payload.
"""

from __future__ import annotations

import io
from typing import Any

from PIL import Image, ImageDraw

from printers.fonts import pil_font
from printers.layout import QR, Line, Rule, TicketLayout, wrap_text
from printers.qr import qr_matrix

BODY_PX = 24  # same cell height as ESC/POS Font A (12x24 dots at 203 dpi), whatever the paper width
MARGIN_PX = 8
WIDTHS_PX = (576, 512, 384)


def _fit_size(text: str, size_px: int, bold: bool, max_width: int) -> int:
    """Largest font size <= size_px that draws ``text`` on one line within ``max_width``."""
    while size_px > BODY_PX and pil_font(size_px, bold).getlength(text) > max_width:
        size_px -= 4
    return size_px


def _line_rows(line: Line, max_width: int) -> tuple[int, list[str]]:
    size_px = BODY_PX * line.size
    if not line.wrap:
        size_px = _fit_size(line.text, size_px, line.bold, max_width)
        return size_px, [line.text]
    font = pil_font(size_px, line.bold)
    return size_px, wrap_text(line.text, lambda s: font.getlength(s) <= max_width)


def render_image(layout: TicketLayout, width_px: int = 576) -> Image.Image:
    """The ticket as a mode-"1" Pillow image exactly ``width_px`` wide (white paper, black ink)."""
    if width_px < 128 or width_px % 8:
        raise ValueError(f"width_px must be a multiple of 8 and >= 128, got {width_px}")
    inner = width_px - 2 * MARGIN_PX
    ops: list[tuple[str, int, Any]] = []  # (kind, height, data)
    for block in layout.blocks:
        if isinstance(block, Line):
            size_px, rows = _line_rows(block, inner)
            ascent, descent = pil_font(size_px, block.bold).getmetrics()
            for row in rows:
                ops.append(("text", ascent + descent + size_px // 6, (row, size_px, block)))
        elif isinstance(block, Rule):
            ops.append(("rule", BODY_PX, None))
        elif isinstance(block, QR):
            matrix = qr_matrix(block.payload)
            module = max(3, min(8, (width_px // 2) // (len(matrix) + 4)))
            ops.append(("qr", (len(matrix) + 6) * module, (matrix, module)))
    height = MARGIN_PX * 2 + sum(h for _, h, _ in ops)
    image = Image.new("1", (width_px, height), 1)
    draw = ImageDraw.Draw(image)
    draw.fontmode = "1"
    y = MARGIN_PX
    for kind, h, data in ops:
        if kind == "text":
            row, size_px, line = data
            font = pil_font(size_px, line.bold)
            w = font.getlength(row)
            x = {"left": MARGIN_PX, "right": width_px - MARGIN_PX - w}.get(line.align, (width_px - w) / 2)
            draw.text((x, y), row, font=font, fill=0)
        elif kind == "rule":
            draw.line((MARGIN_PX, y + h // 2, width_px - MARGIN_PX, y + h // 2), fill=0, width=2)
        else:
            matrix, module = data
            x0 = (width_px - len(matrix) * module) // 2
            y0 = y + 3 * module
            for r, cells in enumerate(matrix):
                for c, dark in enumerate(cells):
                    if dark:
                        draw.rectangle((x0 + c * module, y0 + r * module,
                                        x0 + (c + 1) * module - 1, y0 + (r + 1) * module - 1), fill=0)
        y += h
    return image


def image_to_png(image: Image.Image) -> bytes:
    """Encode a Pillow image as PNG bytes."""
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=False)
    return buf.getvalue()
