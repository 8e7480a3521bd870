"""Layout and text normalisation."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from printers import normalize_text, sample_slip
from printers.layout import HUGE, QR, Line, build_layout, wrap_text


def test_normalize_maps_typography_to_ascii_and_keeps_letters() -> None:
    assert normalize_text("п’ять, пʼять «Мін’юст» – так — ні…") == "п'ять, п'ять \"Мін'юст\" - так - ні..."
    assert normalize_text("ІіЇїЄєҐґ") == "ІіЇїЄєҐґ"
    assert normalize_text("и\u0306") == "й"  # decomposed й is composed (code pages hold only the composed one)
    assert normalize_text(" a\u00a0\u00a0b\tc\x1b@ ") == "a b c @"


def test_layout_order_and_sizes() -> None:
    slip = sample_slip(now=datetime(2025, 3, 14, 9, 41, tzinfo=ZoneInfo("Europe/Kyiv")))
    layout = build_layout(slip)
    texts = layout.texts()
    assert texts[0] == "Відкритий офіс Міністерства юстиції України"
    code = next(b for b in layout.blocks if isinstance(b, Line) and b.text == "А-017")
    assert code.size == HUGE and code.bold and not code.wrap
    assert "Перед вами: 4" in texts
    assert "Орієнтовне очікування: ~18 хв" in texts
    assert "Видано: 14.03.2025 09:41" in texts
    assert [b.payload for b in layout.blocks if isinstance(b, QR)] == ["https://queue.example.gov.ua/t/7Hq2mXw9Lc"]
    assert layout.qr_payload == "https://queue.example.gov.ua/t/7Hq2mXw9Lc"
    assert any("п'ять" in t for t in texts)


def test_optional_fields_are_omitted_and_labels_fall_back() -> None:
    slip = replace(sample_slip("en"), people_ahead=None, eta_min=None, priority_label=None,
                   appointment_label=None, note=None, labels={}, status_url="")
    layout = build_layout(slip)
    texts = layout.texts()
    assert not any(t.startswith(("People ahead", "Estimated")) for t in texts)
    assert layout.qr_payload is None and not any(isinstance(b, QR) for b in layout.blocks)
    assert any(t.startswith("Issued: ") for t in texts)


def test_zero_people_ahead_is_said_in_words() -> None:
    texts = build_layout(replace(sample_slip(), people_ahead=0)).texts()
    assert "Перед вами: нікого" in texts and "Перед вами: 0" not in texts
    assert "People ahead of you: nobody" in build_layout(replace(sample_slip("en"), people_ahead=0, labels={})).texts()


def test_the_qr_hint_asks_to_scan_in_the_perfective() -> None:
    """«Відскануйте», a request to do it once, not «Скануйте»."""
    assert "Відскануйте, щоб стежити за чергою" in build_layout(replace(sample_slip(), labels={})).texts()


def test_wrap_text() -> None:
    fits = lambda s: len(s) <= 6  # noqa: E731
    assert wrap_text("один два три", fits) == ["один", "два", "три"]
    assert wrap_text("ab cd ef", fits) == ["ab cd", "ef"]
    assert wrap_text("абвгґдеєжз", fits) == ["абвгґд", "еєжз"]
    assert wrap_text("", fits) == [""]
