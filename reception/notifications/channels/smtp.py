"""E-mail through SMTP (``smtplib``): ``RECEPTION_SMTP_URL`` = ``smtp://[user:password@]host[:port]``
(plain, ``?starttls=1`` to upgrade) or ``smtps://…`` (TLS from the start, port 465), from
``RECEPTION_MAIL_FROM``.

The body is plain text; the message's link buttons follow it as "text: url" lines; attachments are
read from their paths. The ``Message-ID`` is made from the idempotency key, so a message sent twice
(the delivery job's at-least-once) is one message to any client that threads or deduplicates by it.
An answer to a letter (``in_reply_to``) carries ``In-Reply-To`` and ``References``, so it threads.
A 4xx reply, a timeout or a refused connection is retried; a 5xx reply (an address refused, a bad
login) is permanent.
"""

from __future__ import annotations

import hashlib
import mimetypes
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from reception.notifications.channels import Permanent, Retryable, Sent
from reception.notifications.models import Message


def message_id(key: str, sender: str) -> str:
    domain = sender.rpartition("@")[2].strip("> ") or "reception.invalid"
    return f"<{hashlib.sha256(key.encode('utf-8')).hexdigest()[:32]}@{domain}>"


class SmtpChannel:
    name = "email"

    def __init__(self, url: str, sender: str, *, timeout: float = 10.0) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError("RECEPTION_SMTP_URL must be smtp://host:port or smtps://host:port")
        self.tls = parts.scheme == "smtps"
        self.starttls = parse_qs(parts.query).get("starttls", ["0"])[0] in ("1", "true", "yes")
        self.host, self.port = parts.hostname, parts.port or (465 if self.tls else 25)
        self.user = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        self.sender, self.timeout = sender, timeout

    def compose(self, message: Message) -> EmailMessage:
        mail = EmailMessage()
        mail["From"] = self.sender
        mail["To"] = message.address
        mail["Subject"] = message.subject or message.body.split("\n", 1)[0][:120]
        mail["Message-ID"] = message_id(message.idempotency_key, self.sender)
        mail["Date"] = formatdate(localtime=False)
        if message.in_reply_to:  # an answer: the visitor's mail client threads it under their letter
            mail["In-Reply-To"] = message.in_reply_to
            mail["References"] = message.in_reply_to
        links = [f"{b['text']}: {b['url']}" for b in message.buttons or [] if b.get("url")]
        mail.set_content(message.body + ("\n\n" + "\n".join(links) if links else "") + "\n")
        for item in message.attachments or []:
            path = Path(str(item.get("path") or ""))
            try:
                data = path.read_bytes()
            except OSError:
                raise Permanent(f"attachment missing: {item.get('filename') or path.name}") from None
            kind = item.get("content_type") or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            main, _, sub = str(kind).partition("/")
            mail.add_attachment(data, maintype=main, subtype=sub or "octet-stream",
                                filename=str(item.get("filename") or path.name))
        return mail

    def send(self, message: Message) -> Sent:
        mail = self.compose(message)
        try:
            server: smtplib.SMTP
            if self.tls:
                server = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout,
                                          context=ssl.create_default_context())
            else:
                server = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            with server:
                if self.starttls:
                    server.starttls(context=ssl.create_default_context())
                if self.user:
                    server.login(self.user, self.password or "")
                server.send_message(mail)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _text in exc.recipients.values()]
            raise (Retryable if all(400 <= c < 500 for c in codes) else Permanent)(
                f"smtp: recipient refused {codes}") from None
        except smtplib.SMTPResponseException as exc:
            raise (Permanent if exc.smtp_code >= 500 else Retryable)(f"smtp {exc.smtp_code}") from None
        except (smtplib.SMTPException, OSError) as exc:  # a timeout is an OSError
            raise Retryable(f"smtp: {type(exc).__name__}") from None
        return Sent(str(mail["Message-ID"]))
