"""The e-mail intake's personal data after its term (decisions 008 and 043): a letter keeps its sender, text and
attachments as long as the appeal it became keeps its own.

* A letter accepted or merged into a record: cleared once the record is anonymised (its storage term, or an
  erasure on request — ``leadership.retention`` stamps the record either way).
* A discarded letter: cleared by the office's records term, counted from the year it was discarded.
* An undecided draft: never (an operator decides it first).

Clearing empties the sender, subject and text, removes the attachments' files (after the commit: a rolled
back run keeps them) and their names, stamps ``anonymised_at`` and writes one audit row per letter with
field names only. The daily job ``appeals.mail_retention`` runs it beside the records' own run.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

from sqlalchemy import select

from reception.appeals.mail_models import InboundMail, MailAttachment
from reception.audit.writer import audit
from reception.kernel.service_layer import Services
from reception.kernel.unit_of_work import UnitOfWork
from reception.leadership.models import ReceptionRecord
from reception.leadership.retention import check_term, cutoff
from reception.leadership.settings import LeadershipSettings
from reception.offices.models import Office
from reception.offices.rules import office_day
from reception.platform.clock import Clock

PERSONAL = ("from_address", "from_name", "subject", "body")


def clear_due_mails(uow: UnitOfWork, clock: Clock) -> tuple[int, list[str]]:
    """Clear the letters past their term: how many, and the stored files to remove once this commits."""
    s = uow.session
    now = clock.now()
    files: list[str] = []
    offices = {o.id: o for o in s.scalars(select(Office))}
    linked = s.scalars(select(InboundMail).join(ReceptionRecord, ReceptionRecord.id == InboundMail.record_id).where(
        InboundMail.anonymised_at.is_(None), ReceptionRecord.anonymised_at.is_not(None)).order_by(InboundMail.id))
    due = list(linked)
    for office in offices.values():
        years = check_term(LeadershipSettings.from_json(office.settings).records_retention_years)
        bound = cutoff(office_day(now, office.timezone), years)
        for mail in s.scalars(select(InboundMail).where(
                InboundMail.office_id == office.id, InboundMail.status == "discarded",
                InboundMail.anonymised_at.is_(None)).order_by(InboundMail.id)):
            if mail.decided_at is not None and office_day(mail.decided_at, office.timezone) < bound:
                due.append(mail)
    # Letters erased on request keep their files' names until now (a rolled back erasure keeps the files).
    for attachment in s.scalars(select(MailAttachment).join(InboundMail).where(
            InboundMail.anonymised_at.is_not(None), MailAttachment.stored_name.is_not(None))):
        files.append(str(attachment.stored_name))
        attachment.stored_name = None
    for mail in due:
        cleared = [field for field in PERSONAL if getattr(mail, field)]
        for field in PERSONAL:
            setattr(mail, field, "")
        for attachment in mail.attachments:
            if attachment.stored_name:
                files.append(attachment.stored_name)
            attachment.stored_name, attachment.filename = None, ""
        mail.anonymised_at = now
        audit(s, now, None, "mail.anonymise", "inbound_mail", mail.id,
              {"fields": cleared, "attachments": len(mail.attachments), "record_id": mail.record_id,
               "automatic": True})
    return len(due), files


def run_mail_retention(services: Services, folder: Path) -> int:
    """The job: clear what is due, then remove the files it named; the number of letters cleared."""
    cleared, files = services.value(clear_due_mails)
    for name in files:
        with suppress(OSError):
            (folder / name).unlink()
    return cleared


def job(services: Services, folder: Path) -> Callable[[], int]:
    return lambda: run_mail_retention(services, folder)
