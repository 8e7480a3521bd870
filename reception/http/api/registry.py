"""One declaration per endpoint: ``api_route`` registers the Flask route, its permission check and its
spectree validation, and spectree makes the OpenAPI operation from the same pydantic models.

So the published document (``GET /api/v1/openapi.json``) cannot drift from the routes that exist, nor from
what they accept and answer: request bodies and query strings are validated by spectree against the models
it documents, and every JSON 2xx answer is validated against its model before it leaves (decision 027) —
in the tests and in development; the production server skips that check (``VALIDATE_RESPONSES``).
"""

from __future__ import annotations

import functools
import importlib
import json
import logging
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any, Literal, TypeVar, cast

from flask import Blueprint, current_app, make_response, request
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    create_model,
    model_validator,
)
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema
from spectree import Response, SecurityScheme, SecuritySchemeData, SpecTree
from spectree.model_adapter.protocol import SchemaMode
from spectree.model_adapter.pydantic_adapter import PydanticModelAdapter
from spectree.models import SecureType, Server
from spectree.plugins.base import Context
from spectree.plugins.flask_plugin import FlaskPlugin
from spectree.plugins.werkzeug_utils import flask_response_unpack
from spectree.utils import get_multidict_items

from reception.http.api import schemas
from reception.http.api.schemas.common import Problem
from reception.kernel.bounds import (
    DATE_SCHEMA,
    MAX_ID,
    MAX_JSON_DEPTH,
    NO_NUL,
    NOT_BLANK,
    describe_errors,
    has_nul,
    json_depth_exceeds,
    parse_date,
    trimmed_text,
)
from reception.kernel.errors import DomainError, ValidationFailed
from reception.kernel.permissions import Action, rule, who
from reception.platform.i18n import Text

log = logging.getLogger(__name__)

PREFIX = "/api/v1"  # the blueprint's url_prefix; the document's ``servers`` entry


@dataclass(frozen=True)
class Param:
    name: str
    where: str = "query"  # query | path
    kind: type = str
    required: bool = False
    description: str = ""
    enum: tuple[str, ...] | None = None
    schema: dict[str, Any] | None = None  # what else the document states (a pattern, a length)


PATH_ID = Param("id", "path", int, True)  # ``{id}``: an integer id, bounded to the column's range
# Query parameter rules, as the views read them: a blank value is an absent one, so a criterion has text;
# a phone is dictated in digits and its punctuation (kernel.phones.looks_like_phone).
FILLED: dict[str, Any] = {"minLength": 1, "pattern": NOT_BLANK}
PHONE_QUERY: dict[str, Any] = {"minLength": 1, "maxLength": 32, "pattern": r"^[-+0-9 ().–]*[0-9][-+0-9 ().–]*$"}


def ANY_OF(*names: str) -> dict[str, Any]:  # noqa: N802 (reads as the JSON Schema keyword it makes)
    """A rule over a query string or a body: at least one of ``names`` is given, and not blank."""
    return {"anyOf": [{"required": [name], "properties": {name: {"type": "string", "pattern": NOT_BLANK}}}
                      for name in names]}


# What a status answers: a model (or "Name", "Name[]" of a published model), a media type such as
# "application/pdf" for a download, or None (no content; for 4xx/5xx: a problem document).
Answer = type[BaseModel] | str | None


@dataclass
class Operation:
    method: str
    path: str  # OpenAPI style: /tickets/{id}/start
    summary: str
    tag: str
    action: Action  # the permission table's entry (reception.kernel.permissions)
    body: type[BaseModel] | None = None
    responses: dict[int, Answer] = field(default_factory=dict)
    params: tuple[Param, ...] = ()
    # A rule over the query string as a whole (JSON Schema, e.g. ``anyOf`` of ``required``): the document
    # then states the query parameters as one form-exploded object (the same URL on the wire).
    query_rule: dict[str, Any] | None = None

    @property
    def who(self) -> str:
        """Who may call it, in words, from the permission table (never typed by hand)."""
        return who(self.action)

    @property
    def auth(self) -> bool:
        return not rule(self.action).anyone

    @property
    def operation_id(self) -> str:
        slug = self.path.strip("/").replace("/", "_").replace("{", "").replace("}", "").replace("-", "_")
        return f"{self.method.lower()}_{slug}"


OPERATIONS: list[Operation] = []
M = TypeVar("M", bound=BaseModel)

_PATH_PARAM = re.compile(r"\{(\w+)\}")


