"""Turning one raw e-mail into what a draft appeal keeps: pure (no database, no network, no files).

Whatever the message is — malformed headers, a broken MIME tree, unknown charsets, HTML only, huge
— the result is a draft with notes on what was done to it, never an exception: the intake must not
stop on one bad message (decision 043). Only plain text is kept: HTML is converted to text here
(scripts, styles and markup dropped), so nothing the sender wrote is ever rendered as markup.
Attachments are handed back as bytes for the intake to store as files; over the size limit, only
their name and size.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from html.parser import HTMLParser

from reception.appeals.mail_models import ADDRESS_MAX, MESSAGE_ID_MAX, SUBJECT_MAX

REPLY_SUBJECT_MAX = 200  # the outbox's subject column
MAX_BODY_CHARS = 50_000  # a longer text is cut here (note: body_truncated)
MAX_ATTACHMENT_BYTES = 10 * 2**20  # a larger attachment is listed as "too large", its content not kept
MAX_ATTACHMENTS = 20  # more are listed as "too many" (note), their contents not kept
MAX_MESSAGE_BYTES = 30 * 2**20  # a larger message is not downloaded: its headers only (note: message_too_large)

# Notes (the page and the API show them; the texts are mail.note.<name>).
BODY_TRUNCATED = "body_truncated"
HTML_CONVERTED = "html_converted"
MESSAGE_TOO_LARGE = "message_too_large"
MALFORMED = "malformed"
NO_MESSAGE_ID = "no_message_id"
NO_SENDER = "no_sender"
ATTACHMENT_TOO_LARGE = "attachment_too_large"
TOO_MANY_ATTACHMENTS = "too_many_attachments"
EMPTY_BODY = "empty_body"

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTENT_TYPE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}$")
_ADDRESS = re.compile(r"^[^@\s<>\"]{1,64}@[^@\s<>\"]{1,255}$")


@dataclass
class ParsedAttachment:
    filename: str
    content_type: str
    size: int
    data: bytes | None  # None: not kept (too large, too many)

    @property
    def too_large(self) -> bool:
        return self.data is None


@dataclass
class ParsedMail:
    message_id: str
    from_address: str
    from_name: str
    subject: str
    body: str
    received_at: datetime | None
    notes: list[str] = field(default_factory=list)
    attachments: list[ParsedAttachment] = field(default_factory=list)
    size: int = 0  # bytes, as the server counted them


def clean_text(value: str, limit: int | None = None) -> str:
    """Text safe to store and show: no NUL or other control characters (tabs and newlines stay),
    Unicode in NFC, CRLF as LF, cut to ``limit`` characters."""
    text = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))
    text = _CONTROL.sub("", text)
    return text[:limit] if limit is not None else text


def one_line(value: object, limit: int) -> str:
    return " ".join(clean_text(str(value or "")).split())[:limit]


class _TextOfHtml(HTMLParser):
    """The text a reader sees: scripts, styles and the head dropped; blocks and <br> as line breaks."""

    SKIP = frozenset({"script", "style", "head", "title", "template", "noscript", "svg", "math", "iframe", "object"})
    BLOCK = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
                       "table", "ul", "ol", "hr", "section", "article", "header", "footer", "dd", "dt"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCK:
            self.parts.append("\n")
        if tag == "li" and not self.skipping:
            self.parts.append("• ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCK and tag not in ("li", "tr"):  # the next item starts its own line
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Plain text of an HTML body (never HTML: markup, scripts and styles are gone)."""
    parser = _TextOfHtml()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # HTMLParser is lenient; whatever it still chokes on costs only the rest
        pass
    lines = [" ".join(line.split()) for line in "".join(parser.parts).split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def message_key(raw: bytes) -> str:
    """The deduplication key of a message without a Message-ID: a hash of its headers and body."""
    return "<sha256:" + hashlib.sha256(raw).hexdigest() + ">"


def sender_message_id(message_id: str | None) -> str | None:
    """The Message-ID the sender gave (an answer's In-Reply-To), not a key :func:`message_key` made."""
    return message_id if message_id and not message_id.startswith("<sha256:") else None


def _decode(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    charset = part.get_content_charset() or "utf-8"
    try:
        return payload.decode(charset, errors="replace")
    except LookupError:  # an unknown charset name
        return payload.decode("utf-8", errors="replace")


def _header(msg: Message, name: str, notes: list[str]) -> str:
    try:
        value = msg.get(name)
        return "" if value is None else str(value)
    except Exception:  # a header the policy cannot parse
        if MALFORMED not in notes:
            notes.append(MALFORMED)
        raw = msg.get_all(name, failobj=[]) if hasattr(msg, "get_all") else []
        return str(raw[0]) if raw else ""


def _sender(msg: Message, notes: list[str]) -> tuple[str, str]:
    value = _header(msg, "Reply-To", notes) or _header(msg, "From", notes)
    try:
        pairs = getaddresses([value])
    except Exception:
        pairs = []
    for name, address in pairs:
        address = address.strip()
        if _ADDRESS.match(address) and len(address) <= ADDRESS_MAX:
            return address, one_line(name, 200)
    notes.append(NO_SENDER)
    return "", one_line(value, 200)


def _date(msg: Message, notes: list[str]) -> datetime | None:
    value = _header(msg, "Date", notes)
    if not value:
        return None
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment if datetime(1990, 1, 1, tzinfo=UTC) <= moment <= datetime(2200, 1, 1, tzinfo=UTC) else None


def _filename(part: Message) -> str:
    try:
        name = part.get_filename() or ""
    except Exception:
        name = ""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]  # never a path
    return one_line(name, 200).strip(". ") or "attachment"


def _content_type(part: Message) -> str:
    try:
        kind = part.get_content_type().lower()
    except Exception:
        kind = ""
    return kind if _CONTENT_TYPE.match(kind) else "application/octet-stream"


def parse_headers_only(raw_headers: bytes, size: int) -> ParsedMail:
    """A message too large to download: what its headers say, with the note."""
    mail = parse(raw_headers, body_allowed=False)
    mail.notes.insert(0, MESSAGE_TOO_LARGE)
    mail.body, mail.size = "", size
    if EMPTY_BODY in mail.notes:
        mail.notes.remove(EMPTY_BODY)
    return mail


def parse(raw: bytes, *, body_allowed: bool = True) -> ParsedMail:
    """The draft's fields of one raw message (RFC 5322 bytes); never raises."""
    notes: list[str] = []
    try:
        msg: Message = BytesParser(policy=policy.default).parsebytes(raw)
    except Exception:  # the stdlib parser is lenient; this is a last resort
        notes.append(MALFORMED)
        msg = EmailMessage()
        msg.set_content(raw.decode("utf-8", errors="replace"))
    if getattr(msg, "defects", None) and MALFORMED not in notes:
        notes.append(MALFORMED)
    message_id = one_line(_header(msg, "Message-ID", notes), MESSAGE_ID_MAX)
    if not message_id:
        notes.append(NO_MESSAGE_ID)
        message_id = message_key(raw)
    address, name = _sender(msg, notes)
    subject = one_line(_header(msg, "Subject", notes), SUBJECT_MAX)
    received = _date(msg, notes)
    body = ""
    attachments: list[ParsedAttachment] = []
    if body_allowed:
        body, attachments = _body_and_attachments(msg, notes)
    mail = ParsedMail(message_id=message_id, from_address=address, from_name=name, subject=subject, body=body,
                      received_at=received, notes=notes, attachments=attachments, size=len(raw))
    return mail


def _body_and_attachments(msg: Message, notes: list[str]) -> tuple[str, list[ParsedAttachment]]:
    plain: list[str] = []
    html: list[str] = []
    attachments: list[ParsedAttachment] = []
    try:
        parts = list(msg.walk())
    except Exception:
        if MALFORMED not in notes:
            notes.append(MALFORMED)
        parts = [msg]
    for part in parts:
        try:
            if part.is_multipart():
                continue
            disposition = (part.get_content_disposition() or "").lower()
            kind = _content_type(part)
            named = part.get_filename() is not None
        except Exception:
            if MALFORMED not in notes:
                notes.append(MALFORMED)
            continue
        if disposition == "attachment" or named or kind not in ("text/plain", "text/html"):
            attachments.append(_attachment(part, kind, len(attachments), notes))
        elif kind == "text/plain":
            plain.append(_decode(part))
        else:
            html.append(_decode(part))
    if plain and any(p.strip() for p in plain):
        text = "\n\n".join(p.strip() for p in plain if p.strip())
    elif html:
        text = "\n\n".join(html_to_text(h) for h in html)
        notes.append(HTML_CONVERTED)
    else:
        text = ""
    text = clean_text(text).strip()
    if len(text) > MAX_BODY_CHARS:
        text = text[:MAX_BODY_CHARS]
        notes.append(BODY_TRUNCATED)
    if not text:
        notes.append(EMPTY_BODY)
    return text, attachments


def _attachment(part: Message, kind: str, index: int, notes: list[str]) -> ParsedAttachment:
    try:
        data = part.get_payload(decode=True)
    except Exception:
        data = None
    payload = data if isinstance(data, bytes) else b""
    filename = _filename(part)
    if index >= MAX_ATTACHMENTS:
        if TOO_MANY_ATTACHMENTS not in notes:
            notes.append(TOO_MANY_ATTACHMENTS)
        return ParsedAttachment(filename, kind, len(payload), None)
    if len(payload) > MAX_ATTACHMENT_BYTES:
        if ATTACHMENT_TOO_LARGE not in notes:
            notes.append(ATTACHMENT_TOO_LARGE)
        return ParsedAttachment(filename, kind, len(payload), None)
    return ParsedAttachment(filename, kind, len(payload), payload)


def reply_subject(subject: str) -> str:
    """"Re: " before the original subject (once)."""
    subject = one_line(subject, REPLY_SUBJECT_MAX - 4)
    return subject if subject.lower().startswith("re:") else f"Re: {subject}".strip()
