"""Transports: deliver a finished ESC/POS job to a device with short timeouts.

Every device fault (not found, refused, timeout, reset, missing driver) becomes PrinterIOError
with a short reason; nothing here blocks longer than its timeouts.
"""

from __future__ import annotations

import contextlib
import errno
import os
import select
import socket
import struct
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from typing import Any, Protocol

from escpos.exceptions import DeviceNotFoundError
from escpos.printer import Network, Serial, Usb

from printers.config import PrinterConfig
from printers.status import DLE_EOT_PAPER, DLE_EOT_PRINTER, decode_online, decode_paper

CONNECT_TIMEOUT_S = 3.0
WRITE_TIMEOUT_S = 4.0  # the whole job, sent and acknowledged: a ticket prints in 1-2 s on a working printer
STATUS_TIMEOUT_S = 1.5
CONFIRM_TIMEOUT_S = 1.5  # after a job: the printer's answer to DLE EOT proves it read everything before it
POST_JOB_STATUS_TIMEOUT_S = 0.5  # the same question to a printer known not to answer (confirm=0)
TCP_SNDBUF = 16384  # small send buffer: a stalled printer blocks the write instead of hiding in RAM
_TCP_ESTABLISHED, _TCP_CLOSE_WAIT = 1, 8  # linux/tcp_states.h


class PrinterIOError(Exception):
    """The device could not take the job (or answer) within the timeouts.

    ``retryable`` is False when trying again cannot help or could print the ticket twice: the
    printer stalled, said it cannot print, or took the bytes without confirming them.
    """

    def __init__(self, message: str, *, retryable: bool = True) -> None:
        super().__init__(message)
        self.retryable = retryable


class Transport(Protocol):
    def send(self, job: bytes) -> None: ...

    def query(self, requests: Sequence[bytes]) -> list[bytes | None]:
        """Send each real-time request and read its answer; None where the device stayed silent."""
        ...


def describe(exc: BaseException) -> str:
    """Short, log-friendly reason for a device exception."""
    root = (exc.__cause__ or exc.__context__) if isinstance(exc, DeviceNotFoundError) else exc
    root = root or exc
    if isinstance(root, TimeoutError | socket.timeout):
        return "timed out"
    if isinstance(root, ConnectionRefusedError):
        return "connection refused"
    if isinstance(root, ConnectionResetError | BrokenPipeError):
        return "connection reset by printer"
    if isinstance(root, OSError) and root.errno is not None:
        return f"{errno.errorcode.get(root.errno, root.errno)}: {root.strerror}"
    text = str(root).strip().replace("\n", " ")
    return f"{type(root).__name__}: {text}" if text else type(root).__name__


@contextlib.contextmanager
def device_errors(what: str, *, retryable: bool = True) -> Iterator[None]:
    """Turn any device-layer exception into PrinterIOError("<what>: <reason>")."""
    try:
        yield
    except PrinterIOError:
        raise
    except Exception as exc:  # device libraries raise many types; callers must never see them
        raise PrinterIOError(f"{what}: {describe(exc)}", retryable=retryable) from exc


def _unacked_bytes(sock: socket.socket) -> int | None:
    """Bytes not yet acknowledged by the peer (Linux TIOCOUTQ); None where unsupported."""
    if not sys.platform.startswith("linux"):
        return None
    import fcntl
    import termios

    return struct.unpack("i", fcntl.ioctl(sock.fileno(), termios.TIOCOUTQ, b"\0\0\0\0"))[0]


def _raise_if_broken(sock: socket.socket) -> None:
    """A reset or closed connection fails now, not when a timeout runs out."""
    err = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
    if err:
        raise OSError(err, os.strerror(err))
    if sys.platform.startswith("linux"):
        state = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 1)[0]
        if state not in (_TCP_ESTABLISHED, _TCP_CLOSE_WAIT):
            raise ConnectionResetError(errno.ECONNRESET, "connection closed by printer")


