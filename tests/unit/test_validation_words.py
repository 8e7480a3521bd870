"""Refusals said where the language is known: ``ValidationFailed.because`` carries message keys and parameters
(``i18n.Text``), the answer says them in Ukrainian or English, with Ukrainian plural forms, and lists them for
programs beside the ``validation`` code. Pydantic's refusals become such texts (``bounds.describe_errors``): a key
by the error's ``type``, the bound from its ``ctx``, the field as the contract spells it."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal

import pytest
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from reception.kernel.bounds import MAX_REASONS, NOT_BLANK, SaneDate, describe_errors
from reception.kernel.errors import BadValue, ValidationFailed
from reception.platform import i18n
from reception.platform.i18n import Text


def test_reasons_are_said_in_the_readers_language_and_listed_for_programs(app) -> None:
    from reception.http.problems import from_domain_error

    error = ValidationFailed.because(Text.of("error.field_range", field="after_min", low=0, high=240),
                                     Text.of("error.field_required", field="office"))
    assert (error.key, error.status, error.message_key) == ("error.validation", 422, "error.validation_reasons")
    assert i18n.t(error.message_key, "uk", **error.params) == \
        "Поле «after_min»: число від 0 до 240. Заповніть поле «office»."
    with app.test_request_context("/api/v1/tickets", headers={"Accept-Language": "en"}):
        problem = from_domain_error(error).get_json()
    assert problem == {
        "type": "https://reception.local/problems/validation", "title": "Invalid data", "status": 422,
        "detail": "“after_min”: a number from 0 to 240. Fill in “office”.", "code": "validation", "params": {},
        "errors": [{"code": "field_range", "params": {"field": "after_min", "low": 0, "high": 240}},
                   {"code": "field_required", "params": {"field": "office"}}]}


def test_a_text_is_said_later_with_its_plural_form_and_values_quoted_as_the_language_quotes() -> None:
    assert [Text.of("phone.people", count=n).say("uk") for n in (1, 3, 5, 21)] == \
        ["1 особа", "3 особи", "5 осіб", "21 особа"]
    assert Text.of("phone.people", count=3).say("en") == "3 people"
    assert (i18n.t("text.quoted", "uk", value="uk"), i18n.t("text.quoted", "en", value="uk")) == ("«uk»", "“uk”")
    assert BadValue("error.field_required").text("office") == Text("error.field_required", {"name": "office"})
    assert isinstance(BadValue("error.field_required"), ValueError)


def test_values_to_choose_from_are_each_quoted_and_reasons_follow_one_another() -> None:
    error = ValidationFailed.because(Text.of("error.input.choice", name="kind", choices=("kiosk", "display")),
                                     Text.of("error.input.unknown", name="colour"))
    assert i18n.t(error.message_key, "uk", **error.params) == \
        "Поле «kind» має бути одним зі значень: «kiosk», «display». Поле «colour» тут не передбачене."
    assert i18n.t(error.message_key, "en", **error.params) == \
        "Field “kind” must be one of: “kiosk”, “display”. Field “colour” is not expected here."


def test_a_count_of_days_takes_the_plural_form() -> None:
    said = [Text.of("error.input.period", count=n).say("uk").split("через ")[1] for n in (1, 2, 5, 21, 400)]
    assert said == [f"{n} після нього." for n in ("1 день", "2 дні", "5 днів", "21 день", "400 днів")]


# --- pydantic's errors, by type ---------------------------------------------------------------------------


def _plain(value: str) -> str:
    if value == "bad":
        raise ValueError("an English sentence nobody should read")
    return value


class Inner(BaseModel):
    model_config = ConfigDict(extra="forbid")
    channel: Literal["sms", "email"]


class Sample(BaseModel):
    model_config = ConfigDict(extra="forbid")
    service: str = Field(default="x", min_length=2, max_length=4)
    blank: str = Field(default="x", pattern=NOT_BLANK)
    count: int = Field(default=1, ge=1, le=9)
    share: float = Field(default=0.5, gt=0, lt=1)
    flag: bool = False
    day: SaneDate = date(2026, 1, 1)
    at: AwareDatetime | None = None
    items: list[str] = Field(default_factory=list, max_length=2)
    inner: Inner | None = None
    plain: Annotated[str, AfterValidator(_plain)] = ""
    required: str


def _reasons(data: dict[str, Any], model: type[BaseModel] = Sample) -> tuple[Text, ...]:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    return describe_errors(caught.value)


def _one(data: dict[str, Any]) -> Text:
    found = [r for r in _reasons({"required": "y"} | data) if r.params.get("name") != "required"]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(("data", "key", "count", "params"), [
    ({"service": "x" * 5}, "error.input.too_long", 4, {"name": "service", "type": "string_too_long"}),
    ({"service": "x"}, "error.input.too_short", 2, {"name": "service", "type": "string_too_short"}),
    ({"blank": "  "}, "error.input.blank", None, {"name": "blank", "type": "string_pattern_mismatch"}),
    ({"count": "many"}, "error.input.integer", None, {"name": "count", "type": "int_parsing"}),
    ({"count": 0}, "error.input.min", None, {"name": "count", "type": "greater_than_equal", "limit": 1}),
    ({"count": 10}, "error.input.max", None, {"name": "count", "type": "less_than_equal", "limit": 9}),
    ({"share": 0}, "error.input.above", None, {"name": "share", "type": "greater_than", "limit": 0}),
    ({"share": 1}, "error.input.below", None, {"name": "share", "type": "less_than", "limit": 1}),
    ({"share": "half"}, "error.input.number", None, {"name": "share", "type": "float_parsing"}),
    ({"flag": "maybe"}, "error.input.switch", None, {"name": "flag", "type": "bool_parsing"}),
    ({"day": "someday"}, "error.input.date", None, {"name": "day", "type": "date_from_datetime_parsing"}),
    ({"day": "2101-01-01"}, "error.input.date_range", None,
     {"name": "day", "type": "value_error", "min": date(2000, 1, 1), "max": date(2100, 12, 31)}),
    ({"at": "2026-12-01T10:00:00"}, "error.input.datetime", None, {"name": "at", "type": "timezone_aware"}),
    ({"items": ["a", "b", "c"]}, "error.input.many_items", 2, {"name": "items", "type": "too_long"}),
    ({"items": "abc"}, "error.input.list", None, {"name": "items", "type": "list_type"}),
    ({"inner": "sms"}, "error.input.object", None, {"name": "inner", "type": "model_type"}),
    ({"inner": {"channel": "fax"}}, "error.input.choice", None,
     {"name": "inner.channel", "type": "literal_error", "choices": ("sms", "email")}),
    ({"inner": {"channel": "sms", "extra": 1}}, "error.input.unknown", None,
     {"name": "inner.extra", "type": "extra_forbidden"}),
    ({"plain": "bad"}, "error.input.invalid", None, {"name": "plain", "type": "value_error"}),
    ({"service": 5}, "error.input.text", None, {"name": "service", "type": "string_type"}),
])
def test_each_error_type_has_its_words(data: dict[str, Any], key: str, count: int | None,
                                       params: dict[str, Any]) -> None:
    reason = _one(data)
    assert (reason.key, reason.count, dict(reason.params)) == (key, count, params)
    uk, en = reason.say("uk"), reason.say("en")
    assert f"«{params['name']}»" in uk and f"“{params['name']}”" in en
    assert not re.findall(r"[A-Za-z{}]", re.sub(r"«[^»]*»", "", uk)), uk
    assert not re.search(r"[А-Яа-яІіЇїЄєҐґ«»{}]", en), en


def test_a_missing_field_and_the_first_few_fields_only() -> None:
    (missing,) = _reasons({})
    assert missing == Text("error.input.required", {"name": "required", "type": "missing"})
    assert missing.say("uk") == "Поле «required» обовʼязкове."
    many = _reasons({"service": "x", "blank": "", "count": 0, "share": 2, "flag": "?", "day": "?", "items": 1})
    assert [r.params["name"] for r in many] == ["service", "blank", "count", "share", "flag"]
    assert len(many) == MAX_REASONS


class Contact(BaseModel):
    phone: str = ""
    email: str = ""

    @model_validator(mode="after")
    def _a_contact(self) -> Contact:
        if not (self.phone or self.email):
            raise BadValue("error.input.contact")
        return self


class Rule(BaseModel):
    start: int = 0
    end: int = 0

    @model_validator(mode="after")
    def _ordered(self) -> Rule:
        if self.end < self.start:
            raise ValueError("start must be before end")
        return self


def test_a_rule_over_the_whole_body_names_no_field() -> None:
    (contact,) = _reasons({}, Contact)
    assert (contact.key, contact.say("uk")) == ("error.input.contact", "Вкажіть телефон або електронну пошту.")
    (rule,) = _reasons({"start": 2, "end": 1}, Rule)
    assert (rule.key, rule.say("uk"), rule.say("en")) == ("error.validation", "Дані запиту некоректні.",
                                                          "Invalid request data.")


@pytest.mark.parametrize(("count", "uk_long", "uk_short", "en_long"), [
    (1, "не більше 1 символу", "щонайменше 1 символ", "at most 1 character"),
    (2, "не більше 2 символів", "щонайменше 2 символи", "at most 2 characters"),
    (5, "не більше 5 символів", "щонайменше 5 символів", "at most 5 characters"),
    (11, "не більше 11 символів", "щонайменше 11 символів", "at most 11 characters"),
    (21, "не більше 21 символу", "щонайменше 21 символ", "at most 21 characters"),
    (64, "не більше 64 символів", "щонайменше 64 символи", "at most 64 characters"),
])
def test_counts_take_the_plural_form_of_the_language(count: int, uk_long: str, uk_short: str, en_long: str) -> None:
    assert Text.of("error.input.too_long", count=count, name="service").say("uk") == f"Поле «service»: {uk_long}."
    assert Text.of("error.input.too_short", count=count, name="service").say("uk") == f"Поле «service»: {uk_short}."
    assert Text.of("error.input.too_long", count=count, name="service").say("en") == f"Field “service”: {en_long}."


def test_a_bad_date_is_still_a_value_error_for_callers_that_catch_one() -> None:
    from reception.kernel.bounds import date_in_range

    with pytest.raises(ValueError, match="error.input.date_range"):
        date_in_range(datetime(1999, 12, 31, 12, 0))
