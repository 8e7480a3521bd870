"""Administration commands: change offices, services, desks, users, devices and reference lists.

Every command has the core's shape ``(uow, clock, actor, ...)``: it validates the whole change
first (a clear message in the caller's language, nothing changed), applies it, appends an
``AuditLog`` row with the values before and after, and collects a ``config_changed`` event for
each office concerned, so the message bus tells that office's kiosks, displays and desks after
commit (``reception.http.realtime.fan_out`` sends it as a ``queue`` hint).  No Flask here.
"""

from __future__ import annotations

import secrets
from dataclasses import fields as dc_fields
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import String, cast, or_, select
from sqlalchemy.orm import Session

from reception.accounts.auth import hash_password, new_device_token, token_digest
from reception.accounts.models import Device, DevicePairing, User, UserOffice
from reception.accounts.service import MIN_PASSWORD_LEN, end_sessions, signed_out_event
from reception.audit.models import AuditLog
from reception.kernel.errors import Conflict, DomainError, Forbidden, NotFound, ValidationFailed
from reception.kernel.identity import ROLES, Actor
from reception.kernel.permissions import Action, authorize
from reception.kernel.ports import DomainEvent
from reception.kernel.unit_of_work import UnitOfWork
from reception.leadership.lookup_keys import normalise_phone
from reception.leadership.models import Appointment, Leader, ReceptionRecord, ReceptionRule, ReceptionSession
from reception.leadership.sessions import slot_instants
from reception.offices.lookups import bump_version, office_by_code
from reception.offices.models import Desk, DeskService, Office, Outcome, PriorityCategory, Service
from reception.offices.rules import OfficeSettings, validate_hours
from reception.platform import i18n
from reception.platform.clock import Clock
from reception.queue.models import Ticket

CONFIG_CHANGED = "config_changed"
DEVICE_REVOKED = "device_revoked"
SERVICE_KINDS = ("specialist", "leadership")
DESK_KINDS = ("window", "cabinet", "room")
OUTCOME_KINDS = ("specialist", "leadership")
# Whole-number settings of OfficeSettings with their sane ranges; the rest are switches.
SETTING_RANGES: dict[str, tuple[int, int]] = {
    "priority_interleave": (1, 20),
    "recalls_before_no_show": (0, 10),
    "reactivation_window_min": (0, 480),
    "double_call_window_s": (0, 60),
}
SETTING_SWITCHES = tuple(f.name for f in dc_fields(OfficeSettings) if f.name not in SETTING_RANGES)
# Whom visitors ask about their data (the /privacy notice, decision 018): a line or two of text.
PRIVACY_CONTACT_MAX = 500
AUDIT_LIMIT = 500


def invalid(field: str, **params: Any) -> ValidationFailed:
    """A refused field: its message (``admin.bad.<field>``) names the field and the rule in words."""
    return ValidationFailed(f"admin.bad.{field}", **params)


# --- shared steps ------------------------------------------------------------------------------