class ResponseInvalid(RuntimeError):
    """A view answered something its declared model does not describe: a bug, answered as a 500."""


# --- spectree, told our conventions -----------------------------------------------------------------

_NAMES: dict[str, Any] = {}


def _component_name(model: Any) -> str:
    """Components are named by class, as before (clients and tests name them); a clash is a bug."""
    name = str(model.__name__)
    known = _NAMES.setdefault(name, model)
    if known is not model:
        raise TypeError(f"two models are both called {name}: {known.__module__} and {model.__module__}")
    return name


def _admits_null(schema: JsonSchemaValue) -> bool:
    """Whether a JSON Schema accepts ``null`` (as pydantic writes them: type, anyOf/oneOf, enum, const)."""
    kind = schema.get("type")
    if kind == "null" or (isinstance(kind, list) and "null" in kind):
        return True
    if "const" in schema:
        return schema["const"] is None
    if "enum" in schema:
        return None in schema["enum"]
    return any(_admits_null(s) for key in ("anyOf", "oneOf") for s in schema.get(key, ()))


class ContractJsonSchema(GenerateJsonSchema):
    """Pydantic's JSON Schema, minus a ``"default": null`` its own type refuses.

    ``x: str = None`` (an optional query parameter, a field the caller may leave out) is written by pydantic
    as ``{"type": "string", "default": null}``: a default the schema itself calls invalid, which makes the
    OpenAPI document fail validation. Leaving the field out means "absent", so the default goes; a field
    typed ``X | None`` keeps it (null is one of its values).
    """

    def str_schema(self, schema: core_schema.StringSchema) -> JsonSchemaValue:
        """A string the caller sends, as the API reads it: never a NUL (PostgreSQL refuses it in text, so
        the API refuses it everywhere), and not blank where a value is required of a trimmed field."""
        json_schema = super().str_schema(schema)
        if self.mode == "validation" and "pattern" not in json_schema:
            trimmed = bool(schema.get("strip_whitespace", self._config.str_strip_whitespace))
            if trimmed:  # the lengths are the trimmed value's: a pattern says it, maxLength would not
                json_schema["pattern"] = trimmed_text(json_schema.get("minLength", 0),
                                                      json_schema.pop("maxLength", None))
            else:
                json_schema["pattern"] = NO_NUL
        return json_schema

    def default_schema(self, schema: core_schema.WithDefaultSchema) -> JsonSchemaValue:
        json_schema = super().default_schema(schema)
        if "default" in json_schema and json_schema["default"] is None and not _admits_null(json_schema):
            del json_schema["default"]
        return json_schema


class ApiModelAdapter(PydanticModelAdapter):
    """Spectree's pydantic adapter, writing every schema of the document with ``ContractJsonSchema``."""

    def json_schema(self, model: type[Any], *, ref_template: str, mode: SchemaMode = "validation") -> dict[str, Any]:
        if isinstance(model, type) and issubclass(model, BaseModel):
            return model.model_json_schema(ref_template=ref_template, mode=mode, schema_generator=ContractJsonSchema)
        return super().json_schema(model, ref_template=ref_template, mode=mode)


class ApiPlugin(FlaskPlugin):
    """Spectree's Flask plugin for the API blueprint only, with paths relative to ``servers`` (/api/v1)."""

    def find_routes(self) -> Any:
        return (r for r in super().find_routes() if r.endpoint.startswith("api."))

    def request_validation(self, request: Any, query: Any, json: Any, form: Any, headers: Any, cookies: Any) -> None:
        """The query string as spectree reads it (text, converted); the JSON body by its JSON types, strictly.

        Pydantic's default (lax) mode would take ``{"remote": 0}`` for a boolean or ``"5"`` for an integer:
        the document says ``boolean`` and ``integer``, so those are refused (a 422), as a client generated
        from it would expect. Strict JSON validation still reads dates and times from their ISO strings.
        Nothing else is read: spectree's own copies every header and cookie of every request for models
        no operation declares (``api_route`` declares none)."""
        if form is not None or headers is not None or cookies is not None:
            raise TypeError("api_route validates the query string and the JSON body only")
        request.context = Context(
            self.model_adapter.validate_obj(query, get_multidict_items(request.args, query)) if query else None,
            None if json is None else
            json.model_validate_json(_whole_numbers_as_integers(request.get_data(cache=True)), strict=True),
            None, None, None)

    def validate_response(self, resp: Any, resp_model: Any, skip_validation: bool,
                          force_resp_serialize: bool) -> Any:
        """The answer checked against its model unless ``VALIDATE_RESPONSES`` is off (the production
        server's default): a model instance is serialised either way; requests are always validated.
        Unchecked, the view's answer goes out as Flask makes it (spectree's own would copy its body and
        headers into a new response)."""
        if current_app.config.get("VALIDATE_RESPONSES") is not False:
            return super().validate_response(resp, resp_model, skip_validation, force_resp_serialize)
        if self.model_adapter.is_partial_model_instance(flask_response_unpack(resp)[0]):
            return super().validate_response(resp, resp_model, True, force_resp_serialize)
        return make_response(resp), None

    def parse_path(self, route: Any, path_parameter_descriptions: Any) -> tuple[str, list[Any]]:
        path, parameters = super().parse_path(route, path_parameter_descriptions)
        for parameter in parameters:  # a NUL in the path is refused (reception.http.api._refuse_nul)
            if parameter["schema"].get("type") == "string":
                parameter["schema"]["pattern"] = NO_NUL
        return path.removeprefix(PREFIX), parameters


