"""Tables of the e-mail intake (decision 043): messages read from the office's mailbox, their attachments,
and where the reading of each mailbox stands.

A message becomes a *draft* (``inbound_mails``); an operator accepts it as a record of the journal
(form "email"), merges it into an earlier appeal, or discards it — once. Attachments are files in the
instance folder under random names; the table keeps the sender's filename and content type as data.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from reception.platform.orm import Base, UTCDateTime, aware_dt, intpk

MAIL_STATUSES = ("draft", "accepted", "merged", "discarded")
MESSAGE_ID_MAX = 255
ADDRESS_MAX = 320
SUBJECT_MAX = 300


class InboundMail(Base):
    """One message of the office's mailbox: a draft appeal until an operator decides it."""

    __tablename__ = "inbound_mails"
    __table_args__ = (
        # Deduplication: the same message (its Message-ID, or a hash of its headers and body when it has
        # none) is one draft, however often it is read.
        UniqueConstraint("office_id", "message_id"),
        Index("ix_inbound_mails_office_status", "office_id", "status", "received_at"),
    )

    id: Mapped[intpk]
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    message_id: Mapped[str] = mapped_column(String(MESSAGE_ID_MAX))
    # The sender (personal data, like a record's e-mail): the address answers go to.
    from_address: Mapped[str] = mapped_column(String(ADDRESS_MAX), default="")
    from_name: Mapped[str] = mapped_column(String(200), default="")
    subject: Mapped[str] = mapped_column(String(SUBJECT_MAX), default="")
    body: Mapped[str] = mapped_column(Text, default="")  # plain text only (HTML converted to text)
    # What the intake had to do to the message: body_truncated, html_converted, message_too_large, ...
    notes: Mapped[list[Any]] = mapped_column(default=list)
    size: Mapped[int] = mapped_column(Integer, default=0)  # the message's size in bytes, as the server said
    received_at: Mapped[aware_dt]  # the message's Date (or when it was read, if it had none or a bad one)
    fetched_at: Mapped[aware_dt]
    status: Mapped[str] = mapped_column(String(16), default="draft")  # one of MAIL_STATUSES
    record_id: Mapped[int | None] = mapped_column(ForeignKey("reception_records.id"), index=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    discard_reason: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the last answer sent to the sender
    # Set when the sender's data, the text and the attachments were cleared after their term (mail_retention).
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    attachments: Mapped[list[MailAttachment]] = relationship(
        back_populates="mail", order_by="MailAttachment.id", cascade="all, delete-orphan")


class MailAttachment(Base):
    """One attachment of a message: a file under a random name (``stored_name``), or none when it was too
    large to keep (``too_large``) — the sender's filename and content type are data, never trusted."""

    __tablename__ = "mail_attachments"

    id: Mapped[intpk]
    mail_id: Mapped[int] = mapped_column(ForeignKey("inbound_mails.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255), default="")
    content_type: Mapped[str] = mapped_column(String(127), default="application/octet-stream")
    size: Mapped[int] = mapped_column(Integer, default=0)
    stored_name: Mapped[str | None] = mapped_column(String(64))
    too_large: Mapped[bool] = mapped_column(Boolean, default=False)

    mail: Mapped[InboundMail] = relationship(back_populates="attachments")


class MailboxCursor(Base):
    """How far a mailbox has been read: its UIDVALIDITY and the last UID made into a draft, advanced in
    the transaction that stores the draft (so a crash re-reads at most the message in flight, and the
    Message-ID makes that one draft). Also the last poll's outcome, for /healthz."""

    __tablename__ = "mailbox_cursors"

    mailbox: Mapped[str] = mapped_column(String(400), primary_key=True)  # host:port/user/folder, no password
    uidvalidity: Mapped[int] = mapped_column(BigInteger, default=0)
    last_uid: Mapped[int] = mapped_column(BigInteger, default=0)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_ok_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(500))
