"""Reading the office's mailbox over IMAP: each new message becomes a draft appeal (decision 043).

One mailbox (``RECEPTION_IMAP_URL``: ``imaps://user:password@host:port/INBOX``; ``imap://`` without TLS
for tests) feeds one office (``RECEPTION_IMAP_OFFICE``, its code; unset: the only office there is).
The job ``appeals.imap`` polls it every ``RECEPTION_IMAP_POLL_S`` seconds.

Nothing is lost and nothing is read twice: the mailbox is opened read-only (``EXAMINE``, ``BODY.PEEK``:
the office's own mail client sees its messages unread as before) and the intake keeps, per mailbox,
its UIDVALIDITY and the last UID turned into a draft (``mailbox_cursors``), advanced in the same
transaction that stores the draft. A poll that fails (the server down, the network away, the database
away) changes nothing and the next tick starts from the same UID; a new UIDVALIDITY (the mailbox was
rebuilt) reads it again from the start, and the Message-ID keeps every message one draft.
"""

from __future__ import annotations

import base64
import imaplib
import logging
import re
import secrets
import ssl
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from reception.appeals.mail_models import InboundMail, MailAttachment, MailboxCursor
from reception.appeals.mail_parse import (
    MALFORMED,
    MAX_MESSAGE_BYTES,
    ParsedMail,
    message_key,
    parse,
    parse_headers_only,
)
from reception.kernel.service_layer import Services
from reception.kernel.unit_of_work import UnitOfWork
from reception.offices.lookups import office_by_code
from reception.offices.models import Office
from reception.platform.clock import Clock

log = logging.getLogger(__name__)

TIMEOUT_S = 30.0  # one IMAP command; a server that hangs fails the poll, retried at the next tick
FIRST_READ_DAYS = 30  # a mailbox read for the first time: the messages that arrived in these last days
BATCH = 50  # messages per poll: a full mailbox is read over several ticks, the lease never outlived
ATTACHMENTS_FOLDER = "mail-attachments"  # under the instance folder
UNREADABLE = "unreadable"  # a note: the message could not be stored as it was (its headers are kept)

# /healthz's words for the intake (decision 030's vocabulary): only "unreachable" and "stale" degrade.
NOT_CONFIGURED, WAITING, OK, DOWN, STALE = "not configured", "waiting", "ok", "unreachable", "stale"


@dataclass(frozen=True)
class MailboxUrl:
    secure: bool
    host: str
    port: int
    user: str
    password: str
    folder: str

    @property
    def key(self) -> str:
        """The cursor's name: where and whose, never the password."""
        return f"{self.host}:{self.port}/{self.user}/{self.folder}"[:400]


def parse_imap_url(url: str) -> MailboxUrl:
    """``imaps://user:password@host:port/Folder`` (default port 993; ``imap://``: 143, no TLS)."""
    parts = urlsplit(url)
    if parts.scheme not in ("imap", "imaps"):
        raise ValueError("RECEPTION_IMAP_URL must start with imaps:// (or imap:// without TLS)")
    if not parts.hostname or parts.username is None or parts.password is None:
        raise ValueError("RECEPTION_IMAP_URL must name the user, the password and the host")
    try:
        port = parts.port or (993 if parts.scheme == "imaps" else 143)
    except ValueError as exc:
        raise ValueError("RECEPTION_IMAP_URL: the port must be a number") from exc
    folder = unquote(parts.path.lstrip("/")) or "INBOX"
    return MailboxUrl(parts.scheme == "imaps", parts.hostname, port, unquote(parts.username),
                      unquote(parts.password), folder)


@dataclass(frozen=True)
class IntakeConfig:
    mailbox: MailboxUrl
    office: str | None  # the office's code; None: the only office
    attachments_dir: Path
    every: timedelta

    @classmethod
    def from_config(cls, config: dict[str, Any], instance_path: str) -> IntakeConfig | None:
        """None when no mailbox is configured; a ValueError naming the setting when it is wrong."""
        url = config.get("IMAP_URL")
        if not url:
            return None
        return cls(parse_imap_url(str(url)), config.get("IMAP_OFFICE") or None,
                   attachments_dir(config, instance_path), timedelta(seconds=int(config.get("IMAP_POLL_S") or 60)))


