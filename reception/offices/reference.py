"""The shared reference lists: priority categories (who is served first) and outcomes (how a visit ended).

Shared by every office, so a change hints every active office's kiosks and desks; rows are never
deleted (tickets and records keep pointing at their codes), only renamed or switched off.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reception.audit.writer import audit
from reception.kernel.bounds import clean_name, clean_switch, invalid
from reception.kernel.errors import Conflict, NotFound
from reception.kernel.identity import Actor
from reception.kernel.permissions import Action, authorize
from reception.kernel.unit_of_work import UnitOfWork
from reception.offices.administration import changed, clean_code, config_changed
from reception.offices.models import Office, Outcome, PriorityCategory
from reception.platform.clock import Clock

OUTCOME_KINDS = ("specialist", "leadership")


def list_reference(session: Session) -> dict[str, list[dict[str, Any]]]:
    categories = session.scalars(select(PriorityCategory).order_by(PriorityCategory.sort_order, PriorityCategory.id))
    outcomes = session.scalars(select(Outcome).order_by(Outcome.service_kind, Outcome.sort_order, Outcome.id))
    return {"categories": [_ref_view(c) for c in categories],
            "outcomes": [_ref_view(o) | {"service_kind": o.service_kind} for o in outcomes]}


def _ref_view(row: PriorityCategory | Outcome) -> dict[str, Any]:
    return {"id": row.id, "code": row.code, "name_uk": row.name_uk, "name_en": row.name_en, "is_active": row.is_active}


def _every_office_changed(uow: UnitOfWork, what: str) -> None:
    """Reference lists are shared: every active office's kiosks and desks refetch."""
    for office in uow.session.scalars(select(Office).where(Office.is_active.is_(True)).order_by(Office.id)):
        config_changed(uow, office, what)


def add_reference(uow: UnitOfWork, clock: Clock, actor: Actor, kind: str, *, code: str, name_uk: str, name_en: str,
                  service_kind: str = "specialist") -> dict[str, Any]:
    """Add a priority category (``kind="category"``) or an outcome (``kind="outcome"``)."""
    authorize(actor, Action.OFFICES_ADMIN)
    session = uow.session
    clean = {"code": clean_code(code), "name_uk": clean_name(name_uk, "name_uk"), "name_en": clean_name(name_en, "name_en")}
    row: PriorityCategory | Outcome
    if kind == "category":
        if session.scalar(select(PriorityCategory.id).where(PriorityCategory.code == clean["code"])):
            raise Conflict("error.duplicate", value=clean["code"])
        row = PriorityCategory(sort_order=_next_order(session, PriorityCategory), **clean)
    else:
        if service_kind not in OUTCOME_KINDS:
            raise invalid("kind")
        if session.scalar(select(Outcome.id).where(Outcome.service_kind == service_kind,
                                                   Outcome.code == clean["code"])):
            raise Conflict("error.duplicate", value=clean["code"])
        row = Outcome(service_kind=service_kind, sort_order=_next_order(session, Outcome), **clean)
    session.add(row)
    session.flush()
    view = _ref_view(row)
    audit(session, clock.now(), actor.user_id, f"{kind}.create", kind, str(row.id),
          {"office": None, "before": None, "after": view})
    _every_office_changed(uow, kind)
    return view


def _next_order(session: Session, model: type[PriorityCategory] | type[Outcome]) -> int:
    return max(session.scalars(select(model.sort_order)).all() or [0]) + 1


def update_reference(uow: UnitOfWork, clock: Clock, actor: Actor, kind: str, row_id: int,
                     changes: dict[str, Any]) -> dict[str, Any]:
    """Rename, deactivate or reactivate a priority category or an outcome (rows are never deleted:
    tickets and records keep pointing at their codes)."""
    authorize(actor, Action.OFFICES_ADMIN)
    row: PriorityCategory | Outcome | None = (uow.session.get(PriorityCategory, row_id) if kind == "category"
                                              else uow.session.get(Outcome, row_id))
    if row is None:
        raise NotFound("admin.unknown_item", id=row_id)
    before = _ref_view(row)
    for field in ("name_uk", "name_en"):
        if field in changes:
            setattr(row, field, clean_name(changes[field], field))
    if "is_active" in changes:
        row.is_active = clean_switch(changes["is_active"], "is_active")
    old, new = changed(before, _ref_view(row))
    if new:
        audit(uow.session, clock.now(), actor.user_id, f"{kind}.update", kind, str(row.id),
              {"office": None, "before": old, "after": new})
        _every_office_changed(uow, kind)
    return _ref_view(row)

