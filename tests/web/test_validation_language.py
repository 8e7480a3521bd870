"""A 422 ``validation`` answer reads as Ukrainian (English with ``lang=en``): the field as the contract spells
it, quoted, and the rule it breaks in words; no English or technical text inside the Ukrainian sentence.
Programs read the same refusal from ``errors`` (each reason's key and parameters), the ``code`` stays."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from reception.http.api.registry import OPERATIONS
from tests.web.test_bad_input import fill_path, world  # noqa: F401  (the fixture: a kiosk, a display, a boss)

QUOTED = re.compile(r"«[^»]*»")


def foreign_words(detail: str) -> list[str]:
    """The Latin-letter words (and unfilled placeholders) of a Ukrainian text outside its «quoted» names and values."""
    return re.findall(r"[A-Za-z]+|[{}]", QUOTED.sub("", detail))


def reads_ukrainian(detail: str) -> bool:
    return not foreign_words(detail) and re.search(r"[а-яіїєґ]{3}", detail) is not None


def reads_english(detail: str) -> bool:
    english = re.search(r"\b(is|a|an|the|at|must|be)\b", detail) is not None
    return english and re.search(r"[А-Яа-яІіЇїЄєҐґ«»{}]", detail) is None


def test_the_check_itself_finds_english_left_in_a_ukrainian_text() -> None:
    assert foreign_words("Дані запиту некоректні: body.service: Field required") == ["body", "service", "Field",
                                                                                    "required"]
    assert foreign_words("Поле «service» обовʼязкове.") == []
    assert foreign_words("Поле «x»: не більше {n} символів.") == ["{", "n", "}"]
    assert not reads_english("Поле «service» обовʼязкове.") and reads_english("Field “service” is required.")


def _ask(api: Any, method: str, path: str, token: str, lang: str, **kw: Any) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}", "Accept-Language": lang}
    r = api.client.open(f"/api/v1{path}", method=method, headers=headers, **kw)
    assert r.status_code == 422 and r.mimetype == "application/problem+json", (path, r.status_code, r.get_json())
    problem: dict[str, Any] = r.get_json()
    assert problem["code"] == "validation" and problem["status"] == 422 and problem["title"], problem
    assert problem["type"].endswith("/validation")
    return problem


# (who, method, path, request keywords, Ukrainian detail, English detail, errors for programs)
CASES: list[tuple[str, str, str, dict[str, Any], str, str, list[dict[str, Any]]]] = [
    ("kiosk", "POST", "/kiosk/tickets", {"json": {}},
     "Поле «service» обовʼязкове.", "Field “service” is required.",
     [{"code": "input.required", "params": {"name": "service", "type": "missing"}}]),
    ("kiosk", "POST", "/kiosk/tickets", {"json": {"service": "я" * 33}},
     "Поле «service»: не більше 32 символів.", "Field “service”: at most 32 characters.",
     [{"code": "input.too_long", "params": {"name": "service", "type": "string_too_long", "n": 32}}]),
    ("kiosk", "POST", "/kiosk/tickets", {"json": {"service": "consult", "lang": "fr"}},
     "Поле «lang» має бути одним зі значень: «uk», «en».", "Field “lang” must be one of: “uk”, “en”.",
     [{"code": "input.choice", "params": {"name": "lang", "type": "literal_error", "choices": ["uk", "en"]}}]),
    ("kiosk", "POST", "/kiosk/tickets", {"json": {"service": "con\x00sult"}},
     "Надісланий текст містить недопустимий символ із кодом 0.",
     "The text sent contains a NUL character (code 0), which is not allowed.",
     [{"code": "input.nul_text", "params": {}}]),
    ("kiosk", "POST", "/kiosk/tickets", {"json": {"service": 7, "idempotency_key": "short", "colour": "red"}},
     "Поле «service»: потрібен текст. Поле «idempotency_key»: щонайменше 16 символів. "
     "Поле «colour» тут не передбачене.",
     "Field “service”: text is needed. Field “idempotency_key”: at least 16 characters. "
     "Field “colour” is not expected here.",
     [{"code": "input.text", "params": {"name": "service", "type": "string_type"}},
      {"code": "input.too_short", "params": {"name": "idempotency_key", "type": "string_too_short", "n": 16}},
      {"code": "input.unknown", "params": {"name": "colour", "type": "extra_forbidden"}}]),
    ("boss", "GET", "/reception-sessions?leader=abc", {},
     "Поле «leader»: потрібне ціле число.", "Field “leader”: a whole number is needed.",
     [{"code": "input.integer", "params": {"name": "leader", "type": "int_parsing"}}]),
    ("boss", "GET", "/messages?status=lost", {},
     "Поле «status» має бути одним зі значень: «queued», «sent», «failed».",
     "Field “status” must be one of: “queued”, “sent”, “failed”.",
     [{"code": "input.choice", "params": {"name": "status", "type": "literal_error",
                                          "choices": ["queued", "sent", "failed"]}}]),
    ("boss", "GET", "/messages?office=T%001", {},
     "Адреса запиту містить недопустимий символ із кодом 0.",
     "The request's address contains a NUL character (code 0), which is not allowed.",
     [{"code": "input.nul_url", "params": {}}]),
    ("boss", "GET", "/reception-sessions?office=T1&from=2026-12-01&to=2026-11-30", {},
     "Кінець періоду («to») має бути не раніше за початок («from») і не пізніше ніж через 400 днів після нього.",
     "The period’s end (“to”) must not be before its start (“from”) nor more than 400 days after it.",
     [{"code": "input.period", "params": {"name": "to", "n": 400}}]),
    ("boss", "POST", "/offices/T1/services",
     {"json": {"code": "zz", "prefix": "Z", "name_uk": "Довідки", "name_en": "Certificates", "category": "nope"}},
     "Категорії послуг «nope» в установі немає.", "There is no service category “nope” in the office.",
     [{"code": "input.category", "params": {"name": "category", "category": "nope"}}]),
    ("boss", "PATCH", "/offices/T1", {},
     "Запит без тіла: надішліть дані в тілі запиту.", "The request has no body: send the data as a JSON object.",
     [{"code": "input.body_required", "params": {}}]),
]


@pytest.mark.parametrize(("who", "method", "path", "kw", "uk", "en", "errors"), CASES,
                         ids=[f"{c[1]} {c[2]} {sorted(c[3].get('json', {}))}" for c in CASES])
def test_a_refusal_is_said_in_the_callers_language(api, world, who, method, path, kw, uk, en, errors) -> None:  # noqa: F811
    ukrainian = _ask(api, method, path, world[who], "uk", **kw)
    assert ukrainian["detail"] == uk and reads_ukrainian(uk), foreign_words(uk)
    assert ukrainian["errors"] == errors and ukrainian["title"] == "Некоректні дані"
    english = _ask(api, method, path, world[who], "en", **kw)
    assert english["detail"] == en and reads_english(en)
    assert english["errors"] == errors and english["title"] == "Invalid data"
    query = _ask(api, method, path + ("&" if "?" in path else "?") + "lang=en", world[who], "uk", **kw)
    assert query["detail"] == en  # ?lang= wins over the browser's languages, as everywhere


def test_an_office_must_be_named_by_a_caller_of_several(api, world) -> None:  # noqa: F811
    from tests.fakes import build_office

    build_office(api.db, "T2")
    token = api.user("both", ["manager"], ["T1", "T2"])
    problem = _ask(api, "GET", "/reception-sessions", token, "uk")
    assert problem["detail"] == "Вкажіть установу в полі «office»: вам доступно кілька установ."
    assert problem["errors"] == [{"code": "input.office", "params": {"name": "office"}}]
    assert _ask(api, "GET", "/reception-sessions", token, "en")["detail"] == \
        "Name the office in “office”: you have access to several."


def test_a_service_rule_refusal_is_said_in_words_too(api, world) -> None:  # noqa: F811
    """A value the schema takes but the domain refuses (here a record's reception date past the sane range, read
    by the same model as the form): the same words, not the validator's English."""
    body = {"office": "T1", "kind": "application", "visitor": {"surname": "Гончар", "name": "Марія"},
            "questions": ["Спадщина"], "reception_date": "2101-01-01"}
    problem = _ask(api, "POST", "/records", world["boss"], "uk", json=body)
    assert problem["detail"] == "Поле «reception_date»: потрібна дата від 1 січня 2000 до 31 грудня 2100.", problem
    assert reads_ukrainian(problem["detail"])
    assert problem["errors"][0]["code"] == "input.date_range"
    assert problem["errors"][0]["params"] == {"name": "reception_date", "type": "value_error",
                                              "min": "2000-01-01", "max": "2100-12-31"}
    english = _ask(api, "POST", "/records", world["boss"], "en", json=body)["detail"]
    assert english.startswith("Field “reception_date”: a date from ") and reads_english(english)


