"""Ticket printing: ESC/POS (text or image mode), PDF and PNG, behind reception.kernel.ports.TicketPrinter.

Imports nothing from Flask or the database; the only core import is ``reception.kernel.ports``.
"""

from __future__ import annotations

from printers.config import PrinterConfig, PrinterConfigError, parse_printer_url
from printers.connectors import PrinterIOError
from printers.fonts import FontMissingError
from printers.layout import build_layout, normalize_text
from printers.pdf_backend import render_pdf_layout
from printers.png_backend import image_to_png, render_image
from printers.printer import EscposPrinter, FileSinkPrinter
from printers.sample import sample_slip
from printers.spool import PrintSpool, SpoolRegistry
from printers.status import PrinterStatus
from reception.kernel.ports import TicketSlip

__all__ = [
    "EscposPrinter",
    "FileSinkPrinter",
    "FontMissingError",
    "PrintSpool",
    "PrinterConfig",
    "PrinterConfigError",
    "PrinterIOError",
    "PrinterStatus",
    "SpoolRegistry",
    "normalize_text",
    "open_printer",
    "parse_printer_url",
    "render_pdf",
    "render_png",
    "sample_slip",
]


def open_printer(url: str) -> EscposPrinter | FileSinkPrinter:
    """A TicketPrinter (with ``print_slip`` and ``status``) for a printer URL.

    Raises PrinterConfigError for a bad URL; performs no I/O, so an absent device is reported by
    ``print_slip``/``status``, never here.
    """
    config = parse_printer_url(url)
    if config.scheme in ("pdf", "png"):
        return FileSinkPrinter(config)
    return EscposPrinter(config)


def render_png(slip: TicketSlip, width_px: int = 576) -> bytes:
    """PNG (1-bit, exactly ``width_px`` wide) of the ticket, as printed in image mode."""
    return image_to_png(render_image(build_layout(slip), width_px))


def render_pdf(slip: TicketSlip, width_mm: int = 80) -> bytes:
    """PDF ticket, 80 or 58 mm wide, with embedded DejaVu Sans."""
    return render_pdf_layout(build_layout(slip), width_mm)
