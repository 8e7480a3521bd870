"""ESC/POS rendering: code page bytes in text mode, GS v 0 raster in image mode."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from escpos.printer import Dummy

from printers import EscposPrinter, open_printer, parse_printer_url, sample_slip
from printers.escpos_backend import encode_text, raster_commands, render_escpos
from printers.layout import build_layout
from reception.kernel.ports import TicketSlip

UPPER = "АБВГҐДЕЄЖЗИІЇЙКЛМНОПРСТУФХЦЧШЩЬЮЯ"
LOWER = "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя"
TRICKY = "ІіЇїЄєҐґ"


def alphabet_slip() -> TicketSlip:
    return TicketSlip(
        office_name=UPPER,
        service_name=LOWER,
        code="Ї-001",
        issued_at=datetime(2025, 3, 14, 9, 41, tzinfo=ZoneInfo("Europe/Kyiv")),
        people_ahead=2,
        eta_min=5,
        status_url="https://queue.example.gov.ua/t/abc",
        note="п’ять м’ячів, ґава, їжак, єнот, Іван",
    )


def text_lines(job: bytes) -> list[bytes]:
    """Printable text of a text-mode job, split at LF, with every command the backend emits removed."""
    out, pos = bytearray(), 0
    fixed = {b"\x1b@": 2, b"\x1bt": 3, b"\x1d!": 3, b"\x1bE": 3, b"\x1ba": 3, b"\x1bd": 3}
    while pos < len(job):
        head = job[pos : pos + 2]
        if head in fixed:
            pos += fixed[head]
        elif head == b"\x1d(":  # GS ( k pL pH data
            pos += 5 + job[pos + 3] + 256 * job[pos + 4]
        elif job[pos : pos + 3] == b"\x1dv0":  # GS v 0 m xL xH yL yH data
            pos += 8 + (job[pos + 4] + 256 * job[pos + 5]) * (job[pos + 6] + 256 * job[pos + 7])
        elif head == b"\x1dV":  # GS V m [n]
            pos += 4 if job[pos + 2] in (65, 66) else 3
        else:
            assert job[pos] >= 0x20 or job[pos] == 0x0A, f"unexpected control byte at {pos}: {job[pos:pos + 4]!r}"
            out.append(job[pos])
            pos += 1
    return bytes(out).split(b"\n")


@pytest.mark.parametrize(
    ("url", "codec", "table"),
    [
        ("dummy://?mode=text", "cp1251", 46),
        ("dummy://?profile=TM-T88V", "cp1251", 46),
        ("dummy://?profile=TM-T20II&codepage=cp1125", "cp1125", 44),
        ("dummy://?profile=NT-5890K", "cp1251", 73),
        ("dummy://?profile=KR-306", "cp1251", 51),
        ("dummy://?profile=TM-T88IV&mode=text&codepage=cp1251:46", "cp1251", 46),
    ],
)
def test_every_ukrainian_letter_is_the_code_page_byte_after_esc_t(url: str, codec: str, table: int) -> None:
    cfg = parse_printer_url(url)
    assert cfg.mode == "text"
    job = render_escpos(build_layout(alphabet_slip()), cfg)

    select = b"\x1bt" + bytes([table])
    assert job.startswith(b"\x1b@" + select), "code page must be selected right after ESC @"
    assert job.count(b"\x1bt") == 1, "nothing may switch the code page afterwards"
    lines = text_lines(job)
    text = b"".join(lines)  # narrow paper wraps the 33-letter "words"; rejoin the rows
    assert UPPER.encode(codec) in text
    assert LOWER.encode(codec) in text
    for word in ["п'ять", "м'ячів,", "ґава,", "їжак,", "єнот,", "Іван"]:
        assert word.encode(codec) in text
    assert "Ї-001".encode(codec) in lines  # the code is never wrapped
    for letter in TRICKY:
        assert letter.encode(codec) in job
    # no '?' anywhere in the text: every letter had a byte of its own
    assert b"?" not in text
    assert UPPER in text.decode(codec) and LOWER in text.decode(codec)


def test_encoding_is_not_python_escpos_magic_encode() -> None:
    """The trap the backend avoids: magic encode with a common profile drops І і Ґ ґ to '?'."""
    magic = Dummy(profile="TM-T88IV")
    magic.text(TRICKY + "\n")
    ours = open_printer("dummy://?profile=TM-T88IV&mode=text&codepage=cp1251:46")
    assert isinstance(ours, EscposPrinter)
    job = ours.render(alphabet_slip())
    assert TRICKY.encode("cp1251") not in magic.output  # documented library behaviour we avoid
    assert job.startswith(b"\x1b@\x1bt\x2e") and "Іван".encode("cp1251") in job


def test_encode_text_falls_back_to_base_letter_not_question_mark() -> None:
    assert encode_text("Café Ґ", "cp1251") == "Cafe Ґ".encode("cp1251")
    assert encode_text("ІіЇїЄєҐґ'", "cp1125") == "ІіЇїЄєҐґ'".encode("cp1125")


def test_text_job_has_big_code_native_qr_and_cut() -> None:
    job = render_escpos(build_layout(sample_slip()), parse_printer_url("dummy://?mode=text"))
    assert b"\x1d!\x33" + b"\x1bE\x01\x1ba\x01" + "А-017".encode("cp1251") in job  # 4x4, bold, centred
    assert b"\x1d(k" in job and b"https://queue.example.gov.ua/t/7Hq2mXw9Lc" in job
    assert job.endswith(b"\x1bd\x06\x1dV\x00")  # feed 6 lines, full cut


def test_control_characters_cannot_inject_commands() -> None:
    slip = replace(alphabet_slip(), note="evil\x1b@\x1dV\x00cut")
    job = render_escpos(build_layout(slip), parse_printer_url("dummy://?mode=text"))
    assert b"evil @ V cut" in job


def parse_raster(job: bytes) -> list[tuple[int, int, bytes]]:
    """(width_bytes, height, data) of every GS v 0 command; asserts the job is well formed."""
    out = []
    pos = 0
    while (pos := job.find(b"\x1dv0", pos)) != -1:
        mode, xl, xh, yl, yh = job[pos + 3 : pos + 8]
        assert mode == 0
        width_bytes, height = xl + 256 * xh, yl + 256 * yh
        data = job[pos + 8 : pos + 8 + width_bytes * height]
        assert len(data) == width_bytes * height
        out.append((width_bytes, height, data))
        pos += 8 + len(data)
    return out


@pytest.mark.parametrize(("url", "width_px"), [
    ("dummy://", 576),
    ("dummy://?width=58", 384),
    ("dummy://?profile=TM-T88IV", 512),
    ("dummy://?profile=TM-T88V&mode=image", 512),
])
def test_image_mode_is_gs_v_0_raster_of_configured_width(url: str, width_px: int) -> None:
    cfg = parse_printer_url(url)
    assert cfg.mode == "image" and cfg.width_px == width_px
    job = render_escpos(build_layout(sample_slip()), cfg)
    assert job.startswith(b"\x1b@\x1dv0")
    bands = parse_raster(job)
    assert bands and all(w == width_px // 8 for w, _, _ in bands)
    total = sum(h for _, h, _ in bands)
    assert 400 < total < 3000
    ink = sum(bin(b).count("1") for _, _, d in bands for b in d)
    assert 0.03 < ink / (width_px * total) < 0.5, "raster should be mostly white paper with black ink"
    assert job.endswith(b"\x1dV\x00")


def test_raster_bands_split_tall_images() -> None:
    from PIL import Image

    image = Image.new("1", (64, 2000), 0)  # all black
    bands = parse_raster(raster_commands(image, band=960))
    assert [h for _, h, _ in bands] == [960, 960, 80]
    assert all(set(d) == {0xFF} for _, _, d in bands)
