"""What every slice's models share: the strict request base, the problem document, the PATCH field helpers.

Request models validate input; response models exist to describe the answers in the OpenAPI document
(built from the models of this package, one module per slice). Field names are the contract's: keep them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


def stated(nullable: bool = False, **schema: Any) -> Callable[[dict[str, Any]], None]:
    """A field's JSON Schema as the service reads it: ``schema`` added and, unless ``nullable``, ``null``
    taken out of its type (a PATCH field left out is unchanged; sent as null it is refused)."""

    def state(json_schema: dict[str, Any]) -> None:
        if not nullable:
            branches = [b for b in json_schema.pop("anyOf", ()) if b.get("type") != "null"]
            if len(branches) == 1:
                json_schema.update(branches[0])
            elif branches:
                json_schema["anyOf"] = branches
            json_schema.pop("default", None)
        json_schema.update(schema)

    return state


def optional(nullable: bool = False, *, schema: dict[str, Any] | None = None, **field: Any) -> Any:
    """A PATCH field (``None``: left out) that ``stated`` describes; ``field``: pydantic's own limits."""
    return Field(default=None, json_schema_extra=stated(nullable, **(schema or {})), **field)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ProblemReason(BaseModel):
    """One thing wrong with the input, as ``detail`` says it: its message key (``input.too_long``) and
    parameters (``name``: the field as this contract spells it; ``type``: pydantic's error type, when the
    schema refused it; ``n``: a count such as the most characters)."""

    code: str
    params: dict[str, object]


class Problem(BaseModel):
    """RFC 9457 problem details: every 4xx/5xx of the API (``code``: the stable machine key; ``errors``: for
    a ``validation`` problem, what was wrong, one entry a field)."""

    type: str
    title: str
    status: int
    detail: str
    code: str | None = None
    params: dict[str, object] | None = None
    errors: list[ProblemReason] | None = None
