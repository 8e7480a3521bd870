"""Administration of offices, services and desks, and the steps every administration command shares.

Every command has the core's shape ``(uow, clock, actor, ...)``: it validates the whole change
first (a clear message in the caller's language, nothing changed), applies it, appends an audit
entry with the values before and after (``reception.audit.writer``), and collects a ``config_changed``
event for each office concerned, so the message bus tells that office's kiosks, displays and desks
after commit (``reception.http.realtime.fan_out`` sends it as a ``queue`` hint).  Creating goes the
same way as changing: the API, the console, the demo and the tests all create through these commands
(``reception.offices.setup`` runs them where no server is).  No Flask here.
"""

from __future__ import annotations

from dataclasses import fields as dc_fields
from datetime import time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from reception.audit.writer import audit
from reception.kernel.bounds import MAX_REASONS, clean_name, clean_switch, clean_whole, invalid
from reception.kernel.errors import Conflict, NotFound, ValidationFailed
from reception.kernel.events import ConfigChanged
from reception.kernel.identity import Actor
from reception.kernel.permissions import Action, authorize
from reception.kernel.phones import normalise_phone
from reception.kernel.unit_of_work import UnitOfWork
from reception.offices.lookups import bump_version, office_by_code
from reception.offices.models import Desk, DeskService, Office, Service, ServiceCategory
from reception.offices.rules import OfficeSettings, validate_hours
from reception.platform.clock import Clock
from reception.platform.i18n import Text

SERVICE_KINDS = ("specialist", "leadership")
DESK_KINDS = ("window", "cabinet", "room")
# Whole-number settings of OfficeSettings with their sane ranges; the rest are switches.
SETTING_RANGES: dict[str, tuple[int, int]] = {
    "priority_interleave": (1, 20),
    "recalls_before_no_show": (0, 10),
    "reactivation_window_min": (0, 480),
    "double_call_window_s": (0, 60),
    "late_move_places": (1, 50),
}
SETTING_SWITCHES = tuple(f.name for f in dc_fields(OfficeSettings) if f.name not in SETTING_RANGES)
# Whom visitors ask about their data (the /privacy notice, decision 018): a line or two of text.
PRIVACY_CONTACT_MAX = 500
# An office's alert thresholds, kept in ``settings["alerts"]`` (reception.alerts.rules.Thresholds reads them
# over its defaults; decision 040): name -> allowed whole numbers.
ALERT_THRESHOLD_RANGES: dict[str, tuple[int, int]] = {
    "device_offline_min": (1, 1440),
    "printer_failures": (1, 100),
    "printer_failures_window_min": (1, 1440),
    "suspended_long_min": (1, 1440),
    "leader_absent_min": (1, 240),
    "wait_critical_factor": (1, 10),
    "appeals_overdue_critical_days": (1, 45),
    "appeals_near_due_days": (1, 30),
}


# --- shared steps ------------------------------------------------------------------------------


def config_changed(uow: UnitOfWork, office: Office, what: str) -> None:
    """Bump the office version and tell its clients to refetch (kiosk menu, display, desk console)."""
    version = bump_version(uow.session, office.id)
    uow.collect(ConfigChanged(office_code=office.code, version=version, what=what))


def changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys whose values differ, before and after."""
    keys = [k for k in after if before.get(k) != after[k]]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def changed_config(uow: UnitOfWork, clock: Clock, actor: Actor, office: Office, what: str, object_id: str,
                    before: dict[str, Any], after: dict[str, Any]) -> None:
    """Audit ``<what>.update`` with the fields that differ and hint the office; nothing if none differ."""
    old, new = changed(before, after)
    if new:
        audit(uow.session, clock.now(), actor.user_id, f"{what}.update", what, object_id,
              {"office": office.code, "before": old, "after": new})
        config_changed(uow, office, what)


def managed_office(session: Session, actor: Actor, code: str) -> Office:
    """The office ``code`` if ``actor`` may administer it (403/404 otherwise)."""
    authorize(actor, Action.OFFICE_ADMIN)
    office = office_by_code(session, code)
    actor.require_office(office.id)
    return office


def clean_code(value: Any) -> str:
    """A code in URLs and lists: letters, digits, ``_-.``, at most 32 (offices, services, desks, lists)."""
    code = clean_name(value, "code", 32)
    if not all(ch.isascii() and (ch.isalnum() or ch in "_-.") for ch in code):
        raise invalid("code")
    return code


# --- offices -----------------------------------------------------------------------------------


def office_admin_view(o: Office) -> dict[str, Any]:
    return {"code": o.code, "name_uk": o.name_uk, "name_en": o.name_en, "timezone": o.timezone,
            "opening_hours": o.opening_hours or {}, "settings": vars(OfficeSettings.from_json(o.settings)).copy(),
            "privacy_contact": str((o.settings or {}).get("privacy_contact") or ""),
            "contact_phone": str((o.settings or {}).get("contact_phone") or ""), "is_active": o.is_active,
            "alert_region": o.alert_region or "",
            "alert_thresholds": {k: v for k, v in ((o.settings or {}).get("alerts") or {}).items()
                                 if k in ALERT_THRESHOLD_RANGES}}


def _names(changes: dict[str, Any]) -> dict[str, Any]:
    """The names given in ``changes``, cleaned (the same rule for an office, a service and a desk)."""
    return {field: clean_name(changes[field], field) for field in ("name_uk", "name_en") if field in changes}


def clean_office_changes(changes: dict[str, Any]) -> dict[str, Any]:
    """Validate an office change as a whole (pure); raises ValidationFailed on the first bad field."""
    clean = _names(changes)
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
    if "alert_region" in changes:
        clean["alert_region"] = _alert_region(changes["alert_region"])
    if changes.get("alert_thresholds") is not None:
        clean["alert_thresholds"] = _alert_thresholds(changes["alert_thresholds"])
    return clean


def _alert_thresholds(value: Any) -> dict[str, int]:
    if not isinstance(value, dict) or set(value) - set(ALERT_THRESHOLD_RANGES):
        raise invalid("alert_thresholds")
    return {key: clean_whole(raw, key, *ALERT_THRESHOLD_RANGES[key]) for key, raw in value.items()}


ALERT_REGION_MAX = 12


def _alert_region(value: Any) -> str | None:
    """The air-raid feed's location uid (alerts.in.ua: digits, an oblast's or a hromada's); "" or null: none."""
    if value is None:
        return None
    text = str(value).strip() if isinstance(value, str | int) and not isinstance(value, bool) else "x"
    if text and not (len(text) <= ALERT_REGION_MAX and text.isascii() and text.isdigit()):
        raise invalid("alert_region", limit=ALERT_REGION_MAX)
    return text or None


def _contact_phone(value: Any) -> str:
    """The contact centre's phone as E.164 (the one phone rule, kernel.phones.normalise_phone); "" clears it."""
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
            clean[key] = clean_whole(raw, key, *SETTING_RANGES[key])
        else:
            clean[key] = clean_switch(raw, key)
    return clean


def update_office(uow: UnitOfWork, clock: Clock, actor: Actor, code: str, changes: dict[str, Any]) -> dict[str, Any]:
    """PATCH an office: names, time zone, opening hours, queue settings (OfficeSettings)."""
    clean = clean_office_changes(changes)
    office = managed_office(uow.session, actor, code)
    before = office_admin_view(office)
    # The contacts live in the settings JSON beside the queue settings (LeadershipSettings reads them).
    settings = clean.pop("settings", {}) | {key: clean.pop(key) for key in ("privacy_contact", "contact_phone")
                                            if key in clean}
    if "alert_thresholds" in clean:  # beside the others, merged into what was set before
        settings["alerts"] = dict((office.settings or {}).get("alerts") or {}) | clean.pop("alert_thresholds")
    if settings:
        clean["settings"] = dict(office.settings or {}) | settings  # keeps other modules' keys
    for key, value in clean.items():
        setattr(office, key, value)
    after = office_admin_view(office)
    changed_config(uow, clock, actor, office, "office", office.code, before, after)
    return after


# --- services ----------------------------------------------------------------------------------


def service_admin_view(s: Service) -> dict[str, Any]:
    return {"code": s.code, "prefix": s.prefix, "name_uk": s.name_uk, "name_en": s.name_en,
            "description_uk": s.description_uk, "description_en": s.description_en, "kind": s.kind,
            "daily_limit": s.daily_limit, "target_wait_min": s.target_wait_min,
            "default_service_min": s.default_service_min, "walk_ins": s.walk_ins, "is_active": s.is_active}


