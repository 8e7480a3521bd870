"""A letter keeps its sender, text and attachments as long as its appeal keeps its personal data; a discarded
letter for the office's records term; an undecided draft until it is decided (decision 043). Both databases."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select, update

from reception.appeals.inbox import accept, discard
from reception.appeals.mail_models import InboundMail, MailAttachment
from reception.appeals.mail_parse import ParsedAttachment
from reception.appeals.mail_retention import run_mail_retention
from reception.audit.models import AuditLog
from reception.kernel.identity import Actor
from reception.leadership.models import ReceptionRecord
from reception.leadership.retention import anonymise_record
from tests.fakes import add_user
from tests.fakes import services as make_services
from tests.web.appeals.test_mail_drafts_api import ACCEPT, add_draft


def test_letters_are_cleared_with_their_appeal_and_after_their_term(db, clock, office, tmp_path: Path) -> None:
    core = make_services(db, clock)
    uid = add_user(db, clock, "mgr", ["manager"], ["T1"])
    actor = Actor(user_id=uid, roles=frozenset({"manager"}), office_ids=frozenset({1}))
    (tmp_path / "f1").write_bytes(b"scan")
    accepted = add_draft(db, clock, attachments=(ParsedAttachment("паспорт.pdf", "application/pdf", 4, b"scan"),),
                         stored=("f1",))
    old_discarded = add_draft(db, clock, message_id="<old@example.org>")
    new_discarded = add_draft(db, clock, message_id="<new@example.org>")
    undecided = add_draft(db, clock, message_id="<undecided@example.org>")
    record_id = core.value(accept, actor, accepted, dict(ACCEPT))["record"]["id"]
    core.value(discard, actor, old_discarded, "Реклама")
    core.value(discard, actor, new_discarded, "Реклама")
    with db.write() as s:
        s.execute(update(InboundMail).where(InboundMail.id == old_discarded)
                  .values(decided_at=clock.now() - timedelta(days=7 * 366)))

    assert run_mail_retention(core, tmp_path) == 1  # the old discarded one; the appeal keeps its letter
    assert (tmp_path / "f1").exists()

    with db.write() as s:  # the appeal's term ends (or the person asks for erasure): the record is anonymised
        rec = s.get(ReceptionRecord, record_id)
        assert rec is not None
        anonymise_record(s, rec, clock.now(), None, 5)
    assert run_mail_retention(core, tmp_path) == 1
    assert run_mail_retention(core, tmp_path) == 0  # once

    assert not (tmp_path / "f1").exists()
    with db.read() as s:
        mails = {m.id: m for m in s.scalars(select(InboundMail))}
        for cleared in (accepted, old_discarded):
            m = mails[cleared]
            assert (m.from_address, m.from_name, m.subject, m.body) == ("", "", "", "") and m.anonymised_at
        for kept in (new_discarded, undecided):
            assert mails[kept].from_address == "olena@example.org" and mails[kept].anonymised_at is None
        attachment = s.scalar(select(MailAttachment))
        assert attachment is not None and (attachment.stored_name, attachment.filename) == (None, "")
        logged = s.scalars(select(AuditLog).where(AuditLog.action == "mail.anonymise")).all()
        assert len(logged) == 2 and "olena" not in str([a.detail for a in logged])
