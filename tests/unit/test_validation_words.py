"""Refusals said where the language is known: ``ValidationFailed.because`` carries message keys and parameters
(``i18n.Text``), the answer says them in Ukrainian or English, with Ukrainian plural forms, and lists them for
programs beside the ``validation`` code."""

from __future__ import annotations

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
