"""Status decoding and printers that stay silent."""

from __future__ import annotations

from printers import EscposPrinter, parse_printer_url
from printers.status import decode_online, decode_paper


def test_silence_is_unknown_never_ok() -> None:
    for answer in (None, b"", b"\xff", b"\x00"):
        assert decode_paper(answer) == "unknown"
        assert decode_online(answer) is None


def test_status_bytes() -> None:
    assert decode_online(b"\x12") is True
    assert decode_online(b"\x1a") is False
    assert decode_paper(b"\x12") == "ok"
    assert decode_paper(b"\x1e") == "near_end"
    assert decode_paper(b"\x72") == "out"
    assert decode_paper(b"\x7e") == "out"


class AnsweringTransport:
    def __init__(self, answers):
        self.answers = answers

    def send(self, job: bytes) -> None:
        pass

    def query(self, requests):
        return self.answers


def test_printer_status_from_answers() -> None:
    cfg = parse_printer_url("dummy://")
    assert EscposPrinter(cfg, AnsweringTransport([b"\x12", b"\x1e"])).status().paper == "near_end"
    silent = EscposPrinter(cfg, AnsweringTransport([None, None])).status()
    assert silent.online is None and silent.paper == "unknown"
    default = EscposPrinter(cfg).status()
    assert default.paper == "unknown"


def test_gs_r_paper_sensor_bytes_and_python_escpos_levels() -> None:
    from printers.status import decode_gs_r_paper, paper_level

    assert [decode_gs_r_paper(b) for b in (b"\x00", b"\x01", b"\x03", b"\x04", b"\x0f")] == [
        "ok", "near_end", "near_end", "out", "out"]
    for silent in (None, b"", b"\x10", b"\x80"):  # silence, or a byte without its fixed zero bits
        assert decode_gs_r_paper(silent) == "unknown"
    assert [paper_level(p) for p in ("ok", "near_end", "out", "unknown")] == [2, 1, 0, None]
