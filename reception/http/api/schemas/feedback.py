"""Feedback: the visitor's rating of a finished visit (phone page, hall survey)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field
from pydantic.json_schema import JsonDict

from reception.http.api.schemas.common import Strict

# The bounds are stated here and enforced by the feedback rules, which refuse with a message of their own
# (codes ``feedback_score``, ``feedback_comment``) rather than the validator's words.
SCORE: JsonDict = {"minimum": 1, "maximum": 5, "description": "1 (bad) … 5 (excellent)"}
COMMENT: JsonDict = {"maxLength": 1000, "description": "optional; nothing personal is asked"}


class FeedbackIn(Strict):
    score: int = Field(json_schema_extra=SCORE)
    comment: str | None = Field(default=None, json_schema_extra=COMMENT)


class HallFeedbackIn(Strict):
    """The hall survey: the code printed on the visitor's slip (a visit finished today in this office)."""

    code: str = Field(min_length=1, max_length=16, description="e.g. А-012")
    score: int = Field(json_schema_extra=SCORE)
    comment: str | None = Field(default=None, json_schema_extra=COMMENT)


class FeedbackOut(BaseModel):
    id: int
    score: int
    via: Literal["phone", "hall", "message"]
