"""Letters of the mail intake in the personal-data pages: found by the person's records and their e-mail,
exported with their text, erased with their record (a draft and a kept record's letter are kept, with the
reason), the attachment's file removed by the next retention run. Both databases."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select, update

from reception.accounts.models import User
from reception.appeals.inbox import accept, attachment_file, discard
from reception.appeals.mail_models import InboundMail, MailAttachment
from reception.appeals.mail_parse import ParsedAttachment
from reception.appeals.mail_retention import run_mail_retention
from reception.audit.models import AuditLog
from reception.kernel.errors import NotFound
from reception.kernel.identity import Actor
from reception.leadership.models import ReceptionRecord
from tests.fakes import services as make_services
from tests.fakes import signed_in
from tests.web.appeals.test_mail_drafts_api import ACCEPT, add_draft
from tests.web.leadership.test_personal_data_document import document_words

WHO = {"surname": "коваль", "name": "олена"}


def test_letters_found_exported_and_erased_with_their_record(api, client, db, clock, tmp_path: Path) -> None:
    mgr = api.user("mgr", ["manager"])
    core = make_services(db, clock)
    with db.read() as s:
        uid = s.scalar(select(User.id).where(User.username == "mgr"))
    assert uid is not None
    actor = Actor(user_id=uid, roles=frozenset({"manager"}), office_ids=frozenset({1}))
    (tmp_path / "f1").write_bytes(b"scan")
    accepted = add_draft(db, clock, attachments=(ParsedAttachment("паспорт.pdf", "application/pdf", 4, b"scan"),),
                         stored=("f1",))
    discarded = add_draft(db, clock, message_id="<spam@example.org>")
    undecided = add_draft(db, clock, message_id="<later@example.org>")
    record_id = core.value(accept, actor, accepted, dict(ACCEPT))["record"]["id"]
    core.value(discard, actor, discarded, "Дублікат")

    found = api.call("GET", "/personal-data", mgr, query_string=WHO)
    assert found.status_code == 200, found.get_json()
    letters = {m["id"]: m for m in found.get_json()["letters"]}
    assert set(letters) == {accepted, discarded, undecided}  # into the record, and from the record's e-mail
    assert letters[accepted]["record_id"] == record_id and letters[accepted]["from_address"] == "olena@example.org"
    assert letters[accepted]["reason"] == "erasure.on_control"  # the record on control keeps its letter
    assert letters[discarded]["erasable"] is True
    assert letters[undecided]["reason"] == "mail.erasure.draft"
    assert "«Субсидія за жовтень» ще не розглянуто" in letters[undecided]["explanation"]["uk"]
    assert api.call("GET", "/personal-data", mgr, query_string={"surname": "Шевченко"}).get_json().get(
        "letters", []) == []

    signed_in(client, db, clock, uid)
    page = client.get("/backoffice/personal-data", query_string=WHO).get_data(as_text=True)
    assert page.count("data-letter=") == 3 and "Листи електронної пошти" in page and "olena@example.org" in page
    assert "ще не розглянуто" in page

    export = api.call("GET", "/personal-data/export", mgr, query_string=WHO)
    assert export.status_code == 200
    exported = {m["id"]: m for m in export.get_json()["letters"]}
    assert "Не нараховано субсидію" in exported[accepted]["body"]
    assert exported[accepted]["attachments"] == [{"filename": "паспорт.pdf", "content_type": "application/pdf",
                                                  "size": 4}]
    words = document_words(export.get_json())  # the citizen's readable copy lists the letters too
    for shown in ("Листи", "Прийнятий", "Відхилений", "Новий", "olena@example.org", "паспорт.pdf",
                  "Не нараховано субсидію"):
        assert shown in words, (shown, words[-1500:])
    assert "accepted" not in words and "draft" not in words

    erased = api.call("POST", "/personal-data/erase", mgr, json=WHO)
    assert erased.status_code == 200, erased.get_json()
    body = erased.get_json()
    assert body["erased"]["letters"] == [discarded] and body["erased"]["records"] == []
    assert {(k["type"], k["id"]) for k in body["kept"] if k["type"] == "letter"} == {
        ("letter", accepted), ("letter", undecided)}

    with db.write() as s:  # the record's storage term is over: it may go now, and its letter with it
        s.execute(update(ReceptionRecord).where(ReceptionRecord.id == record_id).values(
            reception_date=clock.now().date().replace(year=2015), removed_from_control=clock.now().date().replace(
                year=2015)))
    again = api.call("POST", "/personal-data/erase", mgr, json=WHO)
    assert again.status_code == 200, again.get_json()
    assert again.get_json()["erased"]["records"] == [record_id] and again.get_json()["erased"]["letters"] == [accepted]

    with db.read() as s:
        mails = {m.id: m for m in s.scalars(select(InboundMail))}
        for gone in (accepted, discarded):
            m = mails[gone]
            assert (m.from_address, m.from_name, m.subject, m.body) == ("", "", "", "") and m.anonymised_at
        assert mails[undecided].from_address == "olena@example.org" and mails[undecided].anonymised_at is None
        attachment = s.scalars(select(MailAttachment)).one()
        assert attachment.filename == "" and attachment.stored_name == "f1"
        logged = s.scalars(select(AuditLog).where(AuditLog.action == "mail.erase")).all()
        assert len(logged) == 2 and "olena" not in str([a.detail for a in logged])
        assert len(s.scalars(select(AuditLog).where(AuditLog.action == "mail.export")).all()) == 3
    with pytest.raises(NotFound):  # nobody downloads the erased letter's file meanwhile
        core.value(attachment_file, actor, attachment.id, tmp_path)
    assert (tmp_path / "f1").exists()
    run_mail_retention(core, tmp_path)
    assert not (tmp_path / "f1").exists()
    with db.read() as s:
        assert s.scalars(select(MailAttachment)).one().stored_name is None
