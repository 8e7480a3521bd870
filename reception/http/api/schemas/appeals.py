"""The journal of appeals (decision 042): the caller's earlier appeals, topics, executors, the call draft."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from reception.kernel.bounds import NO_NUL, NOT_BLANK
from reception.leadership.record_values import Strict


class EarlierAppeal(BaseModel):
    id: int
    reg_index: str
    reception_date: str
    form: str
    kind: str
    topic: str
    topic_name: str
    summary: str
    status: str = Field(description="consultation | on_spot | answered | overdue | on_control")
    is_repeat: bool
    deadline: str
    executor: str


class CallerOut(BaseModel):
    phone: str = Field(description="E.164")
    phone_text: str
    person: dict[str, str] | None
    appeals: list[EarlierAppeal]


class TopicItem(Strict):
    code: str = Field(pattern=r"^[a-z0-9_]{1,64}$")
    name_uk: str = Field(min_length=1, max_length=200, pattern=NOT_BLANK)
    name_en: str = Field(default="", max_length=200, pattern=NO_NUL)
    active: bool = True


class TopicsIn(Strict):
    topics: list[TopicItem] = Field(min_length=1, max_length=100)


class TopicOut(BaseModel):
    code: str
    name_uk: str
    name_en: str
    active: bool


class ExecutorOut(BaseModel):
    id: int
    name: str
    position: str


def _text(most: int) -> Any:
    return Field(default="", max_length=most, pattern=NO_NUL)


class DraftData(Strict):
    """The call screen's fields as typed (nothing is checked beyond sizes: it is a draft)."""

    phone: str = _text(32)
    surname: str = _text(200)
    name: str = _text(200)
    patronymic: str = _text(200)
    email: str = _text(200)
    topic: str = _text(64)
    summary: str = _text(4000)
    answer: str = _text(4000)
    executor_id: str = Field(default="", max_length=12, pattern=r"^[0-9]*$")
    kind: Literal["", "proposal", "application", "complaint"] = ""
    outcome: Literal["", "consultation", "on_spot", "control"] = ""
    needs_study: bool = True


class DraftIn(Strict):
    office: str = Field(min_length=1, max_length=32, pattern=NOT_BLANK)
    data: DraftData


class DraftOut(BaseModel):
    office: str | None
    data: dict[str, Any]
    updated_at: str | None


class AppealDayCount(BaseModel):
    date: str
    appeals: int


class ReportAppeals(BaseModel):
    """The journal of appeals in the report's period (decision 042)."""

    total: int
    by_form: dict[str, int]
    by_kind: dict[str, int]
    by_topic: dict[str, int]
    by_outcome: dict[str, int]
    by_day: list[AppealDayCount]
    consultations: int
    repeat: int
    repeat_pct: float | None
    overdue: int
    answered: int
    median_answer_days: float | None
    topic_names: dict[str, str] = Field(default_factory=dict, description="topic code -> its name (Ukrainian)")


class HallAppeals(BaseModel):
    """Today's appeals of the office (every form) and what is overdue now."""

    total: int
    by_form: dict[str, int]
    consultations: int
    on_spot: int
    repeat: int
    overdue: int