def _audit(session: Session, actor: Actor, now: datetime, action: str, object_type: str, object_id: str,
           *, office: str | None, before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:
    session.add(AuditLog(at=now, user_id=actor.user_id, action=action, object_type=object_type,
                         object_id=object_id, detail={"office": office, "before": before, "after": after}))


def _config_changed(uow: UnitOfWork, office: Office, what: str) -> None:
    """Bump the office version and tell its clients to refetch (kiosk menu, display, desk console)."""
    version = bump_version(uow.session, office.id)
    uow.collect(DomainEvent(name=CONFIG_CHANGED, office_code=office.code, version=version,
                            payload={"version": version, "what": what}))


def _changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys whose values differ, before and after."""
    keys = [k for k in after if before.get(k) != after[k]]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def _changed_config(uow: UnitOfWork, clock: Clock, actor: Actor, office: Office, what: str, object_id: str,
                    before: dict[str, Any], after: dict[str, Any]) -> None:
    """Audit ``<what>.update`` with the fields that differ and hint the office; nothing if none differ."""
    old, new = _changed(before, after)
    if new:
        _audit(uow.session, actor, clock.now(), f"{what}.update", what, object_id, office=office.code,
               before=old, after=new)
        _config_changed(uow, office, what)


def _managed_office(session: Session, actor: Actor, code: str) -> Office:
    authorize(actor, Action.OFFICE_ADMIN)
    office = office_by_code(session, code)
    actor.require_office(office.id)
    return office


def _name(value: Any, field: str, limit: int = 200, *, required: bool = True) -> str:
    text = str(value if value is not None else "").replace("\x00", "").strip()
    if (required and not text) or len(text) > limit:
        raise invalid(field, limit=limit)
    return text


def _whole(value: Any, field: str, lo: int, hi: int) -> int:
    try:
        number = int(str(value).strip()) if not isinstance(value, bool) else None
    except (TypeError, ValueError):
        number = None
    if number is None or not lo <= number <= hi:
        raise invalid(field, min=lo, max=hi)
    return number


def _switch(value: Any, field: str) -> bool:
    if isinstance(value, bool):
        return value
    raise invalid(field)


# --- offices -----------------------------------------------------------------------------------


def office_admin_view(o: Office) -> dict[str, Any]:
    return {"code": o.code, "name_uk": o.name_uk, "name_en": o.name_en, "timezone": o.timezone,
            "opening_hours": o.opening_hours or {}, "settings": vars(OfficeSettings.from_json(o.settings)).copy(),
            "privacy_contact": str((o.settings or {}).get("privacy_contact") or ""),
            "contact_phone": str((o.settings or {}).get("contact_phone") or ""), "is_active": o.is_active}


def clean_office_changes(changes: dict[str, Any]) -> dict[str, Any]:
    """Validate an office change as a whole (pure); raises ValidationFailed on the first bad field."""
    clean: dict[str, Any] = {}
    for field in ("name_uk", "name_en"):
        if field in changes:
            clean[field] = _name(changes[field], field)
    if "timezone" in changes:
        clean["timezone"] = _timezone(changes["timezone"])
    if "opening_hours" in changes:
        clean["opening_hours"] = _hours(changes["opening_hours"])
    if changes.get("settings") is not None:
        clean["settings"] = _settings(changes["settings"])
    if changes.get("privacy_contact") is not None:
        clean["privacy_contact"] = _privacy_contact(changes["privacy_contact"])
    if changes.get("contact_phone") is not None:
        clean["contact_phone"] = _contact_phone(changes["contact_phone"])
    return clean


def _contact_phone(value: Any) -> str:
    """The contact centre's phone as E.164 (the one phone rule, lookup_keys.normalise_phone); "" clears it."""
    if not isinstance(value, str) or "\x00" in value or len(value) > 32:
        raise invalid("contact_phone")
    return normalise_phone(value) or ""


def _privacy_contact(value: Any) -> str:
    """Trimmed; empty means "ask at the desk". A NUL is refused, not dropped: it is no typing mistake."""
    if not isinstance(value, str) or "\x00" in value or len(value.strip()) > PRIVACY_CONTACT_MAX:
        raise invalid("privacy_contact", limit=PRIVACY_CONTACT_MAX)
    return value.strip()


def _timezone(value: Any) -> str:
    try:
        ZoneInfo(str(value))
    except (ZoneInfoNotFoundError, ValueError, TypeError) as exc:
        raise invalid("timezone") from exc
    return str(value)


def _hours(value: Any) -> dict[str, list[list[str]]]:
    if not isinstance(value, dict):
        raise invalid("opening_hours")
    try:
        hours = validate_hours({k: [list(i) for i in v] for k, v in value.items()})
        for intervals in hours.values():
            for start, end in intervals:
                for moment in (start, end):
                    if moment != "24:00":
                        time.fromisoformat(moment)
    except (ValueError, TypeError, AttributeError) as exc:
        raise invalid("opening_hours") from exc
    return hours


def hours_from_text(days: dict[str, str]) -> dict[str, list[list[str]]]:
    """Weekday -> "09:00-13:00, 14:00-18:00" (a form's fields) as opening hours; empty = closed.

    All days empty gives ``{}``, which the domain reads as "no time limits" (``is_open``).
    """
    hours: dict[str, list[list[str]]] = {}
    for day, raw in days.items():
        parts = [p.strip() for p in raw.replace("–", "-").replace(";", ",").split(",") if p.strip()]
        try:
            intervals = [[a.strip(), b.strip()] for a, b in (p.split("-") for p in parts)]
        except ValueError as exc:
            raise invalid("opening_hours") from exc
        if intervals:
            hours[day] = intervals
    return _hours(hours)


def hours_as_text(hours: dict[str, Any]) -> dict[str, str]:
    return {day: ", ".join(f"{a}–{b}" for a, b in hours.get(day, [])) for day in "1234567"}


def _settings(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict) or set(value) - {f.name for f in dc_fields(OfficeSettings)}:
        raise invalid("settings")
    clean: dict[str, Any] = {}
    for key, raw in value.items():
        if key in SETTING_RANGES:
            clean[key] = _whole(raw, key, *SETTING_RANGES[key])
        else:
            clean[key] = _switch(raw, key)
    return clean


def update_office(uow: UnitOfWork, clock: Clock, actor: Actor, code: str, changes: dict[str, Any]) -> dict[str, Any]:
    """PATCH an office: names, time zone, opening hours, queue settings (OfficeSettings)."""
    clean = clean_office_changes(changes)
    office = _managed_office(uow.session, actor, code)
    before = office_admin_view(office)
    # The contacts live in the settings JSON beside the queue settings (LeadershipSettings reads them).
    settings = clean.pop("settings", {}) | {key: clean.pop(key) for key in ("privacy_contact", "contact_phone")
                                            if key in clean}
    if settings:
        clean["settings"] = dict(office.settings or {}) | settings  # keeps other modules' keys
    for key, value in clean.items():
        setattr(office, key, value)
    after = office_admin_view(office)
    _changed_config(uow, clock, actor, office, "office", office.code, before, after)
    return after


# --- services ----------------------------------------------------------------------------------


def service_admin_view(s: Service) -> dict[str, Any]:
    return {"code": s.code, "prefix": s.prefix, "name_uk": s.name_uk, "name_en": s.name_en,
            "description_uk": s.description_uk, "description_en": s.description_en, "kind": s.kind,
            "daily_limit": s.daily_limit, "target_wait_min": s.target_wait_min,
            "default_service_min": s.default_service_min, "walk_ins": s.walk_ins, "is_active": s.is_active}


def clean_service_changes(changes: dict[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for field in ("name_uk", "name_en"):
        if field in changes:
            clean[field] = _name(changes[field], field)
    for field in ("description_uk", "description_en"):
        if field in changes:
            clean[field] = _name(changes[field], field, 1000, required=False)
    if "prefix" in changes:
        prefix = _name(changes["prefix"], "prefix", 4)
        if any(ch.isspace() or ch == "-" for ch in prefix):
            raise invalid("prefix", limit=4)
        clean["prefix"] = prefix
    if "kind" in changes:
        if changes["kind"] not in SERVICE_KINDS:
            raise invalid("kind")
        clean["kind"] = changes["kind"]
    if "daily_limit" in changes:
        raw = changes["daily_limit"]
        clean["daily_limit"] = None if raw in (None, "") else _whole(raw, "daily_limit", 1, 100000)
    if "target_wait_min" in changes:
        clean["target_wait_min"] = _whole(changes["target_wait_min"], "target_wait_min", 1, 600)
    if "default_service_min" in changes:
        clean["default_service_min"] = _minutes(changes["default_service_min"])
    for field in ("walk_ins", "is_active"):
        if field in changes:
            clean[field] = _switch(changes[field], field)
    return clean


def _minutes(value: Any) -> float:
    try:
        number = float(str(value).replace(",", ".")) if not isinstance(value, bool) else -1.0
    except (TypeError, ValueError):
        number = -1.0
    if not 0 < number <= 600:
        raise invalid("default_service_min")
    return number


def _service(session: Session, office: Office, code: str) -> Service:
    service = session.scalar(select(Service).where(Service.office_id == office.id, Service.code == code))
    if service is None:
        raise NotFound("error.unknown_service", service=code)
    return service


def update_service(uow: UnitOfWork, clock: Clock, actor: Actor, office_code: str, service_code: str,
                   changes: dict[str, Any]) -> dict[str, Any]:
    """PATCH a service: prefix, names, descriptions, kind, limits, times, walk-ins, active."""
    clean = clean_service_changes(changes)
    session = uow.session
    office = _managed_office(session, actor, office_code)
    service = _service(session, office, service_code)
    before = service_admin_view(service)
    if clean.get("walk_ins") and clean.get("kind", service.kind) != "leadership":
        raise invalid("walk_ins")
    if "prefix" in clean and session.scalar(select(Service.id).where(
            Service.office_id == office.id, Service.prefix == clean["prefix"], Service.id != service.id)):
        raise ValidationFailed("admin.bad.prefix_taken", prefix=clean["prefix"])
    for key, value in clean.items():
        setattr(service, key, value)
    if service.kind != "leadership":
        service.walk_ins = False
    after = service_admin_view(service)
    _changed_config(uow, clock, actor, office, "service", f"{office.code}/{service.code}", before, after)
    return after


# --- desks -------------------------------------------------------------------------------------


def desk_admin_view(d: Desk) -> dict[str, Any]:
    return {"code": d.code, "name_uk": d.name_uk, "name_en": d.name_en, "zone": d.zone, "kind": d.kind,
            "status": d.status, "allow_call_specific": d.allow_call_specific,
            "services": [ds.service.code for ds in d.services],
            "weights": {ds.service.code: ds.weight for ds in d.services}}


def clean_desk_changes(changes: dict[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for field in ("name_uk", "name_en"):
        if field in changes:
            clean[field] = _name(changes[field], field)
    if "zone" in changes:
        zone = _name(changes["zone"], "zone", 32)
        if not all(ch.isascii() and (ch.isalnum() or ch in "_-") for ch in zone):
            raise invalid("zone")
        clean["zone"] = zone
    if "kind" in changes:
        if changes["kind"] not in DESK_KINDS:
            raise invalid("kind_desk")
        clean["kind"] = changes["kind"]
    if "allow_call_specific" in changes:
        clean["allow_call_specific"] = _switch(changes["allow_call_specific"], "allow_call_specific")
    if "services" in changes or "weights" in changes:
        clean["services"] = _desk_services(changes.get("services"), changes.get("weights"))
    return clean


def _desk_services(services: Any, weights: Any) -> dict[str, float]:
    """Service code -> weight; the weights are positive (at most 100) and name listed services only."""
    if not isinstance(services, list) or not all(isinstance(c, str) for c in services):
        raise invalid("services")
    weights = weights or {}
    if not isinstance(weights, dict) or set(weights) - set(services):
        raise invalid("weights")
    clean: dict[str, float] = {}
    for code in dict.fromkeys(services):
        raw = weights.get(code, 1.0)
        try:
            weight = float(raw) if not isinstance(raw, bool) else 0.0
        except (TypeError, ValueError):
            weight = 0.0
        if not 0 < weight <= 100:
            raise invalid("weights")
        clean[code] = weight
    return clean


def update_desk(uow: UnitOfWork, clock: Clock, actor: Actor, office_code: str, desk_code: str,
                changes: dict[str, Any]) -> dict[str, Any]:
    """PATCH a desk: names, zone, kind, served services with weights, calling a ticket out of order."""
    clean = clean_desk_changes(changes)
    session = uow.session
    office = _managed_office(session, actor, office_code)
    desk = session.scalar(select(Desk).where(Desk.office_id == office.id, Desk.code == desk_code))
    if desk is None:
        raise NotFound("error.unknown_desk", desk=desk_code)
    before = desk_admin_view(desk)
    wanted = clean.pop("services", None)
    if wanted is not None:
        _set_desk_services(session, office, desk, wanted)
    for key, value in clean.items():
        setattr(desk, key, value)
    session.flush()
    after = desk_admin_view(desk)
    _changed_config(uow, clock, actor, office, "desk", f"{office.code}/{desk.code}", before, after)
    return after


def _set_desk_services(session: Session, office: Office, desk: Desk, wanted: dict[str, float]) -> None:
    found = {s.code: s for s in session.scalars(select(Service).where(
        Service.office_id == office.id, Service.code.in_(list(wanted))))}
    unknown = [code for code in wanted if code not in found]
    if unknown:
        raise NotFound("error.unknown_service", service=unknown[0])
    current = {ds.service.code: ds for ds in desk.services}
    for code, link in current.items():
        if code not in wanted:
            desk.services.remove(link)
    for code, weight in wanted.items():
        if code in current:
            current[code].weight = weight
        else:
            desk.services.append(DeskService(service=found[code], weight=weight))


# --- users -------------------------------------------------------------------------------------


def user_admin_view(u: User) -> dict[str, Any]:
    return {"id": u.id, "username": u.username, "full_name": u.full_name, "position": u.position,
            "roles": sorted(u.roles or []), "offices": sorted(o.code for o in u.offices),
            "disabled": not u.is_active, "lang": u.lang, "must_change_password": bool(u.must_change_password)}


def _user_audit_view(view: dict[str, Any]) -> dict[str, Any]:
    """What the log keeps of an account: no person's name (the row's object id says who); only
    that the name changed, so that the change itself stays on record."""
    kept = {k: v for k, v in view.items() if k != "full_name"}
    return kept | ({"full_name_changed": True} if "full_name" in view else {})


def _visible_to(actor: Actor, user: User) -> bool:
    """Admins see everyone; a manager sees the staff of their own offices."""
    return actor.is_admin or bool({o.id for o in user.offices} & actor.office_ids)


def _manages(actor: Actor, user: User) -> bool:
    """Admins manage everyone; a manager only accounts wholly within their offices (every office of
    the account is one of theirs, and it is no administrator), so that the manager of one office
    cannot promote, reset, sign in as or strip the staff of another."""
    if actor.is_admin:
        return True
    offices = {o.id for o in user.offices}
    return bool(offices) and offices <= actor.office_ids and "admin" not in (user.roles or [])


def list_users(session: Session, actor: Actor) -> list[dict[str, Any]]:
    authorize(actor, Action.USERS_ADMIN)
    users = session.scalars(select(User).order_by(User.username)).all()
    return [user_admin_view(u) for u in users if _visible_to(actor, u)]


def manageable_user_ids(session: Session, actor: Actor) -> set[int]:
    """The accounts ``actor`` may change (the page offers the controls for these only)."""
    authorize(actor, Action.USERS_ADMIN)
    return {u.id for u in session.scalars(select(User)) if _visible_to(actor, u) and _manages(actor, u)}


def _refused(error: DomainError, actor: Actor, now: datetime, action: str, user_id: int | None,
             fields: list[str]) -> DomainError:
    """``error``, carrying the audit row of the refused attempt (kept by the service layer although
    nothing else changes): who tried what (field names, never values) on which account, and why."""
    error.audit = {"at": now, "user_id": actor.user_id, "action": f"{action}.refused", "object_type": "user",
                   "object_id": None if user_id is None else str(user_id),
                   "detail": {"office": None, "refused": error.key.removeprefix("error."), "fields": sorted(fields)}}
    return error


def _clean_roles(actor: Actor, roles: Any) -> list[str]:
    """Known roles; a manager grants any role but administrator (never one above their own)."""
    if not isinstance(roles, list) or not roles or any(r not in ROLES for r in roles):
        raise invalid("roles")
    if "admin" in roles and not actor.is_admin:
        raise Forbidden("error.role")  # a manager cannot make an administrator
    return sorted(set(roles))


def _clean_offices(session: Session, actor: Actor, codes: Any) -> list[Office]:
    if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
        raise invalid("offices")
    offices = [office_by_code(session, code) for code in dict.fromkeys(codes)]
    for office in offices:
        actor.require_office(office.id)
    return offices


def _clean_password(password: Any) -> str:
    if not isinstance(password, str) or not MIN_PASSWORD_LEN <= len(password) <= 512:
        raise invalid("password", min=MIN_PASSWORD_LEN)
    return password


def _username(value: Any) -> str:
    name = _name(value, "username", 64)
    if not all(ch.isascii() and (ch.isalnum() or ch in "._-") for ch in name):
        raise invalid("username", limit=64)
    return name


def create_user(uow: UnitOfWork, clock: Clock, actor: Actor, *, username: str, password: str, roles: list[str],
                offices: list[str], full_name: str = "", position: str = "", lang: str = "uk",
                temporary: bool = True) -> dict[str, Any]:
    """A staff account; the password the administrator chose is ``temporary`` (to be changed at first
    sign-in), always: nobody keeps a password that someone else knows."""
    authorize(actor, Action.USERS_ADMIN)
    session = uow.session
    name = _username(username)
    try:
        if not temporary:
            raise Forbidden("error.permanent_password")
        clean_roles = _clean_roles(actor, roles)
    except DomainError as exc:
        raise _refused(exc, actor, clock.now(), "user.create", None, ["roles" if temporary else "temporary"]) from None
    secret = _clean_password(password)
    chosen = _clean_offices(session, actor, offices)
    if not actor.is_admin and not chosen:
        raise invalid("offices")
    if session.scalar(select(User.id).where(User.username == name)):
        raise Conflict("error.duplicate_user", value=name)
    user = User(username=name, password_hash=hash_password(secret), roles=clean_roles,
                full_name=_name(full_name, "full_name", required=False),
                position=_name(position, "position", required=False), lang=lang if lang in i18n.LANGS else "uk",
                must_change_password=True)
    user.offices = chosen
    session.add(user)
    session.flush()
    view = user_admin_view(user)
    _audit(session, actor, clock.now(), "user.create", "user", str(user.id), office=None, before=None,
           after=_user_audit_view(view))
    return view


def _user_in_scope(session: Session, actor: Actor, user_id: int, now: datetime, action: str,
                   fields: list[str]) -> User:
    authorize(actor, Action.USERS_ADMIN)
    user = session.get(User, user_id)
    if user is None or not _visible_to(actor, user):
        raise NotFound("admin.unknown_user", id=user_id)
    if not _manages(actor, user):
        key = "error.role" if "admin" in (user.roles or []) else "error.user_other_office"
        raise _refused(Forbidden(key), actor, now, action, user.id, fields)
    return user


def _other_active_admins(session: Session, user_id: int) -> int:
    users = session.scalars(select(User).where(User.is_active.is_(True), User.id != user_id))
    return sum(1 for u in users if "admin" in (u.roles or []))


def update_user(uow: UnitOfWork, clock: Clock, actor: Actor, user_id: int, changes: dict[str, Any]) -> dict[str, Any]:
    """PATCH a user: full name, position, roles, offices, disabled.

    Refused (403/409, audited, nothing changed): one's own roles or offices; an account not wholly
    within a manager's offices; a role above the manager's own; leaving no active administrator.
    """
    session, now = uow.session, clock.now()
    fields = sorted(changes)
    user = _user_in_scope(session, actor, user_id, now, "user.update", fields)
    before = user_admin_view(user)
    try:
        roles = _clean_roles(actor, changes["roles"]) if "roles" in changes else before["roles"]
        offices = (_clean_offices(session, actor, changes["offices"]) if "offices" in changes else list(user.offices))
        if not actor.is_admin and not offices:
            raise invalid("offices")  # an account of no office would leave the manager's sight
        disabled = _switch(changes["disabled"], "disabled") if "disabled" in changes else before["disabled"]
        if user.id == actor.user_id and (roles != before["roles"]
                                         or sorted(o.code for o in offices) != before["offices"]):
            raise Forbidden("error.own_account")
        if disabled and user.id == actor.user_id:
            raise ValidationFailed("admin.bad.disable_self")
        if ("admin" in before["roles"] and not before["disabled"] and ("admin" not in roles or disabled)
                and _other_active_admins(session, user.id) == 0):
            raise Conflict("error.last_admin")
    except (Forbidden, Conflict) as exc:
        raise _refused(exc, actor, now, "user.update", user.id, fields) from None
    if "full_name" in changes:
        user.full_name = _name(changes["full_name"], "full_name", required=False)
    if "position" in changes:
        user.position = _name(changes["position"], "position", required=False)
    user.roles = roles
    user.offices = offices
    user.is_active = not disabled
    session.flush()
    after = user_admin_view(user)
    old, new = _changed(before, after)
    if new:
        _audit(session, actor, now, "user.update", "user", str(user.id), office=None,
               before=_user_audit_view(old), after=_user_audit_view(new))
    if disabled and not before["disabled"]:
        end_sessions(session, user.id)  # browsers and API tokens; a later re-enable revives neither
    if disabled and not before["disabled"] or {"roles", "offices"} & set(new):
        uow.collect(signed_out_event(user.id))  # open sockets joined with the old rights
    return after


def set_password(uow: UnitOfWork, clock: Clock, actor: Actor, user_id: int, password: str,
                 temporary: bool = True) -> dict[str, Any]:
    """Reset a password; the user's sessions, API tokens and live sockets made with the old one stop.

    A password someone else chose is always temporary: its owner must change it before anything
    else (a permanent one for someone else is refused, 403).  One's own (never flagged: that would
    lock the administrator into the change page) may be permanent.
    """
    now = clock.now()
    user = _user_in_scope(uow.session, actor, user_id, now, "user.password", ["password"])
    if not temporary and user.id != actor.user_id:
        raise _refused(Forbidden("error.permanent_password"), actor, now, "user.password", user.id, ["temporary"])
    secret = _clean_password(password)
    user.password_hash = hash_password(secret)
    user.must_change_password = user.id != actor.user_id
    user.failed_logins, user.locked_until = 0, None
    end_sessions(uow.session, user.id)  # a copied cookie must not outlive the old password
    uow.collect(signed_out_event(user.id))
    # The hash itself never goes into the log: the row only says that it changed.
    _audit(uow.session, actor, now, "user.password", "user", str(user.id), office=None,
           before=None, after={"password": "changed"})
    return user_admin_view(user)


# --- devices -----------------------------------------------------------------------------------


def device_admin_view(d: Device) -> dict[str, Any]:
    return {"id": d.id, "kind": d.kind, "name": d.name, "zone": d.zone, "office": d.office.code,
            "active": d.is_active, "created_at": d.created_at.isoformat(),
            "last_seen_at": d.last_seen_at.isoformat() if d.last_seen_at else None}


def list_devices(session: Session, actor: Actor, office_code: str | None = None) -> list[dict[str, Any]]:
    authorize(actor, Action.DEVICES_ADMIN)
    query = select(Device).join(Office).order_by(Office.code, Device.kind, Device.id)
    if office_code:
        query = query.where(Office.code == office_code)
    return [device_admin_view(d) for d in session.scalars(query) if actor.can_access_office(d.office_id)]


def _device_in_scope(session: Session, actor: Actor, device_id: int) -> Device:
    authorize(actor, Action.DEVICES_ADMIN)
    device = session.get(Device, device_id)
    if device is None or not actor.can_access_office(device.office_id):
        raise NotFound("admin.unknown_device", id=device_id)
    return device


def rename_device(uow: UnitOfWork, clock: Clock, actor: Actor, device_id: int, name: str) -> dict[str, Any]:
    device = _device_in_scope(uow.session, actor, device_id)
    clean = _name(name, "device_name", 100)
    before = device.name
    device.name = clean
    if before != clean:
        _audit(uow.session, actor, clock.now(), "device.rename", "device", str(device.id),
               office=device.office.code, before={"name": before}, after={"name": clean})
        _config_changed(uow, device.office, "device")
    return device_admin_view(device)


def revoke_device(uow: UnitOfWork, clock: Clock, actor: Actor, device_id: int) -> dict[str, Any]:
    """The device's token stops working at once: HTTP looks ``is_active`` up on every request and
    the display's socket hears ``revoked`` (``reception.http.realtime``) and reloads into "not paired"."""
    device = _device_in_scope(uow.session, actor, device_id)
    if device.is_active:
        device.is_active = False
        _audit(uow.session, actor, clock.now(), "device.revoke", "device", str(device.id),
               office=device.office.code, before={"active": True}, after={"active": False})
        version = bump_version(uow.session, device.office_id)
        uow.collect(DomainEvent(name=DEVICE_REVOKED, office_code=device.office.code, version=version,
                                payload={"version": version, "device": device.id}))
    return device_admin_view(device)


PAIRING_CODE_DIGITS = 6
PAIRING_VALID_MIN = 10


def _pairing_digest(code: str) -> str:
    return token_digest(f"pairing:{code}")


def create_pairing(uow: UnitOfWork, clock: Clock, actor: Actor, office_code: str, *, kind: str, name: str,
                   zone: str | None = None) -> dict[str, Any]:
    """A 6-digit code, valid 10 minutes, that a new kiosk or display enters on its "not paired"
    page (``/pair``); only its digest is stored, and no two live codes are alike."""
    session = uow.session
    office = _managed_office(session, actor, office_code)
    if kind not in ("kiosk", "display"):
        raise invalid("device_kind")
    clean_name = _name(name, "device_name", 100)
    clean_zone = clean_desk_changes({"zone": zone})["zone"] if zone else None
    now = clock.now()
    live = set(session.scalars(select(DevicePairing.code_hash).where(
        DevicePairing.expires_at > now, DevicePairing.device_id.is_(None))))
    code = _fresh_code(live)
    pairing = DevicePairing(office_id=office.id, kind=kind, name=clean_name, zone=clean_zone,
                            code_hash=_pairing_digest(code), created_at=now,
                            expires_at=now + timedelta(minutes=PAIRING_VALID_MIN), created_by=actor.user_id)
    session.add(pairing)
    session.flush()
    _audit(session, actor, now, "device.pairing", "device", f"pairing-{pairing.id}", office=office.code,
           before=None, after={"kind": kind, "name": clean_name, "zone": clean_zone})
    return {"code": code, "expires_at": pairing.expires_at.isoformat(), "kind": kind, "name": clean_name}


def _fresh_code(taken: set[str]) -> str:
    while True:
        code = "".join(secrets.choice("0123456789") for _ in range(PAIRING_CODE_DIGITS))
        if _pairing_digest(code) not in taken:
            return code


def redeem_pairing(uow: UnitOfWork, clock: Clock, code: str) -> tuple[str, str]:
    """Pair the device that entered ``code``: (kind, its new long-lived token). The code dies here."""
    digits = "".join(ch for ch in str(code) if ch.isdigit())
    session = uow.session
    now = clock.now()
    pairing = session.scalar(select(DevicePairing).where(
        DevicePairing.code_hash == _pairing_digest(digits), DevicePairing.expires_at > now,
        DevicePairing.device_id.is_(None))) if len(digits) == PAIRING_CODE_DIGITS else None
    if pairing is None:
        raise ValidationFailed("admin.bad.pairing_code")
    token = new_device_token()
    device = Device(office_id=pairing.office_id, kind=pairing.kind, name=pairing.name, zone=pairing.zone,
                    token_hash=token_digest(token), created_at=now)
    session.add(device)
    session.flush()
    pairing.device_id = device.id
    office = session.get(Office, pairing.office_id)
    assert office is not None
    session.add(AuditLog(at=now, user_id=pairing.created_by, action="device.create", object_type="device",
                         object_id=str(device.id), detail={"office": office.code, "before": None,
                                                           "after": {"kind": device.kind, "name": device.name,
                                                                     "zone": device.zone, "paired_by_code": True}}))
    _config_changed(uow, office, "device")
    return device.kind, token


# --- priority categories and outcomes ------------------------------------------------------------


def list_reference(session: Session) -> dict[str, list[dict[str, Any]]]:
    categories = session.scalars(select(PriorityCategory).order_by(PriorityCategory.sort_order, PriorityCategory.id))
    outcomes = session.scalars(select(Outcome).order_by(Outcome.service_kind, Outcome.sort_order, Outcome.id))
    return {"categories": [_ref_view(c) for c in categories],
            "outcomes": [_ref_view(o) | {"service_kind": o.service_kind} for o in outcomes]}


def _ref_view(row: PriorityCategory | Outcome) -> dict[str, Any]:
    return {"id": row.id, "code": row.code, "name_uk": row.name_uk, "name_en": row.name_en, "is_active": row.is_active}


def _code(value: Any) -> str:
    code = _name(value, "code", 32)
    if not all(ch.isascii() and (ch.isalnum() or ch in "_-.") for ch in code):
        raise invalid("code")
    return code


def _every_office_changed(uow: UnitOfWork, what: str) -> None:
    """Reference lists are shared: every active office's kiosks and desks refetch."""
    for office in uow.session.scalars(select(Office).where(Office.is_active.is_(True)).order_by(Office.id)):
        _config_changed(uow, office, what)


def add_reference(uow: UnitOfWork, clock: Clock, actor: Actor, kind: str, *, code: str, name_uk: str, name_en: str,
                  service_kind: str = "specialist") -> dict[str, Any]:
    """Add a priority category (``kind="category"``) or an outcome (``kind="outcome"``)."""
    authorize(actor, Action.OFFICES_ADMIN)
    session = uow.session
    clean = {"code": _code(code), "name_uk": _name(name_uk, "name_uk"), "name_en": _name(name_en, "name_en")}
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
    _audit(session, actor, clock.now(), f"{kind}.create", kind, str(row.id), office=None, before=None, after=view)
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
            setattr(row, field, _name(changes[field], field))
    if "is_active" in changes:
        row.is_active = _switch(changes["is_active"], "is_active")
    old, new = _changed(before, _ref_view(row))
    if new:
        _audit(uow.session, actor, clock.now(), f"{kind}.update", kind, str(row.id), office=None, before=old, after=new)
        _every_office_changed(uow, kind)
    return _ref_view(row)


# --- the audit log -----------------------------------------------------------------------------


def audit_kinds(session: Session) -> list[str]:
    return sorted(session.scalars(select(AuditLog.object_type).distinct()).all())


def _ids_as_text(column: Any) -> Any:
    return cast(column, String)


def _of_offices(office_ids: list[int]) -> Any:
    """The rows that belong to these offices' log (a WHERE clause on ``audit_log``).

    An entry is an office's when it says so (``detail.office``, or the office itself is the object),
    or when its object lives in the office: a record, booking, leader, rule, reception, ticket or
    device of it, or a member of its staff (an office's log includes the changes to the staff bound
    to it, as bound when read).  Anything else (sign-in locks, shared lists, staff of no office) is
    for administrators only.
    """
    codes = select(Office.code).where(Office.id.in_(office_ids))
    oid, kind = AuditLog.object_id, AuditLog.object_type
    owned: dict[str, Any] = {
        "user": select(_ids_as_text(UserOffice.user_id)).where(UserOffice.office_id.in_(office_ids)),
        "reception_record": select(_ids_as_text(ReceptionRecord.id)).where(ReceptionRecord.office_id.in_(office_ids)),
        "appointment": select(_ids_as_text(Appointment.id)).join(
            ReceptionSession, ReceptionSession.id == Appointment.session_id).where(
            ReceptionSession.office_id.in_(office_ids)),
        "leader": select(_ids_as_text(Leader.id)).where(Leader.office_id.in_(office_ids)),
        "reception_rule": select(_ids_as_text(ReceptionRule.id)).join(Leader, Leader.id == ReceptionRule.leader_id)
        .where(Leader.office_id.in_(office_ids)),
        "reception_session": select(_ids_as_text(ReceptionSession.id)).where(
            ReceptionSession.office_id.in_(office_ids)),
        "ticket": select(_ids_as_text(Ticket.id)).where(Ticket.office_id.in_(office_ids)),
        "device": select(_ids_as_text(Device.id)).where(Device.office_id.in_(office_ids)),
    }
    return or_((kind == "office") & oid.in_(codes), AuditLog.detail["office"].as_string().in_(codes),
               *((kind == name) & oid.in_(ids) for name, ids in owned.items()))


def audit_entries(session: Session, actor: Actor, *, office: str | None = None, date_from: date | None = None,
                  date_to: date | None = None, kind: str | None = None, tz: str = "Europe/Kyiv",
                  limit: int = AUDIT_LIMIT) -> list[dict[str, Any]]:
    """Newest first; ``date_from``/``date_to`` are local dates (both included) in ``tz``.

    Confined by the table's office scope: an auditor reads the log of their own offices, an
    administrator every row; naming an office one may not see is refused (403), not answered empty.
    """
    authorize(actor, Action.AUDIT_READ)
    scope: list[int] | None = None  # None: every row (administrators, no office asked for)
    if office:
        wanted = office_by_code(session, office)
        actor.require_office(wanted.id)
        scope = [wanted.id]
    elif not actor.is_admin:
        scope = sorted(actor.office_ids)
    zone = ZoneInfo(tz)
    query = select(AuditLog).order_by(AuditLog.id.desc())
    if scope is not None:
        query = query.where(_of_offices(scope or [-1]))
    if date_from:
        query = query.where(AuditLog.at >= datetime.combine(date_from, time(), zone))
    if date_to:
        query = query.where(AuditLog.at < datetime.combine(date_to + timedelta(days=1), time(), zone))
    if kind:
        query = query.where(AuditLog.object_type == kind)
    rows = session.scalars(query.limit(limit)).all()
    names = dict(session.execute(select(User.id, User.username).where(
        User.id.in_({r.user_id for r in rows if r.user_id}))).all())
    return [{"id": row.id, "at": row.at.astimezone(zone).isoformat(),
             "user": names.get(row.user_id) if row.user_id else None, "action": row.action,
             "object_type": row.object_type, "object_id": row.object_id, "office": _row_office(row),
             "detail": row.detail or {}} for row in rows]


def _row_office(row: AuditLog) -> str | None:
    if row.object_type == "office":
        return row.object_id
    detail = row.detail or {}
    value = detail.get("office")
    return str(value) if value else None


def audit_names(session: Session, entries: list[dict[str, Any]]) -> dict[str, dict[int, Any]]:
    """What a person reads instead of the ids the entries keep, resolved now from those ids:
    records by their registration index, leaders by name, receptions by leader, day and start,
    with their slot times (index -> "HH:MM").  Ids no longer found stay as they are."""
    record_ids, leader_ids, session_ids = set(), set(), set()
    for e in entries:
        detail = e["detail"]
        if e["object_type"] == "reception_record" and str(e["object_id"] or "").isdigit():
            record_ids.add(int(e["object_id"]))
        if isinstance(detail.get("leader"), int):
            leader_ids.add(detail["leader"])
        session_ids |= {detail[k] for k in ("session", "from_session", "to_session") if isinstance(detail.get(k), int)}
    receptions: dict[int, Any] = {}
    for rs in session.scalars(select(ReceptionSession).where(ReceptionSession.id.in_(session_ids))):
        local = ZoneInfo(rs.office.timezone)
        receptions[rs.id] = {"leader": (rs.leader.name_uk, rs.leader.name_en), "day": rs.day.strftime("%d.%m.%Y"),
                             "start": rs.start,
                             "slots": [at.astimezone(local).strftime("%H:%M") for at in slot_instants(rs, rs.office.timezone)]}
    return {"records": dict(session.execute(select(ReceptionRecord.id, ReceptionRecord.reg_index).where(
                ReceptionRecord.id.in_(record_ids))).all()),
            "leaders": {i: (uk, en) for i, uk, en in session.execute(select(Leader.id, Leader.name_uk, Leader.name_en)
                                                                     .where(Leader.id.in_(leader_ids)))},
            "receptions": receptions}
