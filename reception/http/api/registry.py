"""One declaration per endpoint: it registers the Flask route *and* its OpenAPI operation.

So the published spec (``GET /api/v1/openapi.json``) cannot drift from the routes that exist.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from flask import Blueprint, request
from pydantic import BaseModel, ValidationError

from ...accounts.permissions import Action, rule, who
from ...bounds import MAX_ID, MAX_JSON_DEPTH, describe_errors, has_nul, json_depth_exceeds
from ...errors import DomainError, ValidationFailed


@dataclass(frozen=True)
class Param:
    name: str
    where: str = "query"  # query | path
    kind: type = str
    required: bool = False
    description: str = ""
    enum: tuple[str, ...] | None = None


@dataclass
class Operation:
    method: str
    path: str  # OpenAPI style: /tickets/{id}/start
    summary: str
    tag: str
    action: Action  # the permission table's entry (reception.accounts.permissions)
    body: type[BaseModel] | None = None
    responses: dict[int, str | None] = field(default_factory=dict)  # status -> component schema name
    params: tuple[Param, ...] = ()

    @property
    def who(self) -> str:
        """Who may call it, in words, from the permission table (never typed by hand)."""
        return who(self.action)

    @property
    def auth(self) -> bool:
        return not rule(self.action).anyone


OPERATIONS: list[Operation] = []
# Request/response models defined outside ``schemas`` (feature modules) that the spec must include.
EXTRA_SCHEMAS: list[type[BaseModel]] = []
M = TypeVar("M", bound=BaseModel)

_PATH_PARAM = re.compile(r"\{(\w+)\}")


def _flask_rule(path: str, params: tuple[Param, ...]) -> str:
    kinds = {p.name: p.kind for p in params if p.where == "path"}

    def convert(match: re.Match[str]) -> str:
        name = match.group(1)
        # Bounded so an absurd id is a 404, not a database overflow.
        return f"<int(max={MAX_ID}):{name}>" if kinds.get(name) is int else f"<{name}>"

    return _PATH_PARAM.sub(convert, path)


def api_route(bp: Blueprint, method: str, path: str, *, action: Action,
              **spec: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register the route and its operation; the caller is checked against ``action`` before the view runs
    (the view reads it with ``reception.http.callers.acting()``)."""
    from ..callers import require

    params: tuple[Param, ...] = tuple(spec.pop("params", ()))
    for name in _PATH_PARAM.findall(path):
        if not any(p.name == name and p.where == "path" for p in params):
            params += (Param(name, "path", str, True),)
    op = Operation(method=method, path=path, params=params, action=action, **spec)
    OPERATIONS.append(op)
    open_to_all = rule(action).anyone

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if not open_to_all:
                require(action)
            return view(*args, **kwargs)

        guarded.permission = {method: action}  # type: ignore[attr-defined]
        endpoint = f"{method.lower()}_{view.__name__}"
        bp.add_url_rule(_flask_rule(path, params), endpoint, guarded, methods=[method])
        return view

    return decorator


def register_schemas(*models: type[BaseModel]) -> None:
    """Publish models of a feature's own schema module in ``components.schemas``."""
    EXTRA_SCHEMAS.extend(m for m in models if m not in EXTRA_SCHEMAS)


def parse_body(model: type[M]) -> M:
    """The JSON body as ``model``; malformed JSON or invalid fields raise a 4xx domain error."""
    data = json_body()
    if not isinstance(data, dict):
        raise DomainError("error.malformed_json")
    if has_nul(data):
        raise ValidationFailed(detail="NUL character in the body")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed(detail=describe_errors(exc)) from exc


def json_body() -> Any:
    """The parsed JSON body (``{}`` when empty), nested at most MAX_JSON_DEPTH deep.

    Parsed here rather than by ``request.get_json`` because a deeply nested body makes the
    parser raise RecursionError, which Flask does not treat as bad JSON; a body within the
    interpreter's limit is still refused, so the validators after this never recurse deeply.
    """
    raw = request.get_data(cache=True)  # over MAX_CONTENT_LENGTH: 413 from Werkzeug
    if not raw:
        return {}
    if not request.is_json:
        raise DomainError("error.malformed_json")
    try:
        data = json.loads(raw)
    except RecursionError as exc:
        raise DomainError("error.json_too_deep", limit=MAX_JSON_DEPTH) from exc
    except ValueError as exc:  # includes UnicodeDecodeError
        raise DomainError("error.malformed_json") from exc
    if json_depth_exceeds(data):
        raise DomainError("error.json_too_deep", limit=MAX_JSON_DEPTH)
    return data


def query_int(name: str, default: int | None = None) -> int | None:
    """An integer query parameter (an id or a count); out of the column range is bad input."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ValidationFailed(detail=f"{name}: not an integer") from exc
    if not -MAX_ID <= value <= MAX_ID:
        raise ValidationFailed(detail=f"{name}: out of range")
    return value
