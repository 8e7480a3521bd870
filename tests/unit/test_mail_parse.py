"""The e-mail intake's pure parts: a message's text (HTML as text, never markup), its sender, its key without a
Message-ID, folder names in IMAP's UTF-7 (decision 043)."""

from __future__ import annotations

from reception.appeals.intake import imap_utf7
from reception.appeals.mail_parse import html_to_text, message_key, parse, reply_subject


def test_html_becomes_text_without_markup_scripts_or_styles() -> None:
    html = ("<html><head><title>T</title><style>b{x:1}</style></head><body><script>steal()</script>"
            "<p>Перший&nbsp;рядок</p><ul><li>один</li><li>два</li></ul>"
            "<a href='javascript:alert(1)' onclick='x()'>посилання</a><br>кінець &lt;b&gt;</body></html>")
    text = html_to_text(html)
    assert text == "Перший рядок\n\n• один\n• два\nпосилання\nкінець <b>"
    assert "steal" not in text and "b{x:1}" not in text and "href" not in text


def test_a_message_of_nothing_is_still_a_draft() -> None:
    mail = parse(b"")
    assert mail.message_id == message_key(b"") and mail.body == "" and mail.from_address == ""
    assert {"no_message_id", "no_sender", "empty_body"} <= set(mail.notes)
    assert parse(b"\x00\xff\xfe garbage \r\n\r\n\x00").message_id.startswith("<sha256:")


def test_the_reply_address_and_the_sender() -> None:
    raw = (b"From: =?utf-8?b?0J7Qu9C10L3QsA==?= <olena@example.org>\r\nReply-To: answers@example.org\r\n"
           b"Message-ID: <x@y>\r\nSubject: =?utf-8?q?=D0=A1=D1=83=D0=B1=D1=81=D0=B8=D0=B4=D1=96=D1=8F?=\r\n\r\nText")
    mail = parse(raw)
    assert mail.from_address == "answers@example.org" and mail.subject == "Субсидія" and mail.body == "Text"


def test_reply_subject_and_folder_names() -> None:
    assert reply_subject("Субсидія") == "Re: Субсидія"
    assert reply_subject("RE: Субсидія") == "RE: Субсидія"
    assert len(reply_subject("я" * 500)) <= 200
    assert imap_utf7("Вхідні") == "&BBIERQRWBDQEPQRW-"
    assert imap_utf7("INBOX") == "INBOX" and imap_utf7("A&B") == "A&-B"