class TcpTransport:
    """Raw TCP (port 9100) via python-escpos Network: connect timeout, one deadline for the
    whole job (every byte sent and acknowledged), then the printer must confirm it read the job.

    A printer can take a ticket into its kernel's buffers without its firmware ever reading it,
    so "all bytes acknowledged" alone proves nothing.  A real-time status request (DLE EOT) sent
    after the job is answered only once everything before it was read, so an answer is the
    confirmation.  ``confirm=False`` (URL ``confirm=0``) is for printers that never answer.
    """

    def __init__(self, host: str, port: int, connect_timeout: float = CONNECT_TIMEOUT_S,
                 write_timeout: float = WRITE_TIMEOUT_S, status_timeout: float = STATUS_TIMEOUT_S,
                 confirm: bool = True, confirm_timeout: float = CONFIRM_TIMEOUT_S) -> None:
        self.host, self.port = host, port
        self.connect_timeout, self.write_timeout, self.status_timeout = connect_timeout, write_timeout, status_timeout
        self.confirm, self.confirm_timeout = confirm, confirm_timeout
        self.what = f"tcp {host}:{port}"

    def _open(self) -> Network:
        net = Network(self.host, self.port, timeout=self.connect_timeout)
        with device_errors(f"{self.what} connect"):
            net.open()
        return net

    def send(self, job: bytes) -> None:
        net = self._open()
        sock: socket.socket = net.device
        try:
            with device_errors(f"{self.what} write"):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, TCP_SNDBUF)
                deadline = time.monotonic() + self.write_timeout
                self._write(sock, job, deadline)
                self._wait_acknowledged(sock, deadline)
            with device_errors(f"{self.what} status", retryable=False):  # the job is in: never print it twice
                answers = _ask(sock, [DLE_EOT_PRINTER, DLE_EOT_PAPER],
                               self.confirm_timeout if self.confirm else POST_JOB_STATUS_TIMEOUT_S)
            _refuse_if_not_printing(answers, self.what)
            if self.confirm and decode_online(answers[0]) is None:
                raise PrinterIOError(f"{self.what}: the printer took the job but did not confirm reading it "
                                     f"(no status answer within {self.confirm_timeout:g}s)", retryable=False)
        finally:
            with contextlib.suppress(Exception):
                net.close()

    def _write(self, sock: socket.socket, job: bytes, deadline: float) -> None:
        """Send every byte before ``deadline``; a printer that stops reading fails here."""
        view = memoryview(job)
        while view:
            left = deadline - time.monotonic()
            if left <= 0:
                raise PrinterIOError(f"{self.what} write: printer stopped reading ({len(job) - len(view)} of "
                                     f"{len(job)} bytes sent in {self.write_timeout:g}s)", retryable=False)
            sock.settimeout(left)
            try:
                view = view[sock.send(view):]
            except TimeoutError:
                continue  # the deadline check above reports it

    def _wait_acknowledged(self, sock: socket.socket, deadline: float) -> None:
        while (pending := _unacked_bytes(sock)) and time.monotonic() < deadline:
            _raise_if_broken(sock)
            time.sleep(0.01)
        _raise_if_broken(sock)
        if pending:
            raise PrinterIOError(f"{self.what} write: printer stopped reading "
                                 f"({pending} bytes unacknowledged after {self.write_timeout:g}s)", retryable=False)

    def query(self, requests: Sequence[bytes]) -> list[bytes | None]:
        net = self._open()
        try:
            with device_errors(f"{self.what} status"):
                return _ask(net.device, requests, self.status_timeout)
        finally:
            with contextlib.suppress(Exception):
                net.close()


def _ask(sock: socket.socket, requests: Sequence[bytes], timeout: float) -> list[bytes | None]:
    """Send real-time requests one by one, reading one answer each; after one silence stop waiting."""
    sock.settimeout(timeout)
    answers: list[bytes | None] = []
    for request in requests:
        if answers and answers[-1] is None:
            answers.append(None)
            continue
        sock.sendall(request)
        try:
            answers.append(sock.recv(16) or None)
        except TimeoutError:
            answers.append(None)
    return answers


def _refuse_if_not_printing(answers: list[bytes | None], what: str) -> None:
    """Raise when the printer positively says it cannot print now (retrying at once will not help)."""
    online, paper = decode_online(answers[0]), decode_paper(answers[1])
    if paper == "out":
        raise PrinterIOError(f"{what}: paper out", retryable=False)
    if online is False:
        raise PrinterIOError(f"{what}: printer offline (cover open, paper out or error)", retryable=False)


class _EscposDeviceTransport:
    """Send and query through a python-escpos device opened per job (USB, serial)."""

    what: str

    def _open(self) -> Any:
        raise NotImplementedError

    def _flush(self, dev: Any) -> None:
        """Push buffered bytes out before closing (serial); nothing by default."""

    def _read(self, dev: Any) -> bytes | None:
        return bytes(dev._read()) or None

    def send(self, job: bytes) -> None:
        dev = self._open()
        try:
            with device_errors(self.what):
                dev._raw(job)
                self._flush(dev)
        finally:
            with contextlib.suppress(Exception):
                dev.close()

    def query(self, requests: Sequence[bytes]) -> list[bytes | None]:
        dev = self._open()
        try:
            with device_errors(self.what):
                answers: list[bytes | None] = []
                for request in requests:
                    dev._raw(request)
                    answers.append(self._read(dev))
                return answers
        finally:
            with contextlib.suppress(Exception):
                dev.close()