# --- every operation: whatever it refuses as ``validation`` is said in words -------------------------------

OPS = [op for op in OPERATIONS if op.path != "/openapi.json"]


def _bad_requests(op: Any) -> list[tuple[str, dict[str, Any]]]:
    """Query strings and bodies every operation refuses: wrong types, unknown fields, values off its lists."""
    asks: list[tuple[str, dict[str, Any]]] = []
    query = [p for p in op.params if p.where == "query"]
    undated = [p for p in query if p.kind is not date]  # a bad date is its own problem (``date_range``)
    for params in [query] + ([undated] if undated and len(undated) < len(query) else []) if query else []:
        asks.append(("?" + "&".join(f"{p.name}={'abc' if p.kind is int else 'nope'}" for p in params), {}))
    if op.body is not None:
        asks += [("", {"json": {"__bogus__": 1}}), ("", {"json": {f: [] for f in op.body.model_fields}}),
                 ("", {"json": {f: "x" * 5000 for f in op.body.model_fields}}),
                 ("", {"json": {f: {"a": 1} for f in op.body.model_fields}})]
    return asks


@pytest.mark.parametrize("op", OPS, ids=[f"{o.method} {o.path}" for o in OPS])
def test_every_validation_refusal_reads_as_ukrainian_or_english(api, world, op) -> None:  # noqa: F811
    token = world["kiosk"] if op.who.startswith("kiosk") else world["boss"]
    path = fill_path(op, {"code": "T1", "id": world["ticket"], "public_token": "no-such-token"})
    for query, kw in _bad_requests(op):
        said = {}
        for lang in ("uk", "en"):
            r = api.client.open(f"/api/v1{path}{query}", method=op.method, **kw,
                                headers={"Authorization": f"Bearer {token}", "Accept-Language": lang})
            problem = r.get_json(silent=True) or {}
            if problem.get("code") != "validation":
                break
            said[lang] = problem["detail"]
            assert problem["errors"] and all(e["code"].startswith("input.") or e["code"] == "validation"
                                             for e in problem["errors"]), problem
        if said:
            assert reads_ukrainian(said["uk"]), (op.path, query, kw, said["uk"], foreign_words(said["uk"]))
            assert reads_english(said["en"]), (op.path, query, kw, said["en"])