def attachments_dir(config: dict[str, Any], instance_path: str) -> Path:
    return Path(config.get("MAIL_ATTACHMENTS_DIR") or Path(instance_path) / ATTACHMENTS_FOLDER)


# --- talking IMAP ------------------------------------------------------------------------------------


def imap_utf7(folder: str) -> str:
    """A folder name as IMAP writes it (RFC 3501's modified UTF-7: "Вхідні" is "&BBIERQRWBDQEPQRW-")."""
    out, pending = [], ""

    def flush() -> None:
        nonlocal pending
        if pending:
            encoded = base64.b64encode(pending.encode("utf-16-be")).decode().rstrip("=").replace("/", ",")
            out.append(f"&{encoded}-")
            pending = ""

    for char in folder:
        if 0x20 <= ord(char) <= 0x7E:
            flush()
            out.append("&-" if char == "&" else char)
        else:
            pending += char
    flush()
    return "".join(out)


def _quote(folder: str) -> str:
    folder = imap_utf7(folder)
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


@contextmanager
def connected(mailbox: MailboxUrl) -> Iterator[imaplib.IMAP4]:
    """A signed-in connection with the folder opened read-only."""
    imap: imaplib.IMAP4
    if mailbox.secure:
        imap = imaplib.IMAP4_SSL(mailbox.host, mailbox.port, ssl_context=ssl.create_default_context(),
                                 timeout=TIMEOUT_S)
    else:
        imap = imaplib.IMAP4(mailbox.host, mailbox.port, timeout=TIMEOUT_S)
    try:
        imap.login(mailbox.user, mailbox.password)
        status, _ = imap.select(_quote(mailbox.folder), readonly=True)
        if status != "OK":
            raise imaplib.IMAP4.error(f"cannot open folder {mailbox.folder!r}")
        yield imap
    finally:
        with suppress(Exception):
            imap.logout()


def _uidvalidity(imap: imaplib.IMAP4) -> int:
    _, data = imap.response("UIDVALIDITY")
    if not data or data[0] is None:
        raise imaplib.IMAP4.error("the server named no UIDVALIDITY")
    return int(data[0])


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def new_uids(imap: imaplib.IMAP4, after: int, since: date | None = None) -> list[int]:
    """UIDs above ``after`` (``n:*`` always matches the highest message, even below ``n``: filtered);
    with ``since``, only messages that arrived in the mailbox on that day or later."""
    criteria = f"UID {after + 1}:*"
    if since is not None:
        criteria += f" SINCE {since.day:02d}-{_MONTHS[since.month - 1]}-{since.year}"
    status, data = imap.uid("SEARCH", None, criteria)  # type: ignore[arg-type]
    if status != "OK":
        raise imaplib.IMAP4.error(f"UID SEARCH failed: {data!r}")
    found = [int(x) for x in (data[0] or b"").split()] if data else []
    return sorted(uid for uid in found if uid > after)


_SIZE = re.compile(rb"RFC822\.SIZE (\d+)")


def _fetch(imap: imaplib.IMAP4, uid: int, item: str) -> tuple[bytes | None, int | None]:
    status, data = imap.uid("FETCH", str(uid), f"({item})")
    if status != "OK":
        raise imaplib.IMAP4.error(f"UID FETCH {uid} failed")
    literal, size = None, None
    for entry in data or []:
        if isinstance(entry, tuple):
            literal = entry[1]
            head = entry[0]
        else:
            head = entry
        if isinstance(head, bytes) and (found := _SIZE.search(head)):
            size = int(found.group(1))
    return literal, size