class UsbTransport(_EscposDeviceTransport):
    """USB bulk transfer via python-escpos Usb (needs pyusb); timeouts in milliseconds, never 0."""

    def __init__(self, vendor_id: int, product_id: int, write_timeout: float = WRITE_TIMEOUT_S) -> None:
        self.vendor_id, self.product_id = vendor_id, product_id
        self.timeout_ms = max(1, int(write_timeout * 1000))
        self.what = f"usb {vendor_id:04x}:{product_id:04x}"

    def _open(self) -> Usb:
        if not Usb.is_usable():
            raise PrinterIOError(f"{self.what}: pyusb is not installed")
        with device_errors(self.what):
            dev = Usb(self.vendor_id, self.product_id, timeout=self.timeout_ms)
            dev.open()
        return dev

    def _read(self, dev: Any) -> bytes | None:
        try:
            return bytes(dev._read()) or None
        except Exception:  # pyusb read timeout: the printer stayed silent
            return None


class SerialTransport(_EscposDeviceTransport):
    """Serial port via python-escpos Serial (needs pyserial) with read and write timeouts."""

    def __init__(self, devfile: str, baudrate: int, write_timeout: float = WRITE_TIMEOUT_S) -> None:
        self.devfile, self.baudrate, self.write_timeout = devfile, baudrate, write_timeout
        self.what = f"serial {devfile}"

    def _open(self) -> Serial:
        if not Serial.is_usable():
            raise PrinterIOError(f"{self.what}: pyserial is not installed")
        with device_errors(self.what):
            dev = Serial(self.devfile, baudrate=self.baudrate, timeout=STATUS_TIMEOUT_S)
            dev.open()
            dev.device.write_timeout = self.write_timeout
        return dev

    def _flush(self, dev: Any) -> None:
        dev.device.flush()

    def _read(self, dev: Any) -> bytes | None:
        return dev._read() or None


class FileTransport:
    """A device node such as /dev/usb/lp0 (must exist), written non-blocking with a deadline."""

    def __init__(self, path: str, write_timeout: float = WRITE_TIMEOUT_S) -> None:
        self.path, self.write_timeout = path, write_timeout

    def send(self, job: bytes) -> None:
        with device_errors(f"file {self.path}"):
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_NONBLOCK)
            try:
                view, deadline = memoryview(job), time.monotonic() + self.write_timeout
                while view:
                    left = deadline - time.monotonic()
                    if left <= 0 or not select.select([], [fd], [], left)[1]:
                        raise TimeoutError("device did not accept data")
                    try:
                        view = view[os.write(fd, view):]
                    except BlockingIOError:
                        continue
            finally:
                os.close(fd)

    def query(self, requests: Sequence[bytes]) -> list[bytes | None]:
        return [None for _ in requests]


class CupsTransport:
    """A CUPS queue, job sent raw through ``lp -o raw`` with a timeout."""

    def __init__(self, queue: str, write_timeout: float = WRITE_TIMEOUT_S) -> None:
        self.queue, self.write_timeout = queue, write_timeout

    def send(self, job: bytes) -> None:
        with device_errors(f"cups {self.queue}"):
            try:
                done = subprocess.run(["lp", "-s", "-d", self.queue, "-o", "raw"], input=job,
                                      capture_output=True, timeout=self.write_timeout, check=False)
            except FileNotFoundError as exc:
                raise PrinterIOError(f"cups {self.queue}: the lp command is not installed (cups-client)") from exc
            if done.returncode:
                raise PrinterIOError(f"cups {self.queue}: lp exited {done.returncode}: "
                                     f"{done.stderr.decode(errors='replace').strip()[:200]}")

    def query(self, requests: Sequence[bytes]) -> list[bytes | None]:
        return [None for _ in requests]


class DummyTransport:
    """Keeps jobs in memory (``dummy://``, tests, dry runs)."""

    def __init__(self) -> None:
        self.jobs: list[bytes] = []

    def send(self, job: bytes) -> None:
        self.jobs.append(job)

    def query(self, requests: Sequence[bytes]) -> list[bytes | None]:
        return [None for _ in requests]


def open_transport(cfg: PrinterConfig) -> Transport:
    """The transport for an ESC/POS printer URL (no I/O happens until a job is sent)."""
    if cfg.scheme == "tcp":
        return TcpTransport(cfg.host or "", cfg.port or 9100, confirm=cfg.confirm)
    if cfg.scheme == "usb":
        return UsbTransport(cfg.vendor_id or 0, cfg.product_id or 0)
    if cfg.scheme == "serial":
        return SerialTransport(cfg.path or "", cfg.baudrate)
    if cfg.scheme == "file":
        return FileTransport(cfg.path or "")
    if cfg.scheme == "cups":
        return CupsTransport(cfg.queue or "")
    if cfg.scheme == "dummy":
        return DummyTransport()
    raise ValueError(f"{cfg.scheme}:// is not an ESC/POS transport")
