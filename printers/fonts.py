"""Bundled DejaVu fonts: paths and cached Pillow font objects.

Printing Cyrillic with a fallback font silently yields boxes, so a missing font is an error.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

FONT_DIR = Path(__file__).resolve().parent / "fonts"
REGULAR = "DejaVuSans.ttf"
BOLD = "DejaVuSans-Bold.ttf"


class FontMissingError(RuntimeError):
    """A bundled TTF is absent or unreadable; tickets cannot be rendered safely."""


def font_path(bold: bool = False) -> Path:
    """Path of the bundled regular or bold font; raises FontMissingError if it is missing."""
    path = FONT_DIR / (BOLD if bold else REGULAR)
    if not path.is_file():
        raise FontMissingError(
            f"bundled font {path} is missing; reinstall the printers package "
            "(fonts-dejavu-core: DejaVuSans.ttf, DejaVuSans-Bold.ttf)"
        )
    return path


@lru_cache(maxsize=64)
def pil_font(size_px: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    """A Pillow TrueType font of the bundled face at ``size_px`` pixels."""
    path = font_path(bold)
    try:
        return ImageFont.truetype(str(path), size_px)
    except OSError as exc:  # corrupt file
        raise FontMissingError(f"cannot load bundled font {path}: {exc}") from exc