def _whole_numbers_as_integers(raw: bytes) -> bytes | str:
    """The body with ``40.0`` written ``40``: JSON Schema counts a whole number as an ``integer`` whatever
    its spelling, strict validation would not (a ``number`` field takes either)."""
    converted = False

    def number(text: str) -> float | int:
        nonlocal converted
        value = float(text)
        if value.is_integer():
            converted = True
            return int(value)
        return value

    data = json.loads(raw, parse_float=number)  # strict_body parsed it already: well-formed, shallow
    return json.dumps(data) if converted else raw


class ApiResponse(Response):
    """Spectree's responses, but 4xx/5xx are problem+json and a download has its own media type."""

    def __init__(self, media: dict[str, str], **code_models: Any) -> None:
        super().__init__(**code_models)
        self.media = media  # "200" -> "application/pdf"

    def generate_spec(self, naming_strategy: Any = _component_name) -> dict[str, Any]:
        spec: dict[str, Any] = super().generate_spec(naming_strategy)
        for code, answer in spec.items():
            if int(code) >= 400:
                answer["content"] = {"application/problem+json": answer["content"]["application/json"]}
            elif code in self.media:
                answer["content"] = {self.media[code]: {"schema": {"type": "string", "format": "binary"}}}
        return spec


def _refuse_request(req: Any, resp: Any, error: Exception | None, instance: Any, adapter: Any) -> None:
    """A body or query string the models refuse: our 422 problem document, in the caller's language."""
    if isinstance(error, ValidationError):
        raise ValidationFailed.because(*describe_errors(error)) from error


def _check_response(req: Any, resp: Any, error: Exception | None, instance: Any, adapter: Any) -> None:
    """An answer its model refuses is logged and turned into a 500 problem (never passed on silently)."""
    if error is not None:
        # For developers, in pydantic's words: where and what, never the values (an answer holds personal data).
        detail = ("; ".join(f"{'.'.join(map(str, e['loc'])) or 'body'}: {e['msg']}" for e in error.errors()[:5])
                  if isinstance(error, ValidationError) else str(error))
        log.error("response of %s %s does not match its model: %s", req.method, req.path, detail)
        raise ResponseInvalid(f"{req.method} {req.path}: {detail}") from error


SPEC = SpecTree(
    "flask", backend=ApiPlugin, mode="strict", annotations=False, page_templates={},
    title="Reception queue API", version="1.0.0", openapi_version="3.1.0",
    description="Queue, kiosk, desk and reception contract. Errors are RFC 9457 problem+json. "
                "Any operation may answer 503 `storage_unavailable` (with Retry-After) while the database "
                "cannot write (full disk, read-only) or cannot be reached; nothing was saved, retry later.",
    servers=[Server(url=PREFIX)],
    security_schemes=[SecurityScheme(name="bearer", data=SecuritySchemeData(type=SecureType.HTTP, scheme="bearer"))],
    naming_strategy=_component_name, nested_naming_strategy=lambda _parent, child: child, model_adapter=cast(Any, ApiModelAdapter()),
    validation_error_model=Problem, before=_refuse_request, after=_check_response)


# --- declaring an endpoint ---------------------------------------------------------------------------


def _flask_rule(path: str, params: tuple[Param, ...]) -> str:
    kinds = {p.name: p.kind for p in params if p.where == "path"}

    def convert(match: re.Match[str]) -> str:
        name = match.group(1)
        # Bounded so an absurd id is a 404, not a database overflow (and the document says so).
        return f"<int(min=1, max={MAX_ID}):{name}>" if kinds.get(name) is int else f"<{name}>"

    return _PATH_PARAM.sub(convert, path)


