"""The published OpenAPI document is fuzzed against the app (schemathesis) with every check it has, over every
operation, with data the document calls valid and data it calls invalid: no 500s, only documented statuses,
content types and schemas, invalid data refused, valid data accepted (the good-data tour that reaches each
operation's 2xx is test_openapi_conformance).

"Valid data accepted" has one exception, named here and nowhere else: a refusal (422, or the 400 of a wrong
current password) whose problem ``code`` is a rule JSON Schema cannot state — a relation between two values
(from <= to), or whether a value names something that exists (an office, a service, a time zone). A refusal by
the schema's own validation (``code: validation``) is never excused: that is the document and the server
disagreeing.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from jsonschema import Draft202012Validator
from schemathesis import GenerationMode
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from reception.accounts.auth import issue_user_token
from reception.accounts.models import User
from reception.http.api.registry import OPERATIONS
from tests.fakes import add_user

ALL_ROLES = ["admin", "manager", "operator", "leader", "call_centre", "auditor"]
EXAMPLES = int(os.environ.get("RECEPTION_FUZZ_EXAMPLES", "5"))  # per operation and mode; CI's bound

# Problem codes of rules over data the document describes value by value (see the module's docstring).
DATA_RULES = {
    # one value against another
    "report_period_order", "report_period_range", "extension_not_later", "extension_beyond_45",
    "removed_before_reception", "not_rule_date", "not_a_slot", "password_unchanged", "bad_rule",
    "record_visitor",  # a change leaving the stored record unnamed (a new one states it: RecordIn)
    "field_required", "admin.bad.weights", "admin.bad.opening_hours", "admin.bad.walk_ins",
    "admin.bad.disable_self", "extension_reason", "extension_not_informed", "report_period_long",
    # whether a value names something that exists, or is a possible phone number
    "unknown_priority", "unknown_outcome", "unknown_user", "admin.bad.timezone", "admin.bad.offices",
    "admin.bad.prefix_taken", "bad_phone", "bad_phone_query", "wrong_current_password", "desk_ambiguous",
    "staffing_unreachable",  # arrivals x visit length past what the most desks a plan counts can serve
}
# The same, where the problem is ``validation`` and each of its ``errors`` names such a rule: a category that
# exists, a from..to period, an office to name when the caller has several.
DATA_REASONS = {"input.category", "input.period", "input.office"}


def _data_rule(response: Any) -> bool:
    if response.status_code not in (400, 422):
        return False
    problem = response.json()
    code, reasons = problem.get("code"), problem.get("errors") or []
    return code in DATA_RULES or (code == "validation" and bool(reasons)
                                  and all(reason["code"] in DATA_REASONS for reason in reasons))


def valid_data_accepted(ctx: Any, response: Any, case: Any) -> bool | None:
    """Schemathesis' positive_data_acceptance, but for the rules JSON Schema cannot state (DATA_RULES)."""
    if _data_rule(response):
        return None
    return positive_data_acceptance(ctx, response, case)


def _sent_query_conforms(case: Any, response: Any) -> bool:
    """Whether the query string as sent satisfies an operation's query object (``api_route(query_rule=…)``).

    Schemathesis negates such an object by typing a value ``true`` or ``3``: on the wire that is the text
    "true", which the object admits. It spots this for plain parameters, not for an exploded object."""
    objects = [p for p in case.operation.definition.raw.get("parameters", ())
               if p.get("in") == "query" and p.get("explode") and p["schema"].get("type") == "object"]
    if len(objects) != 1 or "requestBody" in case.operation.definition.raw or "{" in case.operation.path:
        return False
    sent = parse_qs(urlsplit(response.request.url).query, keep_blank_values=True)
    return Draft202012Validator(objects[0]["schema"]).is_valid({k: v[-1] for k, v in sent.items()})


def invalid_data_refused(ctx: Any, response: Any, case: Any) -> bool | None:
    """Schemathesis' negative_data_rejection, but for a query object whose "invalid" value is valid as sent."""
    if response.status_code < 400 and _sent_query_conforms(case, response):
        return None
    return negative_data_rejection(ctx, response, case)


def fuzzer(operation: Any, token: str, mode: GenerationMode, found: list[str]) -> Callable[[], None]:
    headers = {"Authorization": f"Bearer {token}"}

    # Deterministic in CI (a red build must be reproducible); random locally to keep exploring.
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None,
              derandomize=bool(os.environ.get("CI")))
    @given(case=operation.as_strategy(generation_mode=mode, headers=headers))
    def fuzz(case: Any) -> None:
        # Failures are collected, not raised: hypothesis would replay the case to shrink it, and the app's
        # state has moved on since (a second replay draws other data: "flaky"). The message has a curl line.
        try:
            case.call_and_validate(headers=headers,
                                   excluded_checks=[positive_data_acceptance, negative_data_rejection],
                                   additional_checks=[valid_data_accepted, invalid_data_refused])
        except (Exception, BaseExceptionGroup) as exc:
            found.append(_explain(exc))

    return fuzz


def _explain(exc: BaseException) -> str:
    """The failure's text, with those a group holds (hypothesis reports a flaky one that way)."""
    inner = exc.exceptions if isinstance(exc, BaseExceptionGroup) else ()
    return "\n".join([str(exc), *(_explain(e) for e in inner)])


def staff_token(app: Any, api: Any, username: str) -> str:
    """A token minted directly: asking /auth/token 70 times would trip its rate limit (Redis keeps it)."""
    uid = add_user(api.db, api.clock, username, ALL_ROLES, [api.office])
    with api.db.read() as s:
        user = s.get(User, uid)
        assert user is not None
        return issue_user_token(app.config["SECRET_KEY"], uid, user.password_hash)


# In CI's paired run, on PostgreSQL only: it refuses what SQLite stores (a string over its column's
# length, a NUL character, an integer out of range), so data that reaches the database finds more there.
@pytest.mark.one_suite("postgresql")
def test_api_conforms_to_its_published_schema(app, api) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    # An operation schemathesis cannot read is left out here, so the comparison with the routes below fails.
    operations = [result.ok() for result in schema.get_all_operations() if isinstance(result, Ok)]
    # None skipped (schemathesis itself leaves out the document's own URL).
    assert {(o.method.upper(), o.path) for o in operations} | {("GET", "/openapi.json")} == {
        (op.method, op.path) for op in OPERATIONS}
    failures, started = [], time.monotonic()
    for n, operation in enumerate(operations):
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            # Fresh callers each time: an earlier operation may have revoked the kiosk or reset the password.
            kiosk = operation.path.startswith("/kiosk")
            token = api.device("kiosk") if kiosk else staff_token(app, api, f"fuzzer{n}{mode.value[0]}")
            found: list[str] = []
            # Unsatisfiable: nothing the document calls invalid can be sent (a free-form string path).
            with contextlib.suppress(Unsatisfiable):
                fuzzer(operation, token, mode, found)()
            failures += [f"{operation.method.upper()} {operation.path} [{mode.value}]: {text[:2000]}"
                         for text in dict.fromkeys(found)][:2]
    assert not failures, "\n\n".join(failures)
    print(f"fuzzed {len(operations)} operations x 2 modes x {EXAMPLES} examples in {time.monotonic() - started:.0f} s")
