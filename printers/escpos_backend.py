"""ESC/POS job rendering through python-escpos (into a Dummy printer; connectors send the bytes).

Text mode selects a fixed code page with ``ESC t n`` and sends text encoded here with the Python
codec.  python-escpos's ``text()``/magic encode is never used: it silently prints '?' for І і Ї ї Є є
Ґ ґ on many profiles.  Image mode sends the ticket as a ``GS v 0`` raster of the shared renderer.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from escpos.constants import ESC, GS, HW_INIT
from escpos.printer import Dummy
from PIL import Image

from printers.config import PrinterConfig
from printers.layout import QR, Line, Rule, TicketLayout, wrap_text
from printers.png_backend import render_image
from printers.qr import qr_matrix

FONT_A_DOTS = 12  # Font A cell width; columns = width_px // 12 (48 at 576, 42 at 512, 32 at 384)
RASTER_BAND = 960  # rows per GS v 0 command, as python-escpos does
_INVERT = bytes(255 - i for i in range(256))  # Pillow "1": 1 = white; ESC/POS raster: 1 = black


def _fits_columns(per_row: int) -> Callable[[str], bool]:
    return lambda text: len(text) <= per_row


def encode_text(text: str, codec: str) -> bytes:
    """Encode for the printer's code page; a character the page lacks becomes its base letter, else '?'."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode(codec)
        except UnicodeEncodeError:
            base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
            out += base.encode(codec, errors="replace") if base else b"?"
    return bytes(out)


def raster_commands(image: Image.Image, band: int = RASTER_BAND) -> bytes:
    """``GS v 0`` commands (normal density) for a mode-"1" image, in bands of ``band`` rows."""
    if image.mode != "1":
        image = image.convert("1")
    width_bytes = (image.width + 7) // 8
    out = bytearray()
    for top in range(0, image.height, band):
        part = image.crop((0, top, image.width, min(top + band, image.height)))
        out += GS + b"v0\x00" + width_bytes.to_bytes(2, "little") + part.height.to_bytes(2, "little")
        out += part.tobytes().translate(_INVERT)
    return bytes(out)


def _qr_image(payload: str, width_px: int) -> Image.Image:
    matrix = qr_matrix(payload)
    module = max(3, min(8, (width_px // 2) // (len(matrix) + 4)))
    side = len(matrix) * module
    image = Image.new("1", (width_px, side + 2 * module), 1)
    x0 = (width_px - side) // 2
    for r, cells in enumerate(matrix):
        for c, dark in enumerate(cells):
            if dark:
                image.paste(0, (x0 + c * module, module + r * module,
                                x0 + (c + 1) * module, module + (r + 1) * module))
    return image


def _text_job(p: Dummy, layout: TicketLayout, cfg: PrinterConfig) -> None:
    assert cfg.codepage_table is not None
    columns = cfg.width_px // FONT_A_DOTS
    p._raw(ESC + b"t" + bytes((cfg.codepage_table,)))
    for block in layout.blocks:
        if isinstance(block, Rule):
            p.set(align="left", bold=False, custom_size=True, width=1, height=1)
            p._raw(b"-" * columns + b"\n")
        elif isinstance(block, QR):
            p.set(align="center", bold=False, custom_size=True, width=1, height=1)
            if cfg.native_qr:
                p.qr(block.payload, size=6 if cfg.width_px >= 512 else 5, native=True)
                p._raw(b"\n")
            else:
                p._raw(raster_commands(_qr_image(block.payload, cfg.width_px)))
        elif isinstance(block, Line):
            size = block.size
            while size > 1 and len(block.text) * size > columns:
                size -= 1
            p.set(align=block.align, bold=block.bold, custom_size=True, width=size, height=size)
            rows = wrap_text(block.text, _fits_columns(columns // size)) if block.wrap else [block.text]
            for row in rows:
                p._raw(encode_text(row, cfg.codec) + b"\n")
    p.set(align="left", bold=False, custom_size=True, width=1, height=1)


def render_escpos(layout: TicketLayout, cfg: PrinterConfig) -> bytes:
    """The complete ESC/POS job (init, ticket, feed and cut) for ``cfg.mode`` and ``cfg.profile``."""
    p = Dummy(profile=cfg.profile)
    p._raw(HW_INIT)
    if cfg.mode == "text":
        _text_job(p, layout, cfg)
    else:
        p._raw(raster_commands(render_image(layout, cfg.width_px)))
    p.cut()
    return p.output
