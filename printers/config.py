"""Printer URLs (the schemes and options below; decision 002) parsed into a validated PrinterConfig."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import parse_qsl, unquote, urlsplit

from escpos.capabilities import NotSupported, get_profile

SCHEMES = ("tcp", "usb", "serial", "file", "cups", "pdf", "png", "dummy")
ESCPOS_SCHEMES = ("tcp", "usb", "serial", "file", "cups", "dummy")
UKRAINIAN = "АБВГҐДЕЄЖЗИІЇЙКЛМНОПРСТУФХЦЧШЩЬЮЯабвгґдеєжзиіїйклмнопрстуфхцчшщьюя'"
CODEPAGES = {"cp1251": "CP1251", "cp1125": "CP1125"}  # python codec -> python-escpos encoding name
WIDTH_PX = {80: 576, 58: 384}
_OPTIONS = {
    "tcp": {"profile", "mode", "codepage", "width", "confirm"},
    "usb": {"profile", "mode", "codepage", "width"},
    "serial": {"profile", "mode", "codepage", "width", "baudrate"},
    "file": {"profile", "mode", "codepage", "width"},
    "cups": {"profile", "mode", "codepage", "width"},
    "dummy": {"profile", "mode", "codepage", "width"},
    "pdf": {"width"},
    "png": {"width"},
}
_QUEUE = re.compile(r"^[A-Za-z0-9_.\-]{1,127}$")


class PrinterConfigError(ValueError):
    """The printer URL is malformed or asks for something the printer cannot do."""


@dataclass(frozen=True)
class PrinterConfig:
    url: str
    scheme: str
    host: str | None = None
    port: int | None = None
    path: str | None = None  # serial/file device, pdf/png output directory
    queue: str | None = None
    vendor_id: int | None = None
    product_id: int | None = None
    baudrate: int = 9600
    profile: str | None = None
    mode: Literal["text", "image"] = "image"
    codec: str = "cp1251"  # Python codec for text mode
    codepage_table: int | None = None  # n of ESC t n
    width_mm: int = 80
    width_px: int = 576
    native_qr: bool = True
    confirm: bool = True  # tcp: the printer must answer a status request after the job (``confirm=0``: never does)


def _fail(url: str, why: str) -> PrinterConfigError:
    return PrinterConfigError(f"invalid printer URL {url!r}: {why}")


def _profile_pixels(profile: object) -> int | None:
    try:
        px = int(profile.profile_data["media"]["width"]["pixels"])  # type: ignore[attr-defined]
    except (KeyError, TypeError, ValueError):
        return None
    return px - px % 8 if px >= 128 else None


def _codepage(url: str, raw: str | None, profile: object) -> tuple[str, int | None]:
    """(codec, ESC t table) from ``codepage=cp1251`` or ``codepage=cp1251:46``; table from the profile."""
    codec, _, table = (raw or "cp1251").lower().partition(":")
    if codec not in CODEPAGES:
        raise _fail(url, f"codepage {codec!r} cannot hold every Ukrainian letter; use one of {sorted(CODEPAGES)}")
    UKRAINIAN.encode(codec)  # self-check: both codecs hold І і Ї ї Є є Ґ ґ
    if table:
        if not table.isdigit() or not 0 <= int(table) <= 255:
            raise _fail(url, f"code page table {table!r} must be 0..255")
        return codec, int(table)
    tables = [int(n) for n, name in profile.codePages.items() if name == CODEPAGES[codec]]  # type: ignore[attr-defined]
    return codec, (min(tables) if tables else None)


def _escpos_options(url: str, cfg: dict[str, object], opts: dict[str, str]) -> None:
    try:
        profile = get_profile(opts.get("profile"))
    except (NotSupported, KeyError) as exc:
        raise _fail(url, f"unknown python-escpos profile {opts.get('profile')!r}") from exc
    codec, table = _codepage(url, opts.get("codepage"), profile)
    mode = opts.get("mode")
    if mode not in (None, "text", "image"):
        raise _fail(url, f"mode must be text or image, not {mode!r}")
    if mode is None:  # unknown printer -> image; known profile with a Ukrainian table -> text
        mode = "text" if table is not None and ("profile" in opts or "codepage" in opts) else "image"
    if mode == "text" and table is None:
        raise _fail(url, f"profile {profile.profile_data['name']!r} has no {CODEPAGES[codec]} table; "
                    f"use mode=image or give the table number, e.g. codepage={codec}:46")
    px = _profile_pixels(profile)
    if px is not None:
        cfg["width_px"] = px
    cfg.update(profile=opts.get("profile"), mode=mode, codec=codec, codepage_table=table,
               native_qr=bool(profile.supports("qrCode")))


def parse_printer_url(url: str) -> PrinterConfig:
    """Parse and validate a printer URL; raises PrinterConfigError with the reason."""
    if not isinstance(url, str) or "://" not in url:
        raise _fail(str(url), "expected SCHEME://..., e.g. tcp://192.0.2.10:9100")
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise _fail(url, f"unknown scheme {scheme!r}; expected one of {', '.join(SCHEMES)}")
    pairs = parse_qsl(parts.query, keep_blank_values=True, strict_parsing=bool(parts.query))
    opts = dict(pairs)
    if len(opts) != len(pairs):
        raise _fail(url, "an option is given twice")
    unknown = set(opts) - _OPTIONS[scheme]
    if unknown:
        raise _fail(url, f"option(s) {', '.join(sorted(unknown))} not supported for {scheme}://")
    cfg: dict[str, object] = {"url": url, "scheme": scheme}
    if "width" in opts:
        if opts["width"] not in ("58", "80"):
            raise _fail(url, f"width must be 58 or 80 (mm), not {opts['width']!r}")
        cfg["width_mm"] = int(opts["width"])
        cfg["width_px"] = WIDTH_PX[int(opts["width"])]
    netloc, path = unquote(parts.netloc), unquote(parts.path)
    if scheme == "tcp":
        try:
            host, port = parts.hostname, parts.port
        except ValueError as exc:
            raise _fail(url, "port must be a number 1..65535") from exc
        if not host:
            raise _fail(url, "host is missing, e.g. tcp://192.0.2.10:9100")
        if path not in ("", "/"):
            raise _fail(url, "tcp:// takes no path")
        cfg.update(host=host, port=port or 9100)
        if opts.get("confirm", "1") not in ("0", "1"):
            raise _fail(url, f"confirm must be 1 (the printer answers status requests) or 0, not {opts['confirm']!r}")
        cfg["confirm"] = opts.get("confirm", "1") == "1"
    elif scheme == "usb":
        m = re.fullmatch(r"(?:0x)?([0-9a-fA-F]{1,4}):(?:0x)?([0-9a-fA-F]{1,4})", netloc)
        if not m or path not in ("", "/"):
            raise _fail(url, "expected usb://VID:PID in hex, e.g. usb://04b8:0202")
        cfg.update(vendor_id=int(m.group(1), 16), product_id=int(m.group(2), 16))
    elif scheme in ("serial", "file", "pdf", "png"):
        if netloc or not path.startswith("/") or path == "/":
            raise _fail(url, f"expected an absolute path, e.g. {scheme}:///var/spool/tickets (three slashes)")
        cfg["path"] = path
        if scheme == "serial" and "baudrate" in opts:
            if not opts["baudrate"].isdigit() or not 300 <= int(opts["baudrate"]) <= 921600:
                raise _fail(url, f"baudrate must be a number 300..921600, not {opts['baudrate']!r}")
            cfg["baudrate"] = int(opts["baudrate"])
    elif scheme == "cups":
        if not _QUEUE.match(netloc) or path not in ("", "/"):
            raise _fail(url, "expected cups://QUEUE (letters, digits, _ . -)")
        cfg["queue"] = netloc
    elif scheme == "dummy" and (netloc or path not in ("", "/")):
        raise _fail(url, "dummy:// takes no host or path")
    if scheme in ESCPOS_SCHEMES:
        user_width = cfg.get("width_px")
        _escpos_options(url, cfg, opts)
        if "profile" not in opts and user_width:
            cfg["width_px"] = user_width
    return PrinterConfig(**cfg)  # type: ignore[arg-type]
