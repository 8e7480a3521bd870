"""TicketPrinter implementations: ESC/POS devices and PDF/PNG file sinks."""

from __future__ import annotations

import logging
import os
import re
import tempfile
from datetime import datetime
from pathlib import Path

from printers.config import PrinterConfig
from printers.connectors import PrinterIOError, Transport, describe, open_transport
from printers.escpos_backend import render_escpos
from printers.layout import build_layout
from printers.pdf_backend import render_pdf_layout
from printers.png_backend import image_to_png, render_image
from printers.status import (
    DLE_EOT_PAPER,
    DLE_EOT_PRINTER,
    GS_R_PAPER,
    PrinterStatus,
    decode_gs_r_paper,
    decode_online,
    decode_paper,
    paper_level,
)
from reception.kernel.ports import PrintOutcome, TicketSlip

log = logging.getLogger(__name__)


class EscposPrinter:
    """Renders a slip to one ESC/POS job and sends it in one go; faults become PrintOutcome(ok=False)."""

    def __init__(self, config: PrinterConfig, transport: Transport | None = None) -> None:
        self.config = config
        self.transport = transport or open_transport(config)

    @property
    def name(self) -> str:
        return self.config.url

    def render(self, slip: TicketSlip) -> bytes:
        """The ESC/POS bytes for ``slip`` (no I/O)."""
        return render_escpos(build_layout(slip), self.config)

    def print_slip(self, slip: TicketSlip) -> PrintOutcome:
        try:
            job = self.render(slip)
        except Exception as exc:  # a rendering bug must not crash the kiosk either
            log.exception("rendering ticket %s for %s failed", slip.code, self.name)
            return PrintOutcome(ok=False, printer=self.name, error=f"render: {describe(exc)}")
        try:
            self.transport.send(job)
        except PrinterIOError as exc:
            return PrintOutcome(ok=False, printer=self.name, error=str(exc), retryable=exc.retryable)
        except Exception as exc:  # defensive: transports should only raise PrinterIOError
            return PrintOutcome(ok=False, printer=self.name, error=describe(exc))
        return PrintOutcome(ok=True, printer=self.name)

    def status(self) -> PrinterStatus:
        """Ask the device (DLE EOT 1 and 4); silence is "unknown", never "ok"."""
        try:
            online, paper = self.transport.query([DLE_EOT_PRINTER, DLE_EOT_PAPER])
        except PrinterIOError as exc:
            return PrinterStatus(online=False, paper="unknown", error=str(exc))
        except Exception as exc:
            return PrinterStatus(online=None, paper="unknown", error=describe(exc))
        state = decode_online(online)
        level = decode_paper(paper)
        if state is True and level == "unknown":  # online, but its real-time paper answer says nothing: GS r 1
            try:
                level = decode_gs_r_paper(self.transport.query([GS_R_PAPER])[0])
            except Exception:  # a second question the printer does not answer is still "unknown"
                level = "unknown"
        return PrinterStatus(online=state, paper=level)

    def paper_status(self) -> int | None:
        """The paper sensor in python-escpos's numbers (``paper_status()``: 2 adequate, 1 near end, 0 out),
        but None where the printer does not answer (python-escpos says 2 then)."""
        return paper_level(self.status().paper)


def _safe_name(code: str) -> str:
    return re.sub(r"[^\w\-]+", "_", code, flags=re.UNICODE).strip("_") or "ticket"


class FileSinkPrinter:
    """``pdf:///dir`` / ``png:///dir``: writes ``<code>_<YYYYmmdd-HHMMSS-ffffff>.<ext>`` atomically."""

    def __init__(self, config: PrinterConfig) -> None:
        self.config = config
        self.directory = Path(config.path or ".")

    @property
    def name(self) -> str:
        return self.config.url

    def render(self, slip: TicketSlip) -> bytes:
        layout = build_layout(slip)
        if self.config.scheme == "pdf":
            return render_pdf_layout(layout, self.config.width_mm)
        return image_to_png(render_image(layout, self.config.width_px))

    def print_slip(self, slip: TicketSlip) -> PrintOutcome:
        try:
            data = self.render(slip)
        except Exception as exc:
            log.exception("rendering ticket %s for %s failed", slip.code, self.name)
            return PrintOutcome(ok=False, printer=self.name, error=f"render: {describe(exc)}")
        stamp = datetime.now().astimezone().strftime("%Y%m%d-%H%M%S-%f")
        target = self.directory / f"{_safe_name(slip.code)}_{stamp}.{self.config.scheme}"
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".tmp-", suffix=target.suffix)
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as exc:
            return PrintOutcome(ok=False, printer=self.name, error=f"write {target}: {describe(exc)}")
        return PrintOutcome(ok=True, printer=self.name)

    def status(self) -> PrinterStatus:
        """Online when the directory exists and is writable (a file sink has no paper to run out)."""
        writable = self.directory.is_dir() and os.access(self.directory, os.W_OK | os.X_OK)
        return PrinterStatus(online=writable, paper="ok" if writable else "unknown",
                             error=None if writable else f"{self.directory} is not a writable directory")