class QueryModel(BaseModel):
    """A query string: unknown names are ignored, a blank value is an absent one (as forms send them)."""

    model_config = ConfigDict(extra="ignore")

    @model_validator(mode="before")
    @classmethod
    def _blank_is_absent(cls, data: Any) -> Any:
        return {k: v for k, v in data.items() if v != ""} if isinstance(data, dict) else data


def _query_date(name: str) -> Callable[[str], str]:
    def check(raw: str) -> str:
        parse_date(raw, name, exact=True)  # ValidationFailed passes through pydantic: our 422, localised
        return raw

    return check


def _query_model(name: str, params: tuple[Param, ...]) -> type[BaseModel] | None:
    fields: dict[str, Any] = {}
    for p in params:
        if p.where != "query":
            continue
        kind: Any = p.kind
        extra = dict(p.schema or {})
        if p.enum:
            kind = Literal[p.enum]
        elif p.kind is int:
            kind = Annotated[int, Field(ge=-MAX_ID, le=MAX_ID)]
        elif p.kind is date:  # refused as bounds.parse_date does (its message names the field)
            kind, extra = Annotated[str, AfterValidator(_query_date(p.name))], DATE_SCHEMA | extra
        default = ... if p.required else None
        fields[f"q_{p.name}"] = (kind, Field(default, alias=p.name, description=p.description,
                                             json_schema_extra=extra or None))
    if not fields:
        return None
    return create_model(name, __base__=QueryModel, **fields)


@functools.cache
def _schema_models() -> dict[str, type[BaseModel]]:
    """The models that the modules of the ``schemas`` package define (one module per slice), by class name."""
    models: dict[str, type[BaseModel]] = {}
    for info in pkgutil.iter_modules(schemas.__path__):
        module = importlib.import_module(f"{schemas.__name__}.{info.name}")
        for name, value in vars(module).items():
            if isinstance(value, type) and issubclass(value, BaseModel) and value.__module__ == module.__name__:
                known = models.setdefault(name, value)
                if known is not value:
                    raise TypeError(f"two models are both called {name}: {known.__module__} and {module.__name__}")
    return models


def _published(name: str) -> type[BaseModel]:
    model = _schema_models().get(name)
    if model is None:
        raise LookupError(f"response model {name!r} is in no module of {schemas.__name__}")
    return model


@functools.cache
def _list_of(model: type[BaseModel]) -> type[BaseModel]:
    """One ``XList`` root model per item model (spectree would make a new one per route)."""
    made: type[BaseModel] = SPEC.model_adapter.make_list_model(model)
    return made


def _responses(op: Operation) -> ApiResponse:
    codes: dict[str, Any] = {}
    media: dict[str, str] = {}
    for status, answer in op.responses.items():
        key = f"HTTP_{status}"
        if status >= 400:
            codes[key] = Problem
        elif isinstance(answer, str) and "/" in answer:
            codes[key], media[str(status)] = None, answer
        elif isinstance(answer, str):
            codes[key] = _list_of(_published(answer[:-2])) if answer.endswith("[]") else _published(answer)
        else:
            codes[key] = answer
    # What any operation of its kind may answer, whatever its view does (every status is documented).
    generic = [422]  # any input may be refused (a NUL anywhere, an id out of range)
    if op.auth:
        generic += [401, 403]  # no or a stale token; a caller whom the permission table refuses
    if any(p.where == "path" for p in op.params):
        generic.append(404)  # a path naming nothing (an id out of range does not match the route)
    if op.body is not None:
        generic += [400, 413]  # malformed JSON, nested too deep; past MAX_CONTENT_LENGTH
    for status in generic:
        codes.setdefault(f"HTTP_{status}", Problem)
    return ApiResponse(media, **codes)


def strict_body() -> None:
    """Before spectree reads the body: refuse what pydantic should never see, as our own problems.

    The body is required (the document says so): none at all is a 422, not an empty object, so a PATCH
    sent without its body is refused rather than answered 200 for changing nothing."""
    if not request.get_data(cache=True):
        raise ValidationFailed.because(Text.of("error.input.body_required"))
    data = json_body()
    if not isinstance(data, dict):
        raise DomainError("error.malformed_json")
    if has_nul(data):
        raise ValidationFailed.because(Text.of("error.input.nul_text"))


