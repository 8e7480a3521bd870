"""The operator's side of the e-mail intake through the API: the drafts, accept / merge / discard (each audited,
each once: a second decision is 409, also when two come at once), attachments as downloads only, answers by
e-mail into the outbox (decision 043). Both databases."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from reception.appeals.inbox import accept, discard
from reception.appeals.intake import store_mail
from reception.appeals.mail_models import InboundMail
from reception.appeals.mail_parse import ParsedAttachment, ParsedMail
from reception.audit.models import AuditLog
from reception.kernel.identity import Actor
from reception.leadership.models import ReceptionRecord
from reception.notifications.models import Message
from tests.fakes import build_office, race
from tests.fakes import services as make_services


def add_draft(db, clock, *, office: str = "T1", message_id: str = "<m1@example.org>",
              attachments: tuple[ParsedAttachment, ...] = (), stored: tuple[str | None, ...] = ()) -> int:
    mail = ParsedMail(message_id=message_id, from_address="olena@example.org", from_name="Олена Коваль",
                      subject="Субсидія за жовтень", body="Не нараховано субсидію за жовтень. Прошу перевірити.",
                      received_at=clock.now(), notes=[], attachments=list(attachments), size=1234)
    made = make_services(db, clock).value(store_mail, office=office, key=f"test/{office}", uidvalidity=1, uid=1,
                                          mail=mail, stored=list(stored))
    assert made is not None
    return int(made)


@pytest.fixture
def people(api, db) -> dict[str, str]:
    build_office(db, "T2")
    return {"cc": api.user("cc", ["call_centre"]), "mgr": api.user("mgr", ["manager"]),
            "op": api.user("op", ["operator"]), "cc2": api.user("cc2", ["call_centre"], ["T2"])}


def audit_actions(db, object_type: str = "inbound_mail") -> list[str]:
    with db.read() as s:
        return list(s.scalars(select(AuditLog.action).where(AuditLog.object_type == object_type)
                              .order_by(AuditLog.id)))


ACCEPT: dict[str, Any] = {"kind": "complaint", "topic": "subsidies", "surname": "Коваль", "name": "Олена"}


def test_the_drafts_are_listed_for_the_office_only(api, db, clock, people) -> None:
    mail_id = add_draft(db, clock)
    add_draft(db, clock, office="T2", message_id="<other@example.org>")

    r = api.call("GET", "/mail-drafts", people["cc"])
    assert r.status_code == 200, r.get_json()
    (draft,) = r.get_json()
    assert draft["id"] == mail_id and draft["status"] == "draft" and draft["office"] == "T1"
    assert draft["from_address"] == "olena@example.org" and draft["subject"] == "Субсидія за жовтень"
    assert api.call("GET", f"/mail-drafts/{mail_id}", people["cc"]).status_code == 200
    assert api.call("GET", f"/mail-drafts/{mail_id}", people["cc2"]).status_code == 404  # another office's
    assert api.call("GET", "/mail-drafts", people["op"]).status_code == 403  # not the operators' work
    assert api.call("GET", "/mail-drafts?status=junk", people["cc"]).status_code in (400, 422)
    assert audit_actions(db) == ["mail.list", "mail.view"]


def test_accept_makes_an_email_record_once(api, db, clock, people) -> None:
    mail_id = add_draft(db, clock)

    r = api.call("POST", f"/mail-drafts/{mail_id}/accept", people["cc"], json=ACCEPT)
    assert r.status_code == 201, r.get_json()
    out = r.get_json()
    record = out["record"]
    assert out["mail"]["status"] == "accepted" and out["mail"]["record_id"] == record["id"]
    assert record["form"] == "email" and record["kind"] == "complaint" and record["topic"] == "subsidies"
    assert record["questions"] == ["Субсидія за жовтень\n\nНе нараховано субсидію за жовтень. Прошу перевірити."]
    with db.read() as s:
        rec = s.get(ReceptionRecord, record["id"])
        assert rec is not None and rec.email == "olena@example.org" and rec.surname == "Коваль"

    for path, body in ((f"/mail-drafts/{mail_id}/accept", ACCEPT), (f"/mail-drafts/{mail_id}/discard",
                                                                     {"reason": "спам"}),
                       (f"/mail-drafts/{mail_id}/merge", {"record_id": record["id"]})):
        again = api.call("POST", path, people["mgr"], json=body)
        assert again.status_code == 409, again.get_json()
    assert audit_actions(db) == ["mail.accept"]
    assert "record.create" in audit_actions(db, "reception_record")
    with db.read() as s:
        assert s.scalar(select(InboundMail.status).where(InboundMail.id == mail_id)) == "accepted"


def test_a_refused_accept_leaves_the_draft_undecided(api, db, clock, people) -> None:
    mail_id = add_draft(db, clock)
    r = api.call("POST", f"/mail-drafts/{mail_id}/accept", people["cc"], json={"kind": "complaint"})
    assert r.status_code == 422, r.get_json()  # a named appeal needs the name (or authorship anonymous)
    assert "Коваль" not in str(r.get_json())
    with db.read() as s:
        assert s.scalar(select(InboundMail.status).where(InboundMail.id == mail_id)) == "draft"
        assert s.scalar(select(ReceptionRecord.id)) is None
    r = api.call("POST", f"/mail-drafts/{mail_id}/accept", people["cc"], json={"kind": "nonsense"})
    assert r.status_code in (400, 422)
    r = api.call("POST", f"/mail-drafts/{mail_id}/accept", people["cc"],
                 json={"kind": "proposal", "authorship": "anonymous", "summary": "Пропозиція", "email": "bad"})
    assert r.status_code == 422, r.get_json()  # the journal's own rule on the address
    r = api.call("POST", f"/mail-drafts/{mail_id}/accept", people["cc"],
                 json={"kind": "proposal", "authorship": "anonymous", "summary": "Пропозиція",
                       "email": "olena.k@example.org"})
    assert r.status_code == 201, r.get_json()
    with db.read() as s:
        assert s.scalar(select(ReceptionRecord.email)) == "olena.k@example.org"


def test_merge_into_an_earlier_appeal(api, db, clock, people) -> None:
    first = add_draft(db, clock)
    second = add_draft(db, clock, message_id="<m2@example.org>")
    other_office = add_draft(db, clock, office="T2", message_id="<m3@example.org>")
    record_id = api.call("POST", f"/mail-drafts/{first}/accept", people["cc"], json=ACCEPT).get_json()["record"]["id"]

    assert api.call("POST", f"/mail-drafts/{second}/merge", people["cc"],
                    json={"record_id": 999_999}).status_code == 404
    r = api.call("POST", f"/mail-drafts/{second}/merge", people["cc"], json={"record_id": record_id})
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["status"] == "merged" and r.get_json()["record_id"] == record_id
    assert api.call("POST", f"/mail-drafts/{second}/merge", people["cc"],
                    json={"record_id": record_id}).status_code == 409
    # Another office's message is not the caller's; another office's record is no place for it.
    assert api.call("POST", f"/mail-drafts/{other_office}/merge", people["cc"],
                    json={"record_id": record_id}).status_code == 404
    assert api.call("POST", f"/mail-drafts/{other_office}/merge", people["cc2"],
                    json={"record_id": record_id}).status_code == 404
    assert audit_actions(db) == ["mail.accept", "mail.merge"]


def test_discard_needs_a_reason_and_happens_once(api, db, clock, people) -> None:
    mail_id = add_draft(db, clock)
    assert api.call("POST", f"/mail-drafts/{mail_id}/discard", people["mgr"], json={"reason": "  "}).status_code \
        in (400, 422)
    r = api.call("POST", f"/mail-drafts/{mail_id}/discard", people["mgr"], json={"reason": "Реклама"})
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["status"] == "discarded" and r.get_json()["discard_reason"] == "Реклама"
    assert api.call("POST", f"/mail-drafts/{mail_id}/discard", people["cc"], json={"reason": "Реклама"}).status_code \
        == 409
    assert audit_actions(db) == ["mail.discard"]


def test_two_decisions_at_once_one_wins(db, db_url, clock, office) -> None:
    build_office(db, "T2")
    from tests.fakes import add_user

    uid = add_user(db, clock, "mgr", ["manager"], ["T1"])
    actor = Actor(user_id=uid, roles=frozenset({"manager"}), office_ids=frozenset({1}))
    mail_id = add_draft(db, clock)
    outcomes = race(db_url, clock, accept, [(actor, mail_id, dict(ACCEPT)), (actor, mail_id, dict(ACCEPT)),
                                            (actor, mail_id, dict(ACCEPT))])
    assert sorted(outcomes) == ["error.mail_decided", "error.mail_decided", "ok"]
    outcomes = race(db_url, clock, discard, [(actor, mail_id, "пізно"), (actor, mail_id, "пізно")])
    assert outcomes == ["error.mail_decided", "error.mail_decided"]
    with db.read() as s:
        assert len(s.scalars(select(ReceptionRecord.id)).all()) == 1
        assert s.scalars(select(AuditLog.action).where(AuditLog.action.like("mail.%"))).all() == ["mail.accept"]


def test_attachments_are_downloads_never_inline(api, app, db, clock, people, tmp_path: Path) -> None:
    folder = tmp_path / "att"
    folder.mkdir()
    app.config["MAIL_ATTACHMENTS_DIR"] = str(folder)
    (folder / "a1b2").write_bytes(b"<script>alert(1)</script>")
    mail_id = add_draft(db, clock, attachments=(
        ParsedAttachment("page.html", "text/html", 25, b"<script>alert(1)</script>"),
        ParsedAttachment("huge.pdf", "application/pdf", 50_000_000, None)), stored=("a1b2", None))
    draft = api.call("GET", f"/mail-drafts/{mail_id}", people["cc"]).get_json()
    page, huge = draft["attachments"]
    assert (page["filename"], page["too_large"], huge["too_large"]) == ("page.html", False, True)

    r = api.call("GET", f"/mail-attachments/{page['id']}", people["cc"])
    assert r.status_code == 200
    assert r.data == b"<script>alert(1)</script>"
    assert r.headers["Content-Disposition"].startswith("attachment")
    assert "page.html" in r.headers["Content-Disposition"]
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.mimetype == "application/octet-stream"  # an HTML file is handed out as bytes
    assert "sandbox" in r.headers["Content-Security-Policy"]
    assert api.call("GET", f"/mail-attachments/{huge['id']}", people["cc"]).status_code == 404
    assert api.call("GET", f"/mail-attachments/{page['id']}", people["cc2"]).status_code == 404
    assert "mail.attachment" in audit_actions(db, "mail_attachment")


def test_an_answer_by_email_goes_to_the_outbox_and_marks_the_record(api, db, clock, people) -> None:
    mail_id = add_draft(db, clock)
    record_id = api.call("POST", f"/mail-drafts/{mail_id}/accept", people["cc"], json=ACCEPT).get_json()["record"]["id"]

    assert api.call("POST", f"/records/{record_id}/email-answer", people["cc"], json={"body": " "}).status_code \
        in (400, 422)
    r = api.call("POST", f"/records/{record_id}/email-answer", people["cc"],
                 json={"body": "Субсидію перераховано, кошти надійдуть до 10 грудня."})
    assert r.status_code == 200, r.get_json()
    out = r.get_json()
    assert out["sent_to"] == "olena@example.org" and out["subject"] == "Re: Субсидія за жовтень"
    assert out["record"]["answer_method"] == "email" and out["record"]["removed_from_control"]
    with db.read() as s:
        (message,) = s.scalars(select(Message)).all()
        assert (message.channel, message.address, message.kind) == ("email", "olena@example.org", "appeal_answer")
        assert message.subject == "Re: Субсидія за жовтень" and message.status == "queued"
        assert message.body.startswith("Субсидію перераховано") and "Субсидія за жовтень" in message.body
        assert s.scalar(select(InboundMail.answered_at).where(InboundMail.id == mail_id)) is not None
    # The same answer again is the same message (the outbox's key), not a second e-mail.
    again = api.call("POST", f"/records/{record_id}/email-answer", people["cc"],
                     json={"body": "Субсидію перераховано, кошти надійдуть до 10 грудня."})
    assert again.status_code == 200
    with db.read() as s:
        assert len(s.scalars(select(Message.id)).all()) == 1
    assert audit_actions(db, "reception_record").count("mail.answer") == 2
    assert api.call("POST", "/records/999999/email-answer", people["cc"], json={"body": "x"}).status_code == 404


def test_an_answer_by_email_to_nobody_is_refused_by_the_records_state(api, db, clock, people) -> None:
    """No address on the letter or the card: the request is fine, the record cannot take it (409, in words)."""
    mail_id = add_draft(db, clock)
    record_id = api.call("POST", f"/mail-drafts/{mail_id}/accept", people["cc"], json=ACCEPT).get_json()["record"]["id"]
    with db.write() as s:
        s.execute(update(InboundMail).where(InboundMail.id == mail_id).values(from_address=""))
        s.execute(update(ReceptionRecord).where(ReceptionRecord.id == record_id).values(email=""))
    r = api.call("POST", f"/records/{record_id}/email-answer", people["cc"], json={"body": "Відповідь."})
    assert r.status_code == 409 and r.get_json()["code"] == "mail_no_address"
    assert r.get_json()["detail"].startswith("Невідома адреса електронної пошти заявника")
    with db.read() as s:
        assert not s.scalars(select(Message.id)).all()
