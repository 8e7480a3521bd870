"""The e-mail intake's back-office page (Ukrainian): the drafts, accept / merge / discard by form, the answer by
e-mail; the sender's HTML never reaches the page as markup (decision 043)."""

from __future__ import annotations

from sqlalchemy import select

from reception.appeals.intake import store_mail
from reception.appeals.mail_models import InboundMail
from reception.appeals.mail_parse import ParsedAttachment, ParsedMail, parse
from reception.notifications.models import Message
from tests.fakes import CSRF_TOKEN, add_user, signed_in
from tests.fakes import services as make_services
from tests.web.appeals.test_mail_drafts_api import add_draft


def sign_in(client, db, clock, username: str, roles: list[str]) -> None:
    signed_in(client, db, clock, add_user(db, clock, username, roles, ["T1"]))


def test_the_page_lists_and_decides_drafts(client, db, clock, office) -> None:
    first = add_draft(db, clock, attachments=(ParsedAttachment("заява.pdf", "application/pdf", 2048, None),),
                      stored=(None,))
    second = add_draft(db, clock, message_id="<m2@example.org>")
    sign_in(client, db, clock, "cc", ["call_centre"])

    page = client.get("/backoffice/mail").get_data(as_text=True)
    assert "Звернення електронною поштою" in page and "Субсидія за жовтень" in page
    assert "olena@example.org" in page and "заява.pdf" in page and "завелике, не збережено" in page
    assert "Зареєструвати як звернення" in page and 'href="/backoffice/mail"' in page  # in the menu

    r = client.post(f"/backoffice/mail/{first}/accept", data={"csrf_token": CSRF_TOKEN, "office": "T1",
                                                               "kind": "complaint", "surname": "Коваль",
                                                               "name": "Олена", "summary": ""})
    assert r.status_code == 302
    followed = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "Лист зареєстровано як звернення" in followed
    with db.read() as s:
        mail = s.get(InboundMail, first)
        assert mail is not None and mail.status == "accepted" and mail.record_id
        record_id = mail.record_id

    r = client.post(f"/backoffice/mail/{second}/discard", data={"csrf_token": CSRF_TOKEN, "office": "T1",
                                                                 "reason": ""})
    assert "Вкажіть причину" in client.get(r.headers["Location"]).get_data(as_text=True)
    page = client.get(f"/backoffice/mail?id={second}").get_data(as_text=True)
    assert "Звернення з цієї адреси" in page and f'name="record_id" value="{record_id}" checked' in page
    r = client.post(f"/backoffice/mail/{second}/merge", data={"csrf_token": CSRF_TOKEN, "office": "T1",
                                                               "record_id": str(record_id)})
    assert "Лист приєднано до звернення." in client.get(r.headers["Location"]).get_data(as_text=True)
    r = client.post(f"/backoffice/mail/{second}/discard", data={"csrf_token": CSRF_TOKEN, "office": "T1",
                                                                 "reason": "Спам"})
    assert "вже ухвалено рішення" in client.get(r.headers["Location"]).get_data(as_text=True)

    card = client.get(f"/backoffice/records/{record_id}").get_data(as_text=True)
    assert f'href="/backoffice/mail/answer/{record_id}"' in card  # from the record, the answer by e-mail
    answer = client.get(f"/backoffice/mail/answer/{record_id}").get_data(as_text=True)
    assert "Кому: olena@example.org" in answer and "Re: Субсидія за жовтень" in answer
    r = client.post(f"/backoffice/mail/answer/{record_id}", data={"csrf_token": CSRF_TOKEN, "subject": "",
                                                                    "body": "Перевірено, субсидію нараховано."})
    assert "поставлено в чергу" in client.get(r.headers["Location"]).get_data(as_text=True)
    with db.read() as s:
        assert s.scalar(select(Message.address)) == "olena@example.org"


def test_the_senders_html_is_text_on_the_page(client, db, clock, office) -> None:
    raw = (b"From: x@example.org\r\nMessage-ID: <h@example.org>\r\nSubject: <img src=x onerror=alert(1)>\r\n"
           b"Content-Type: text/html; charset=utf-8\r\n\r\n<p>Hi<script>alert(2)</script></p>"
           b"<p>&lt;b&gt;not bold&lt;/b&gt;</p>")
    mail: ParsedMail = parse(raw)
    make_services(db, clock).value(store_mail, office="T1", key="t", uidvalidity=1, uid=1, mail=mail, stored=[])
    sign_in(client, db, clock, "mgr", ["manager"])
    page = client.get("/backoffice/mail").get_data(as_text=True)
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "alert(2)" not in page and "<b>not bold" not in page and "&lt;b&gt;not bold" in page


def test_the_page_is_for_the_call_centre_and_managers(client, db, clock, office) -> None:
    sign_in(client, db, clock, "op", ["operator"])
    assert client.get("/backoffice/mail").status_code in (302, 403)
