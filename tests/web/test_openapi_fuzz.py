"""The published OpenAPI document is fuzzed against the app (schemathesis): no 500s, answers
conform to the documented statuses, content types and schemas (every operation; the good-data tour
that reaches each one's 2xx is test_openapi_conformance)."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from reception.accounts.auth import issue_user_token
from reception.http.api.registry import OPERATIONS
from reception.models import User
from tests.fakes import add_user

ALL_ROLES = ["admin", "manager", "operator", "leader", "call_centre", "auditor"]


def fuzzer(operation: Any, token: str) -> Callable[[], None]:
    # Deterministic in CI (a red build must be reproducible); random locally to keep exploring.
    @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), database=None,
              derandomize=bool(os.environ.get("CI")), print_blob=True)
    @given(case=operation.as_strategy())
    def fuzz(case: Any) -> None:
        # Schema-valid is not always meaningful (an unknown service code is well-formed):
        # the app may answer 422 for such data, so that one check is left out.
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"},
                               excluded_checks=[positive_data_acceptance])

    return fuzz


def staff_token(app: Any, api: Any, username: str) -> str:
    """A token minted directly: asking /auth/token 70 times would trip its rate limit (Redis keeps it)."""
    uid = add_user(api.db, api.clock, username, ALL_ROLES, [api.office])
    with api.db.read() as s:
        user = s.get(User, uid)
        assert user is not None
        return issue_user_token(app.config["SECRET_KEY"], uid, user.password_hash)


def test_api_conforms_to_its_published_schema(app, api) -> None:  # type: ignore[no-untyped-def]
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    # None skipped (schemathesis itself leaves out the document's own URL).
    assert {(o.method.upper(), o.path) for o in operations} | {("GET", "/openapi.json")} == {
        (op.method, op.path) for op in OPERATIONS}
    failures = []
    for n, operation in enumerate(operations):
        # Fresh callers each time: an earlier operation may have revoked the kiosk or reset the password.
        kiosk = operation.path.startswith("/kiosk")
        token = api.device("kiosk") if kiosk else staff_token(app, api, f"fuzzer{n}")
        try:
            fuzzer(operation, token)()
        except (Exception, BaseExceptionGroup) as exc:  # collect every operation's failure, then report
            failures.append(f"{operation.method.upper()} {operation.path}: {str(exc)[:600]}")
    assert not failures, "\n\n".join(failures)
