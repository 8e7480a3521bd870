"""A reception record's values: one set of types, required values and sizes for the API, the form and
the service (``records`` checks every create and change against ``RecordValues``)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from reception.kernel.bounds import NOT_BLANK, Id, SaneDate, has_nul
from reception.kernel.errors import BadValue


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @model_validator(mode="after")
    def _no_nul(self) -> Any:
        """PostgreSQL refuses NUL in text: refuse it here as bad input, not later as a 500.

        After validation (the values as read): a "before" validator would hand the API's strict JSON
        validation a Python dict, where strict mode no longer reads dates from their ISO strings."""
        if has_nul(self.model_dump()):
            raise BadValue("error.input.nul_text")
        return self


MAX_QUESTIONS = 30
MAX_QUESTION_CHARS = 4000  # a long question fits on the card; a 10 MB one is refused before any work
Short = Annotated[str, Field(max_length=200)]
Long = Annotated[str, Field(max_length=5000)]
Code = Annotated[str, Field(max_length=32)]
Question = Annotated[str, Field(max_length=MAX_QUESTION_CHARS)]
# At least one question that is not blank (records._validate drops blank ones).
Questions = Annotated[list[Question], Field(max_length=MAX_QUESTIONS,
                                            json_schema_extra={"contains": {"type": "string", "pattern": NOT_BLANK}})]
Kind = Literal["proposal", "application", "complaint"]
Authorship = Literal["individual", "collective", "anonymous"]
AnswerMethod = Literal["", "oral", "letter", "email", "phone", "in_person"]
# How the appeal came (decision 042): at personal reception, by phone, by e-mail, by letter.
Form = Literal["personal_reception", "phone", "email", "letter"]
FORMS = ("personal_reception", "phone", "email", "letter")
Topic = Annotated[str, Field(max_length=64)]


class RecordVisitor(Strict):
    surname: Short = ""
    name: Short = ""
    patronymic: Short = ""
    address: str = Field(default="", max_length=500)
    phone: str = Field(default="", max_length=32)
    email: Short = ""


class RecordValues(RecordVisitor):
    """A record's values as stored, flat: types, required values and sizes.

    The service checks every create and change against it (``records``), so the API, the form
    and any other caller meet the same limits, and a required value cannot be cleared.
    """

    reception_date: SaneDate
    leader_id: Id | None = None
    received_by_name: Short = ""
    received_by_position: Short = ""
    ticket_id: Id | None = None
    appointment_id: Id | None = None
    conceal_name: bool = False
    social_status: Short = ""
    category: Code | None = None
    authorship: Authorship = "individual"
    is_repeat: bool = False
    form: Form = "personal_reception"
    kind: Kind
    questions: Questions
    resolution: Long = ""
    resolution_author: Short = ""
    executor: Short = ""
    needs_study: bool = True
    result: Long = ""
    answer_method: AnswerMethod = ""
    removed_from_control: SaneDate | None = None
    topic: Topic = ""
    is_consultation: bool = False
    answered_on_spot: bool = False
    executor_id: Id | None = None
