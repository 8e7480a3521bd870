"""PDF and PNG tickets."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import DictionaryObject
from reportlab.lib.units import mm

import printers.fonts
from printers import FontMissingError, open_printer, render_pdf, render_png, sample_slip
from printers.fonts import pil_font

STRINGS = [
    "Відкритий офіс Міністерства юстиції України",
    "А-017",
    "Пріоритетний талон",
    "Перед вами: 4",
    "Орієнтовне очікування: ~18 хв",
    "Відскануйте, щоб стежити за чергою",
]


@pytest.mark.parametrize("width_mm", [80, 58])
def test_pdf_text_is_exact_ukrainian(width_mm: int) -> None:
    data = render_pdf(sample_slip(), width_mm=width_mm)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    page = reader.pages[0]
    assert float(page.mediabox.width) == pytest.approx(width_mm * mm)
    text = page.extract_text()
    flat = " ".join(text.split())
    for s in STRINGS:  # exact strings; wrapped rows are rejoined with single spaces
        assert s in flat, s
    assert "А-017" in text.splitlines()
    for word in ["Її", "їжак", "Ґудзик", "ІЄЇ", "п'ять"]:
        assert word in flat
    resources = page["/Resources"]
    assert isinstance(resources, DictionaryObject)
    font_objects = resources["/Font"]
    assert isinstance(font_objects, DictionaryObject)
    fonts = {str(f) for f in font_objects.values()}
    assert fonts and all("Helvetica" not in str(f.get_object()) for f in font_objects.values())


@pytest.mark.parametrize("width_px", [576, 512, 384])
def test_png_decodes_with_the_right_width(width_px: int) -> None:
    image = Image.open(io.BytesIO(render_png(sample_slip(), width_px=width_px)))
    assert image.format == "PNG" and image.mode == "1"
    assert image.width == width_px and image.height > 600


def test_png_and_pdf_sinks_write_named_files(tmp_path) -> None:
    for scheme in ("png", "pdf"):
        out = tmp_path / scheme
        printer = open_printer(f"{scheme}://{out}?width=58")
        assert printer.print_slip(sample_slip()).ok
        files = list(out.iterdir())
        assert len(files) == 1 and files[0].name.startswith("А-017_") and files[0].suffix == f".{scheme}"
        assert printer.status().online is True


def test_sink_write_failure_is_an_outcome_not_an_exception(tmp_path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    outcome = open_printer(f"png://{blocker}/sub").print_slip(sample_slip())
    assert not outcome.ok and outcome.error


def test_missing_font_fails_loudly(monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(printers.fonts, "FONT_DIR", tmp_path)
    pil_font.cache_clear()
    try:
        with pytest.raises(FontMissingError, match="DejaVuSans"):
            render_png(sample_slip())
        with pytest.raises(FontMissingError):
            printers.fonts.font_path(bold=True)
    finally:
        pil_font.cache_clear()


def test_font_licence_is_bundled() -> None:
    licence = (printers.fonts.FONT_DIR / "LICENSE").read_text()
    assert "Bitstream" in licence and "DejaVu" in licence
