"""A priority slip says "Пріоритетний талон" and never the category (a disability, a title):
people leave their tickets behind."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from pypdf import PdfReader

from printers import parse_printer_url, render_pdf, sample_slip
from printers.escpos_backend import render_escpos
from printers.layout import build_layout

CATEGORIES = {"uk": ["Пріоритет: Герой України", "Особа з інвалідністю або її супровідник"],
              "en": ["Priority: Hero of Ukraine", "Person with a disability or their companion"]}
SAYS = {"uk": "Пріоритетний талон", "en": "Priority ticket"}


@pytest.mark.parametrize("lang", ["uk", "en"])
@pytest.mark.parametrize("category", [0, 1])
def test_escpos_text_says_priority_and_not_the_category(lang: str, category: int) -> None:
    slip = replace(sample_slip(lang), priority_label=CATEGORIES[lang][category])
    job = render_escpos(build_layout(slip), parse_printer_url("dummy://?mode=text"))
    assert SAYS[lang].encode("cp1251") in job
    for word in ("Герой", "Hero", "інвалідн", "disability"):
        assert word.encode("cp1251") not in job


@pytest.mark.parametrize("lang", ["uk", "en"])
def test_pdf_text_says_priority_and_not_the_category(lang: str) -> None:
    slip = replace(sample_slip(lang), priority_label=CATEGORIES[lang][0])
    text = " ".join(PdfReader(io.BytesIO(render_pdf(slip, width_mm=80))).pages[0].extract_text().split())
    assert SAYS[lang] in text
    assert "Герой" not in text and "Hero" not in text and "інвалідн" not in text and "disability" not in text


def test_a_regular_slip_says_nothing_about_priority() -> None:
    texts = build_layout(replace(sample_slip(), priority_label=None)).texts()
    assert not any("Пріоритет" in t for t in texts)
