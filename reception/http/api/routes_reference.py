"""Reference lists: outcomes per service kind and priority categories (localised)."""

from __future__ import annotations

from flask import jsonify, request
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from reception.http.api import bp
from reception.http.api.registry import Param, api_route
from reception.http.language import request_lang
from reception.http.wiring import wiring
from reception.kernel.permissions import Action
from reception.offices.models import Outcome, PriorityCategory
from reception.platform.i18n import localized

KIND = Param("kind", "query", str, False, "service kind", ("specialist", "leadership"))
LANG = Param("lang", "query", str, False, "uk (default) or en", ("uk", "en"))


@api_route(bp, "GET", "/outcomes", summary="Outcomes a visit may finish with, per service kind", tag="reference",
           action=Action.OUTCOMES_READ, params=(KIND, LANG), responses={200: "OutcomeOut[]", 401: None, 403: None})
def outcomes() -> ResponseReturnValue:
    lang = request_lang()
    query = select(Outcome).where(Outcome.is_active.is_(True)).order_by(Outcome.sort_order, Outcome.id)
    kind = request.args.get("kind")
    if kind:
        query = query.where(Outcome.service_kind == kind)
    with wiring().db.read() as s:
        return jsonify([{"code": o.code, "kind": o.service_kind, "name": localized(o, "name", lang),
                         "name_uk": o.name_uk, "name_en": o.name_en, "opens_record": o.opens_record}
                        for o in s.scalars(query)])


@api_route(bp, "GET", "/priority-categories", summary="Priority categories (configurable)", tag="reference",
           action=Action.REFERENCE_READ, params=(LANG,), responses={200: "PriorityCategoryOut[]", 401: None, 403: None})
def priority_categories() -> ResponseReturnValue:
    lang = request_lang()
    with wiring().db.read() as s:
        rows = s.scalars(select(PriorityCategory).where(PriorityCategory.is_active.is_(True))
                         .order_by(PriorityCategory.sort_order, PriorityCategory.id))
        return jsonify([{"code": p.code, "name": localized(p, "name", lang)} for p in rows])
