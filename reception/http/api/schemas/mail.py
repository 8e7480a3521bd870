"""The e-mail intake (decision 043): drafts read from the office's mailbox, the decision on each, and
answers by e-mail."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from reception.appeals.inbox import ANSWER_MAX, REASON_MAX
from reception.http.api.schemas.leadership import RecordOut
from reception.kernel.bounds import NOT_BLANK, Id
from reception.leadership.record_values import MAX_QUESTION_CHARS, Authorship, Kind, Short, Strict, Topic


class MailAttachmentOut(BaseModel):
    id: int
    filename: str
    content_type: str
    size: int
    too_large: bool = Field(description="too large to keep: listed, its content not stored")


class MailDraftOut(BaseModel):
    id: int
    office: str
    status: Literal["draft", "accepted", "merged", "discarded"]
    message_id: str
    from_address: str
    from_name: str
    subject: str
    body: str = Field(description="plain text (an HTML message converted to text)")
    notes: list[str] = Field(description="what the intake did: body_truncated, html_converted, message_too_large, "
                                         "malformed, no_message_id, no_sender, attachment_too_large, …")
    size: int
    received_at: str
    fetched_at: str
    record_id: int | None
    decided_at: str | None
    discard_reason: str | None
    answered_at: str | None
    attachments: list[MailAttachmentOut]


class MailAcceptIn(Strict):
    kind: Kind
    topic: Topic = ""
    summary: str | None = Field(default=None, max_length=MAX_QUESTION_CHARS,
                                description="the appeal in short (default: the subject and the text)")
    surname: Short | None = None
    name: Short | None = None
    patronymic: Short | None = None
    authorship: Authorship | None = None
    address: str | None = Field(default=None, max_length=500)
    phone: str | None = Field(default=None, max_length=32)
    email: Short | None = Field(default=None, description="the applicant's address (default: the sender's)")
    executor_id: Id | None = None


class MailAcceptOut(BaseModel):
    mail: MailDraftOut
    record: RecordOut


class MailMergeIn(Strict):
    record_id: Id


class MailDiscardIn(Strict):
    reason: str = Field(min_length=1, max_length=REASON_MAX, pattern=NOT_BLANK)


class EmailAnswerIn(Strict):
    body: str = Field(min_length=1, max_length=ANSWER_MAX, pattern=NOT_BLANK)
    subject: str | None = Field(default=None, max_length=190, description='default: "Re: " and the letter\'s subject')


class EmailAnswerOut(BaseModel):
    record: RecordOut
    sent_to: str
    subject: str
    queued_at: str