def clean_service_changes(changes: dict[str, Any]) -> dict[str, Any]:
    clean = _names(changes)
    for field in ("description_uk", "description_en"):
        if field in changes:
            clean[field] = clean_name(changes[field], field, 1000, required=False)
    if "prefix" in changes:
        prefix = clean_name(changes["prefix"], "prefix", 4)
        if any(ch.isspace() or ch == "-" for ch in prefix):
            raise invalid("prefix", limit=4)
        clean["prefix"] = prefix
    if "kind" in changes:
        if changes["kind"] not in SERVICE_KINDS:
            raise invalid("kind")
        clean["kind"] = changes["kind"]
    if "daily_limit" in changes:
        raw = changes["daily_limit"]
        clean["daily_limit"] = None if raw in (None, "") else clean_whole(raw, "daily_limit", 1, 100000)
    if "target_wait_min" in changes:
        clean["target_wait_min"] = clean_whole(changes["target_wait_min"], "target_wait_min", 1, 600)
    if "default_service_min" in changes:
        clean["default_service_min"] = _minutes(changes["default_service_min"])
    if "active_hours" in changes:  # the service's own hours within the office's; empty: the office's
        clean["active_hours"] = _hours(changes["active_hours"] or {})
    for field in ("walk_ins", "is_active"):
        if field in changes:
            clean[field] = clean_switch(changes[field], field)
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


def _prefix_free(session: Session, office: Office, prefix: str, service_id: int | None = None) -> None:
    """No two services of an office share a prefix (their tickets would share numbers)."""
    if session.scalar(select(Service.id).where(Service.office_id == office.id, Service.prefix == prefix,
                                               Service.id != (service_id or 0))):
        raise ValidationFailed("admin.bad.prefix_taken", prefix=prefix)


def update_service(uow: UnitOfWork, clock: Clock, actor: Actor, office_code: str, service_code: str,
                   changes: dict[str, Any]) -> dict[str, Any]:
    """PATCH a service: prefix, names, descriptions, kind, limits, times, walk-ins, active."""
    clean = clean_service_changes(changes)
    session = uow.session
    office = managed_office(session, actor, office_code)
    service = _service(session, office, service_code)
    before = service_admin_view(service)
    if clean.get("walk_ins") and clean.get("kind", service.kind) != "leadership":
        raise invalid("walk_ins")
    if "prefix" in clean:
        _prefix_free(session, office, clean["prefix"], service.id)
    for key, value in clean.items():
        setattr(service, key, value)
    if service.kind != "leadership":
        service.walk_ins = False
    after = service_admin_view(service)
    changed_config(uow, clock, actor, office, "service", f"{office.code}/{service.code}", before, after)
    return after


# --- desks -------------------------------------------------------------------------------------


def desk_admin_view(d: Desk) -> dict[str, Any]:
    return {"code": d.code, "name_uk": d.name_uk, "name_en": d.name_en, "zone": d.zone, "kind": d.kind,
            "status": d.status, "allow_call_specific": d.allow_call_specific,
            "services": [ds.service.code for ds in d.services],
            "weights": {ds.service.code: ds.weight for ds in d.services}}


def clean_desk_changes(changes: dict[str, Any]) -> dict[str, Any]:
    clean = _names(changes)
    if "zone" in changes:
        zone = clean_name(changes["zone"], "zone", 32)
        if not all(ch.isascii() and (ch.isalnum() or ch in "_-") for ch in zone):
            raise invalid("zone")
        clean["zone"] = zone
    if "kind" in changes:
        if changes["kind"] not in DESK_KINDS:
            raise invalid("kind_desk")
        clean["kind"] = changes["kind"]
    if "allow_call_specific" in changes:
        clean["allow_call_specific"] = clean_switch(changes["allow_call_specific"], "allow_call_specific")
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
    office = managed_office(session, actor, office_code)
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
    changed_config(uow, clock, actor, office, "desk", f"{office.code}/{desk.code}", before, after)
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


# --- creating: the same validation, audit and hint as changing -----------------------------------

SERVICE_FIELDS = frozenset({"kind", "description_uk", "description_en", "daily_limit", "target_wait_min",
                            "default_service_min", "active_hours", "walk_ins", "is_active"})
DESK_FIELDS = frozenset({"zone", "kind", "allow_call_specific"})


def _no_other_fields(given: dict[str, Any], known: frozenset[str]) -> None:
    """A field the row does not have is refused, not dropped (the API's schemas refuse it before)."""
    unknown = sorted(set(given) - known)
    if unknown:
        raise ValidationFailed.because(*(Text.of("error.input.unknown", name=name) for name in unknown[:MAX_REASONS]))