def fetch_message(imap: imaplib.IMAP4, uid: int) -> ParsedMail | None:
    """The message with ``uid`` as a draft's fields (None: it is gone, expunged since the search)."""
    _, size = _fetch(imap, uid, "RFC822.SIZE")
    if size is None:
        return None
    if size > MAX_MESSAGE_BYTES:
        headers, _ = _fetch(imap, uid, "BODY.PEEK[HEADER]")
        mail = parse_headers_only(headers or b"", size)
    else:
        raw, _ = _fetch(imap, uid, "BODY.PEEK[]")
        if raw is None:
            return None
        mail = parse(raw)
    mail.size = size
    return mail


# --- storing -----------------------------------------------------------------------------------------


def _office(s: Session, code: str | None) -> Office:
    if code:
        return office_by_code(s, code)
    offices = s.scalars(select(Office).limit(2)).all()
    if len(offices) != 1:
        raise ValueError("RECEPTION_IMAP_OFFICE must name the office the mailbox belongs to")
    return offices[0]


def _cursor(s: Session, key: str) -> MailboxCursor:
    cursor = s.get(MailboxCursor, key)
    if cursor is None:
        cursor = MailboxCursor(mailbox=key, uidvalidity=0, last_uid=0)
        s.add(cursor)
    return cursor


def read_cursor(uow: UnitOfWork, clock: Clock, key: str) -> tuple[int, int]:
    cursor = uow.session.get(MailboxCursor, key)
    return (0, 0) if cursor is None else (cursor.uidvalidity, cursor.last_uid)


def advance(uow: UnitOfWork, clock: Clock, key: str, uidvalidity: int, uid: int) -> None:
    """Move the cursor past ``uid`` (a message gone before it was read)."""
    cursor = _cursor(uow.session, key)
    cursor.uidvalidity, cursor.last_uid = uidvalidity, max(uid, cursor.last_uid if cursor.uidvalidity ==
                                                          uidvalidity else 0)


def store_mail(uow: UnitOfWork, clock: Clock, *, office: str | None, key: str, uidvalidity: int, uid: int,
               mail: ParsedMail, stored: list[str | None]) -> int | None:
    """The draft of ``mail`` (its attachments already written as ``stored`` files), and the cursor past
    ``uid``, in one transaction. None if the message is a draft already (a duplicate Message-ID)."""
    s = uow.session
    office_row = _office(s, office)
    cursor = _cursor(s, key)
    if cursor.uidvalidity != uidvalidity:
        cursor.uidvalidity, cursor.last_uid = uidvalidity, 0
    cursor.last_uid = max(cursor.last_uid, uid)
    existing = s.scalar(select(InboundMail.id).where(InboundMail.office_id == office_row.id,
                                                     InboundMail.message_id == mail.message_id))
    if existing is not None:
        return None
    now = clock.now()
    row = InboundMail(office_id=office_row.id, message_id=mail.message_id, from_address=mail.from_address,
                      from_name=mail.from_name, subject=mail.subject, body=mail.body, notes=list(mail.notes),
                      size=mail.size, received_at=mail.received_at or now, fetched_at=now, status="draft")
    for attachment, name in zip(mail.attachments, stored, strict=True):
        row.attachments.append(MailAttachment(filename=attachment.filename, content_type=attachment.content_type,
                                              size=attachment.size, stored_name=name,
                                              too_large=name is None))
    s.add(row)
    s.flush()
    return row.id


def note_poll(uow: UnitOfWork, clock: Clock, key: str, error: str | None) -> None:
    """The poll's outcome for /healthz (the cursor row itself; its UIDs are untouched)."""
    cursor = _cursor(uow.session, key)
    now = clock.now()
    cursor.last_attempt_at = now
    if error is None:
        cursor.last_ok_at, cursor.last_error = now, None
    else:
        cursor.last_error = error[:500]


def _write_files(mail: ParsedMail, folder: Path) -> list[str | None]:
    """Each kept attachment as a file under a random name, readable by this user only; never executable."""
    names: list[str | None] = []
    if any(a.data is not None for a in mail.attachments):
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    for attachment in mail.attachments:
        if attachment.data is None:
            names.append(None)
            continue
        name = secrets.token_hex(16)
        path = folder / name
        with open(path, "xb") as fh:
            fh.write(attachment.data)
        path.chmod(0o600)
        names.append(name)
    return names