def api_route(bp: Blueprint, method: str, path: str, *, action: Action,
              **spec: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register the route and its operation; the caller is checked against ``action`` before anything
    else (the view reads it with ``reception.http.callers.acting()``), then the body's strict parse, then
    spectree's validation of the body, the query string and, after the view, of the answer."""
    from reception.http.callers import require

    params: tuple[Param, ...] = tuple(spec.pop("params", ()))
    for name in _PATH_PARAM.findall(path):
        if not any(p.name == name and p.where == "path" for p in params):
            params += (Param(name, "path", str, True),)
    op = Operation(method=method, path=path, params=params, action=action, **spec)
    OPERATIONS.append(op)
    open_to_all = op.auth is False
    has_body = op.body is not None

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        endpoint = f"{method.lower()}_{view.__name__}"
        camel = "".join(part.capitalize() for part in endpoint.split("_"))
        validated = SPEC.validate(
            json=op.body, query=_query_model(f"{camel}Query", params), resp=_responses(op), tags=[op.tag],
            security={"bearer": []} if op.auth else [], operation_id=op.operation_id,
            path_parameter_descriptions={p.name: p.description for p in params if p.where == "path"})(view)

        @functools.wraps(validated)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if not open_to_all:
                require(action)
            if has_body:
                strict_body()
            return validated(*args, **kwargs)

        guarded.__doc__ = f"{op.summary}\n\nWho: {op.who}."  # spectree: summary, then description
        guarded.permission = {method: action}  # type: ignore[attr-defined]
        bp.add_url_rule(_flask_rule(path, params), endpoint, guarded, methods=[method])
        return view

    return decorator


def openapi_document() -> dict[str, Any]:
    """Spectree's document, plus each operation's entry of the permission table (decision 017) and its
    rule over the whole query string."""
    document: dict[str, Any] = SPEC.spec
    for op in OPERATIONS:
        operation = document["paths"][op.path][op.method.lower()]
        operation["x-permission"] = op.action.value
        for parameter in operation.get("parameters", ()):
            if parameter["in"] == "query" and not parameter["required"]:
                parameter["allowEmptyValue"] = True  # QueryModel: a blank value is an absent one
        if op.query_rule is not None:
            _query_as_object(operation, op.query_rule)
    return document


def _query_as_object(operation: dict[str, Any], rule: dict[str, Any]) -> None:
    """The query parameters as one required object with ``rule`` (OpenAPI relates separate parameters in no
    way): ``style: form, explode: true`` sends each property as its own ``name=value``, as before."""
    params = operation.get("parameters", [])
    query = [p for p in params if p["in"] == "query"]
    if len(query) == 1 and query[0].get("style") == "form":
        return  # done (spectree's document is made once)
    # Each may be blank (absent, QueryModel); the rule names those that must have a value.
    properties = {p["name"]: {"anyOf": [p["schema"], {"const": ""}]}
                  | ({"description": p["description"]} if p["description"] else {}) for p in query}
    operation["parameters"] = [p for p in params if p["in"] != "query"] + [{
        "name": "query", "in": "query", "required": True, "style": "form", "explode": True,
        # Other names are ignored (QueryModel), but never a NUL (refused in the whole query string).
        "schema": {"type": "object", "properties": properties, "propertyNames": {"pattern": NO_NUL},
                   "additionalProperties": {"type": "string", "pattern": NO_NUL}, **rule}}]


# --- reading the request ------------------------------------------------------------------------------


def parse_body(model: type[M]) -> M:
    """The JSON body as ``model``: spectree's validated instance, or (a body it did not read, e.g. a form
    content type with no body) validated here; invalid fields raise a 422 domain error."""
    context = getattr(request, "context", None)
    if context is not None and isinstance(context.json, model):
        return context.json
    strict_body()
    try:
        return model.model_validate_json(_whole_numbers_as_integers(json.dumps(json_body()).encode()), strict=True)
    except ValidationError as exc:
        raise ValidationFailed.because(*describe_errors(exc)) from exc


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
    query = getattr(getattr(request, "context", None), "query", None)
    if query is not None and f"q_{name}" in type(query).model_fields:  # as spectree read it (10.0 is 10)
        value = getattr(query, f"q_{name}")
        return default if value is None else int(value)
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ValidationFailed.because(Text.of("error.input.integer", name=name)) from exc
    if not -MAX_ID <= value <= MAX_ID:
        raise ValidationFailed.because(Text.of("error.input.range", name=name, low=-MAX_ID, high=MAX_ID))
    return value