def _flush_new(session: Session, code: str) -> None:
    """Write the new row now; a concurrent create with the same code is the same conflict as a known one."""
    try:
        session.flush()
    except IntegrityError as exc:
        raise Conflict("error.duplicate", value=code) from exc


def _created(uow: UnitOfWork, clock: Clock, actor: Actor, office: Office, what: str, object_id: str,
             view: dict[str, Any]) -> None:
    """Audit ``<what>.create`` with the new row as it reads, and hint the office (like a change)."""
    audit(uow.session, clock.now(), actor.user_id, f"{what}.create", what, object_id,
          {"office": office.code, "before": None, "after": view})
    config_changed(uow, office, what)


def create_office(uow: UnitOfWork, clock: Clock, actor: Actor, *, code: str, name_uk: str, name_en: str,
                  timezone: str = "Europe/Kyiv", opening_hours: dict[str, Any] | None = None,
                  settings: dict[str, Any] | None = None) -> str:
    """A new office (administrators only); its code."""
    authorize(actor, Action.OFFICES_ADMIN)
    clean = clean_office_changes({"name_uk": name_uk, "name_en": name_en, "timezone": timezone,
                                  "opening_hours": opening_hours or {}, "settings": settings or {}})
    office_code = clean_code(code)
    session = uow.session
    if session.scalar(select(Office.id).where(Office.code == office_code)):
        raise Conflict("error.duplicate", value=office_code)
    office = Office(code=office_code, **clean)
    session.add(office)
    _flush_new(session, office_code)
    _created(uow, clock, actor, office, "office", office.code, office_admin_view(office))
    return office.code


def create_service(uow: UnitOfWork, clock: Clock, actor: Actor, office_code: str, *, code: str, prefix: str,
                   name_uk: str, name_en: str, category: str | None = None, **fields: Any) -> str:
    """A new service of an office (after the office's others); its code. ``fields``: as :func:`update_service`."""
    _no_other_fields(fields, SERVICE_FIELDS)
    clean = clean_service_changes(fields | {"prefix": prefix, "name_uk": name_uk, "name_en": name_en})
    service_code = clean_code(code)
    session = uow.session
    office = managed_office(session, actor, office_code)
    if clean.get("walk_ins") and clean.get("kind") != "leadership":
        raise invalid("walk_ins")
    if session.scalar(select(Service.id).where(Service.office_id == office.id, Service.code == service_code)):
        raise Conflict("error.duplicate", value=service_code)
    _prefix_free(session, office, clean["prefix"])
    category_id = None
    if category:
        category_id = session.scalar(select(ServiceCategory.id).where(
            ServiceCategory.office_id == office.id, ServiceCategory.code == category))
        if category_id is None:
            raise ValidationFailed.because(Text.of("error.input.category", name="category", category=category))
    service = Service(office_id=office.id, code=service_code, category_id=category_id,
                      sort_order=len(office.services), **clean)
    session.add(service)
    _flush_new(session, service_code)
    _created(uow, clock, actor, office, "service", f"{office.code}/{service.code}", service_admin_view(service))
    return service.code


def create_desk(uow: UnitOfWork, clock: Clock, actor: Actor, office_code: str, *, code: str, name_uk: str,
                name_en: str, services: list[str], weights: dict[str, float] | None = None, **fields: Any) -> str:
    """A new desk serving ``services`` (weights 0 < w <= 100, 1 unless given); its code."""
    _no_other_fields(fields, DESK_FIELDS)
    clean = clean_desk_changes(fields | {"name_uk": name_uk, "name_en": name_en, "services": services,
                                         "weights": weights})
    desk_code = clean_code(code)
    session = uow.session
    office = managed_office(session, actor, office_code)
    if session.scalar(select(Desk.id).where(Desk.office_id == office.id, Desk.code == desk_code)):
        raise Conflict("error.duplicate", value=desk_code)
    wanted = clean.pop("services")
    desk = Desk(office_id=office.id, code=desk_code, **clean)
    _set_desk_services(session, office, desk, wanted)
    session.add(desk)
    _flush_new(session, desk_code)
    _created(uow, clock, actor, office, "desk", f"{office.code}/{desk.code}", desk_admin_view(desk))
    return desk.code
