"""Printer URL parsing."""

from __future__ import annotations

import pytest

from printers import PrinterConfigError, parse_printer_url


def test_tcp() -> None:
    cfg = parse_printer_url("tcp://192.0.2.10:9100?profile=TM-T20II&mode=text")
    assert (cfg.scheme, cfg.host, cfg.port, cfg.profile, cfg.mode) == ("tcp", "192.0.2.10", 9100, "TM-T20II", "text")
    assert (cfg.codec, cfg.codepage_table, cfg.width_px) == ("cp1251", 46, 576)
    assert parse_printer_url("tcp://printer.local").port == 9100


def test_unknown_printer_defaults_to_image_mode() -> None:
    cfg = parse_printer_url("tcp://192.0.2.10:9100")
    assert cfg.mode == "image" and cfg.width_px == 576


def test_known_profile_with_ukrainian_table_defaults_to_text_mode() -> None:
    assert parse_printer_url("tcp://h:9100?profile=TM-T88V").mode == "text"
    assert parse_printer_url("tcp://h:9100?profile=TM-T88IV").mode == "image"  # no CP1251/CP1125 table


def test_usb_serial_file_cups_sinks_dummy() -> None:
    usb = parse_printer_url("usb://04b8:0e15?width=58")
    assert (usb.vendor_id, usb.product_id, usb.width_px) == (0x04B8, 0x0E15, 384)
    serial = parse_printer_url("serial:///dev/ttyUSB0?baudrate=19200")
    assert (serial.path, serial.baudrate) == ("/dev/ttyUSB0", 19200)
    assert parse_printer_url("file:///dev/usb/lp0?codepage=cp1125").codepage_table == 44
    assert parse_printer_url("cups://Kiosk_Printer-1").queue == "Kiosk_Printer-1"
    pdf = parse_printer_url("pdf:///var/tickets?width=58")
    assert (pdf.scheme, pdf.path, pdf.width_mm) == ("pdf", "/var/tickets", 58)
    assert parse_printer_url("png:///tmp/p").width_px == 576
    assert parse_printer_url("dummy://").scheme == "dummy"
    assert parse_printer_url("dummy://?mode=text&codepage=cp1251:73").codepage_table == 73


@pytest.mark.parametrize(
    "url",
    [
        "",
        "192.0.2.10:9100",
        "http://printer",
        "tcp://",
        "tcp://host:notaport",
        "tcp://host:70000",
        "tcp://host:9100/path",
        "usb://04b8",
        "usb://zz:01",
        "serial://dev/ttyUSB0",
        "serial:///dev/ttyUSB0?baudrate=fast",
        "file://relative/path",
        "cups://bad queue",
        "pdf:///",
        "png:///tmp?mode=text",
        "tcp://h?mode=fancy",
        "tcp://h?width=72",
        "tcp://h?profile=NoSuchPrinter",
        "tcp://h?codepage=cp866",
        "tcp://h?codepage=cp1251:999",
        "tcp://h?mod=text",
        "tcp://h?mode=text&mode=image",
        "tcp://h?profile=TM-T88IV&mode=text",
        "dummy://host",
    ],
)
def test_bad_urls_raise_printer_config_error(url: str) -> None:
    with pytest.raises(PrinterConfigError) as info:
        parse_printer_url(url)
    assert isinstance(info.value, ValueError)
    assert "invalid printer URL" in str(info.value)