def _remove(folder: Path, names: list[str | None]) -> None:
    for name in names:
        if name:
            with suppress(OSError):
                (folder / name).unlink()


def _keep(services: Services, config: IntakeConfig, uidvalidity: int, uid: int, mail: ParsedMail) -> bool:
    stored = _write_files(mail, config.attachments_dir)
    try:
        made = services.value(store_mail, office=config.office, key=config.mailbox.key, uidvalidity=uidvalidity,
                              uid=uid, mail=mail, stored=stored)
    except BaseException:
        _remove(config.attachments_dir, stored)
        raise
    if made is None:
        _remove(config.attachments_dir, stored)
    return made is not None


def _unreadable(mail: ParsedMail | None, uid: int) -> ParsedMail:
    """What is kept of a message that could not be stored as parsed: its headers, a note, no attachments."""
    if mail is None:
        return ParsedMail(message_id=message_key(f"uid:{uid}".encode()), from_address="", from_name="",
                          subject="", body="", received_at=None, notes=[MALFORMED, UNREADABLE])
    return ParsedMail(message_id=mail.message_id, from_address=mail.from_address[:320], from_name=mail.from_name,
                      subject=mail.subject, body="", received_at=mail.received_at,
                      notes=[*mail.notes, UNREADABLE], attachments=[])


def poll(services: Services, config: IntakeConfig) -> int:
    """One poll: every new message of the mailbox (at most ``BATCH``) made a draft; the number made.

    Raises when the server or the database fails (the scheduler retries at the next tick), after
    noting the failure for /healthz.
    """
    key = config.mailbox.key
    made = 0
    try:
        with connected(config.mailbox) as imap:
            uidvalidity = _uidvalidity(imap)
            known_validity, last_uid = services.value(read_cursor, key)
            if known_validity == uidvalidity:
                uids = new_uids(imap, last_uid)
            else:  # a mailbox read for the first time (or rebuilt): its recent mail, not years of archive
                uids = new_uids(imap, 0, since=services.clock.now().date() - timedelta(days=FIRST_READ_DAYS))
            for uid in uids[:BATCH]:
                mail = fetch_message(imap, uid)
                if mail is None:
                    services.value(advance, key, uidvalidity, uid)
                    continue
                try:
                    made += _keep(services, config, uidvalidity, uid, mail)
                except (OSError, imaplib.IMAP4.error):
                    raise
                except Exception as exc:
                    if _is_database_down(exc):
                        raise
                    # One message the database refuses as parsed must not stop the mailbox: keep its headers.
                    log.exception("mail intake: message %s of %s could not be stored as it was", uid, key)
                    made += _keep(services, config, uidvalidity, uid, _unreadable(mail, uid))
    except Exception as exc:
        with suppress(Exception):
            services.value(note_poll, key, f"{type(exc).__name__}: {exc}")
        raise
    services.value(note_poll, key, None)
    return made


def _is_database_down(exc: BaseException) -> bool:
    from sqlalchemy.exc import DBAPIError

    return isinstance(exc, DBAPIError) and (exc.connection_invalidated or type(exc.orig).__name__ in (
        "OperationalError", "InterfaceError"))


# --- its state, for /healthz ---------------------------------------------------------------------------


def intake_state(services: Services, config: IntakeConfig | None) -> str:
    """``not configured``; ``waiting`` (not polled yet); ``ok``; ``unreachable`` (the last poll failed);
    ``stale`` (no poll for five periods: the job is not running)."""
    if config is None:
        return NOT_CONFIGURED
    with services.db.read() as s:
        cursor = s.get(MailboxCursor, config.mailbox.key)
        if cursor is None or cursor.last_attempt_at is None:
            return WAITING
        if cursor.last_error:
            return DOWN
        last: datetime = cursor.last_attempt_at
    if services.clock.now() - last > max(5 * config.every, timedelta(minutes=10)):
        return STALE
    return OK
