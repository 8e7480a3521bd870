"""The e-mail intake against a real IMAP server (dovecot, started by the test): a message in, a draft out;
a duplicate Message-ID; the server down and back; malformed and enormous messages (decision 043)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy import func, select

from reception.appeals import intake, mail_parse
from reception.appeals.intake import IntakeConfig, parse_imap_url, poll
from reception.appeals.mail_models import InboundMail, MailAttachment, MailboxCursor
from reception.kernel.service_layer import Services
from reception.platform.db import Database
from tests import mailserver
from tests.fakes import services as make_services

pytestmark = pytest.mark.skipif(not mailserver.available() and not os.environ.get("CI"),
                                reason="dovecot (Debian: dovecot-imapd) is not installed")


@pytest.fixture
def dovecot() -> Iterator[mailserver.Dovecot]:
    server = mailserver.Dovecot().start()
    yield server
    server.close()


@pytest.fixture
def core(db: Database, clock, office: str) -> Services:
    return make_services(db, clock)


def config_for(server: mailserver.Dovecot, folder: Path) -> IntakeConfig:
    return IntakeConfig(parse_imap_url(server.url), "T1", folder, timedelta(seconds=60))


def letter(message_id: str | None = "<appeal-1@example.org>", *, subject: str = "Звернення щодо довідки",
           html: str | None = None, text: str | None = "Прошу надати довідку.",
           attachments: tuple[tuple[str, str, bytes], ...] = ()) -> bytes:
    msg = EmailMessage()
    msg["From"] = "Петро Іваненко <petro@example.org>"
    msg["To"] = "office@example.gov.ua"
    msg["Subject"] = subject
    msg["Date"] = "Tue, 24 Nov 2026 09:30:00 +0200"
    if message_id:
        msg["Message-ID"] = message_id
    if text is not None:
        msg.set_content(text)
    if html is not None:
        if text is None:
            msg.set_content(html, subtype="html")
        else:
            msg.add_alternative(html, subtype="html")
    for filename, kind, data in attachments:
        maintype, subtype = kind.split("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return msg.as_bytes()


def drafts(db: Database) -> list[InboundMail]:
    with db.read() as s:
        rows = s.scalars(select(InboundMail).order_by(InboundMail.id)).all()
        for row in rows:
            list(row.attachments)
        return list(rows)


def test_a_message_in_a_draft_out(core: Services, db: Database, dovecot: mailserver.Dovecot, tmp_path: Path) -> None:
    pdf = b"%PDF-1.4 a scanned application\n" * 10
    html = ("<html><head><style>p{color:red}</style><script>alert('x')</script></head><body>"
            "<p>Прошу <b>надати</b> довідку &amp; копію.</p><img src=x onerror=alert(1)><p>Дякую</p></body></html>")
    dovecot.append(letter(text=None, html=html, attachments=(("заява.pdf", "application/pdf", pdf),
                                                              ("run.html", "text/html", b"<script>x</script>"))))
    cfg = config_for(dovecot, tmp_path / "att")

    assert poll(core, cfg) == 1

    (draft,) = drafts(db)
    assert draft.status == "draft" and draft.message_id == "<appeal-1@example.org>"
    assert (draft.from_address, draft.from_name) == ("petro@example.org", "Петро Іваненко")
    assert draft.subject == "Звернення щодо довідки"
    assert draft.body == "Прошу надати довідку & копію.\n\nДякую"
    assert "<" not in draft.body and "alert" not in draft.body and "color" not in draft.body
    assert "html_converted" in draft.notes
    assert draft.received_at.isoformat() == "2026-11-24T07:30:00+00:00"
    first, second = draft.attachments
    assert (first.filename, first.content_type, first.size, first.too_large) == ("заява.pdf", "application/pdf",
                                                                                  len(pdf), False)
    assert first.stored_name and (tmp_path / "att" / first.stored_name).read_bytes() == pdf
    assert first.stored_name != "заява.pdf" and not os.access(tmp_path / "att" / first.stored_name, os.X_OK)
    # An attached HTML file is an attachment (a file), never the body.
    assert second.filename == "run.html" and (tmp_path / "att" / str(second.stored_name)).read_bytes() == \
        b"<script>x</script>"
    # Read-only: the office's own mail client still sees the message unread.
    assert all(b"\\Seen" not in flags for flags in dovecot.seen_flags())
    assert poll(core, cfg) == 0  # nothing new
    assert intake.intake_state(core, cfg) == intake.OK


def test_a_duplicate_message_id_is_one_draft(core: Services, db: Database, dovecot: mailserver.Dovecot,
                                             tmp_path: Path) -> None:
    dovecot.append(letter(attachments=(("a.txt", "text/plain", b"one"),)))
    dovecot.append(letter(attachments=(("a.txt", "text/plain", b"one"),)))  # the same message, sent twice
    cfg = config_for(dovecot, tmp_path / "att")
    assert poll(core, cfg) == 1
    dovecot.append(letter(attachments=(("a.txt", "text/plain", b"one"),)))
    assert poll(core, cfg) == 0
    assert len(drafts(db)) == 1
    assert len(list((tmp_path / "att").iterdir())) == 1  # the duplicates' files were not kept
    # Without a Message-ID, the same headers and body are the same message.
    dovecot.append(letter(None, text="Без ідентифікатора"))
    dovecot.append(letter(None, text="Без ідентифікатора"))
    assert poll(core, cfg) == 1
    assert "no_message_id" in drafts(db)[-1].notes and drafts(db)[-1].message_id.startswith("<sha256:")


def test_the_server_down_and_back_loses_nothing(core: Services, db: Database, dovecot: mailserver.Dovecot,
                                                tmp_path: Path) -> None:
    cfg = config_for(dovecot, tmp_path / "att")
    assert intake.intake_state(core, cfg) == intake.WAITING
    dovecot.append(letter("<before@example.org>"))
    assert poll(core, cfg) == 1
    dovecot.append(letter("<while-down@example.org>", text="Надіслано, коли сервер зупинено"))
    dovecot.stop()

    with pytest.raises(OSError):
        poll(core, cfg)
    assert intake.intake_state(core, cfg) == intake.DOWN
    assert len(drafts(db)) == 1
    with db.read() as s:
        cursor = s.get(MailboxCursor, cfg.mailbox.key)
        assert cursor is not None and cursor.last_uid == 1 and cursor.last_error

    dovecot.start()
    assert poll(core, cfg) == 1
    assert poll(core, cfg) == 0
    assert [d.message_id for d in drafts(db)] == ["<before@example.org>", "<while-down@example.org>"]
    assert intake.intake_state(core, cfg) == intake.OK


def test_malformed_and_enormous_messages_are_drafts_with_a_note(core: Services, db: Database,
                                                                dovecot: mailserver.Dovecot, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mail_parse, "MAX_ATTACHMENT_BYTES", 2000)
    monkeypatch.setattr(mail_parse, "MAX_BODY_CHARS", 5000)
    monkeypatch.setattr(intake, "MAX_MESSAGE_BYTES", 200_000)
    broken = (b"From: =?utf-8?B?!!!broken?= <not an address\r\nSubject: =?x-unknown?Q?=FF=FE?=\r\n"
              b"Message-ID: <broken@example.org>\r\nDate: yesterday\r\nContent-Type: multipart/mixed; boundary=zz\r\n"
              b"\r\n--zz\r\nContent-Type: text/plain; charset=no-such-charset\r\n\r\nText\x00 with a NUL\r\n"
              b"--zz\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!not base64")
    dovecot.append(broken)
    dovecot.append(letter("<long@example.org>", text="А" * 9000,
                          attachments=(("big.bin", "application/octet-stream", b"x" * 5000),
                                       ("small.txt", "text/plain", b"ok"))))
    dovecot.append(letter("<enormous@example.org>", text="Б" * 150_000))
    cfg = config_for(dovecot, tmp_path / "att")

    assert poll(core, cfg) == 3

    bad, long, enormous = drafts(db)
    assert bad.message_id == "<broken@example.org>" and "malformed" in bad.notes and "no_sender" in bad.notes
    assert bad.from_address == "" and "\x00" not in bad.body and "with a NUL" in bad.body  # dovecot stores a NUL as 0x80
    assert bad.received_at == bad.fetched_at  # no usable Date: when it was read
    assert len(long.body) == 5000 and "body_truncated" in long.notes
    big, small = long.attachments
    assert (big.too_large, big.stored_name, big.size) == (True, None, 5000) and "attachment_too_large" in long.notes
    assert small.too_large is False and small.stored_name
    assert "message_too_large" in enormous.notes and enormous.body == "" and enormous.size > 200_000
    assert enormous.from_address == "petro@example.org"
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(MailAttachment)) == 3


def test_healthz_is_degraded_not_down_while_the_mailbox_is_away(app, client, db: Database, dovecot: mailserver.Dovecot,
                                                                 tmp_path: Path, office: str) -> None:
    cfg = config_for(dovecot, tmp_path / "att")
    app.extensions["reception.mail_intake"] = cfg
    core = app.extensions["reception"].services
    assert client.get("/healthz").get_json()["mail_intake"] == "waiting"
    dovecot.append(letter())
    dovecot.stop()
    with pytest.raises(OSError):
        poll(core, cfg)

    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.get_json() | {"printers": []} == {"status": "degraded", "database": "ok", "redis": "not configured",
                                               "printers": [], "mail_intake": "unreachable",
                                               "degraded": ["mail_intake"],
                                               "notifications": {"status": "ok", "queued": 0, "oldest_queued_s": None,
                                                                 "failed_last_hour": 0}}
    dovecot.start()
    assert poll(core, cfg) == 1
    body = client.get("/healthz").get_json()
    assert (body["status"], body["mail_intake"]) == ("ok", "ok")


def test_the_server_polls_the_mailbox_as_a_periodic_job(db_url: str, db: Database, clock, office: str,
                                                         dovecot: mailserver.Dovecot, tmp_path: Path) -> None:
    from reception.app import create_app
    from reception.ops.server import scheduled_jobs, start_jobs

    app = create_app({"TESTING": True, "DATABASE_URL": db_url, "SECRET_KEY": "test-secret", "IMAP_URL": dovecot.url,
                      "IMAP_OFFICE": "T1", "IMAP_POLL_S": 30, "MAIL_ATTACHMENTS_DIR": str(tmp_path / "att")},
                     clock=clock)
    try:
        scheduler = app.extensions["reception.mail_scheduler"]
        assert scheduler.job.name == "appeals.imap" and scheduler.job.every == timedelta(seconds=30)
        dovecot.append(letter())
        assert scheduler.tick() is True
        assert len(drafts(db)) == 1
        assert scheduler.tick() is False  # not due again until the next period
        clock.advance(seconds=31)
        dovecot.append(letter("<second@example.org>"))
        assert scheduler.tick() is True
        assert [d.message_id for d in drafts(db)] == ["<appeal-1@example.org>", "<second@example.org>"]
        # ``reception serve`` starts it with the other jobs.
        start_jobs(app)
        assert scheduler._thread is not None
    finally:
        for job in scheduled_jobs(app):  # every job start_jobs started: none may outlive the test
            job.stop()
        app.extensions["reception"].db.dispose()


def test_a_bad_mailbox_url_stops_the_start_with_its_name() -> None:
    for url in ("http://host/INBOX", "imaps://host/INBOX", "imap://user:pw@host:port/INBOX"):
        with pytest.raises(ValueError, match="RECEPTION_IMAP_URL"):
            parse_imap_url(url)
    box = parse_imap_url("imaps://office%40example.gov.ua:p%40ss@mail.example.gov.ua/Вхідні")
    assert (box.secure, box.port, box.user, box.password, box.folder) == (True, 993, "office@example.gov.ua", "p@ss",
                                                                          "Вхідні")
    assert "p@ss" not in box.key


def test_a_mailbox_read_for_the_first_time_gives_its_recent_mail_only(core: Services, db: Database,
                                                                      dovecot: mailserver.Dovecot,
                                                                      tmp_path: Path) -> None:
    from datetime import UTC, datetime

    dovecot.append(letter("<archive@example.org>"), arrived=datetime(2025, 3, 1, 9, 0, tzinfo=UTC))
    dovecot.append(letter("<recent@example.org>"))
    cfg = config_for(dovecot, tmp_path / "att")
    assert poll(core, cfg) == 1
    dovecot.append(letter("<next@example.org>"))
    assert poll(core, cfg) == 1
    assert [d.message_id for d in drafts(db)] == ["<recent@example.org>", "<next@example.org>"]
