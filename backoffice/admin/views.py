"""Administration pages (/backoffice/admin): offices, services, desks, devices, users, lists.

Each form posts to one small view: read the fields, run one command of
the administration slices (``reception.offices.administration``, ``.reference``,
``reception.accounts.administration``, ``.devices``) through the service layer (audit and live hints included),
flash the outcome in the user's language, redirect back to the section.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for

from backoffice.admin.messages import WEEKDAYS, timezone_choices
from backoffice.office.common import current_office, flash_error, install_error_page, text
from reception.accounts import administration as accounts_admin
from reception.accounts import devices as device_admin
from reception.alerts.rules import Thresholds
from reception.http.callers import acting, guard
from reception.http.language import request_lang
from reception.http.wiring import wiring
from reception.kernel.errors import DomainError
from reception.kernel.identity import ROLES as ALL_ROLES
from reception.kernel.identity import Actor
from reception.kernel.permissions import Action
from reception.kernel.phones import display_phone
from reception.leadership.today import office_choices
from reception.offices import administration as office_admin
from reception.offices import reference
from reception.offices.lookups import office_by_code
from reception.offices.models import Office
from reception.offices.rules import to_local
from reception.platform import i18n

bp = Blueprint("admin_pages", __name__, url_prefix="/backoffice/admin")
install_error_page(bp)


def _checked(name: str) -> bool:
    return request.form.get(name) == "1"


def _back(endpoint: str) -> Any:
    return redirect(url_for(endpoint, office=request.form.get("office") or request.args.get("office")))


def _submit(endpoint: str, command: Any, *args: Any, done: str = "adm.saved", **kwargs: Any) -> Any:
    """What every form does: run one command, flash ``done`` or the refusal, back to the section."""
    try:
        wiring().services.value(command, *args, **kwargs)
    except DomainError as exc:
        flash_error(exc)
    else:
        flash(i18n.t(done, request_lang()), "info")
    return _back(endpoint)


def _office_row(actor: Actor) -> dict[str, Any]:
    """The current office with its services and desks, for the sections that edit them."""
    with wiring().db.read() as s:
        office: Office = office_by_code(s, current_office(actor)["code"])
        return office_admin.office_admin_view(office) | {
            "services": [office_admin.service_admin_view(x) for x in office.services],
            "desks": [office_admin.desk_admin_view(d) for d in office.desks]}


# (endpoint, title key) of the sections, in the tabs' and the index's order; the last is for admins only.
SECTIONS = (("admin_pages.office_page", "adm.sec.office"), ("admin_pages.services_page", "adm.sec.services"),
            ("admin_pages.desks_page", "adm.sec.desks"), ("admin_pages.devices_page", "adm.sec.devices"),
            ("admin_pages.users_page", "adm.sec.users"), ("admin_pages.lists_page", "adm.sec.lists"))


def _page(template: str, actor: Actor, office: dict[str, Any] | None = None, **context: Any) -> Any:
    """A section of ``office`` (the current office unless the view has it already)."""
    return render_template(f"admin/{template}", offices=office_choices(wiring().db, actor),
                           office=office or current_office(actor), is_admin_user=actor.is_admin,
                           sections=SECTIONS if actor.is_admin else SECTIONS[:-1], **context)


# --- index and office ----------------------------------------------------------------------------


@bp.get("")
@guard(Action.OFFICE_ADMIN)
def index() -> Any:
    actor = acting()
    return _page("index.html", actor)


@bp.get("/office")
@guard(Action.OFFICE_ADMIN)
def office_page() -> Any:
    actor = acting()
    office = _office_row(actor)
    office["contact_phone_text"] = display_phone(office["contact_phone"])
    return _page("office.html", actor, office, hours=office_admin.hours_as_text(office["opening_hours"]),
                 weekdays=WEEKDAYS, timezones=timezone_choices(office["timezone"], request_lang()),
                 ranges=office_admin.SETTING_RANGES, switches=office_admin.SETTING_SWITCHES,
                 max_contact=office_admin.PRIVACY_CONTACT_MAX, alert_ranges=office_admin.ALERT_THRESHOLD_RANGES,
                 alert_values=_alert_values(office["alert_thresholds"]))


def _alert_values(stored: dict[str, Any]) -> dict[str, int]:
    """Each alert threshold as it works now: the office's own, else the default."""
    defaults = vars(Thresholds())
    return {key: stored.get(key, defaults[key]) for key in office_admin.ALERT_THRESHOLD_RANGES}


def _alert_changes(stored: dict[str, Any]) -> dict[str, str]:
    """The thresholds typed in the form that the office had set or that differ from what works now (the
    defaults stay defaults); an empty field leaves its threshold as it is. The command validates them."""
    now = _alert_values(stored)
    typed = {key: (request.form.get(f"alert_{key}") or "").strip()[:10] for key in office_admin.ALERT_THRESHOLD_RANGES}
    return {key: value for key, value in typed.items() if value and (key in stored or value != str(now[key]))}


@bp.post("/office")
@guard(Action.OFFICE_ADMIN)
def save_office() -> Any:
    actor = acting()
    code = current_office(actor)["code"]
    try:
        changes = {"name_uk": text("name_uk", None), "name_en": text("name_en", None),
                   "timezone": text("timezone", 64),
                   "opening_hours": office_admin.hours_from_text({d: text(f"hours_{d}", 200) for d in "1234567"}),
                   "settings": {k: text(k, 10) for k in office_admin.SETTING_RANGES} | {k: _checked(k) for k in office_admin.SETTING_SWITCHES},
                   # as typed: the command trims it and refuses a NUL or an overlong text
                   "privacy_contact": request.form.get("privacy_contact", ""),
                   "contact_phone": request.form.get("contact_phone", ""),
                   "alert_region": request.form.get("alert_region", ""),
                   "alert_thresholds": _alert_changes(_office_row(actor)["alert_thresholds"])}
    except DomainError as exc:
        flash_error(exc)
        return _back(".office_page")
    return _submit(".office_page", office_admin.update_office, actor, code, changes)


# --- services and desks --------------------------------------------------------------------------


@bp.get("/services")
@guard(Action.OFFICE_ADMIN)
def services_page() -> Any:
    actor = acting()
    return _page("services.html", actor, _office_row(actor), kinds=office_admin.SERVICE_KINDS)


@bp.post("/services/<code>")
@guard(Action.OFFICE_ADMIN)
def save_service(code: str) -> Any:
    actor = acting()
    changes: dict[str, Any] = {k: text(k, None) for k in (
        "prefix", "name_uk", "name_en", "description_uk", "description_en", "kind", "daily_limit", "target_wait_min",
        "default_service_min")}
    changes |= {"walk_ins": _checked("walk_ins"), "is_active": _checked("is_active")}
    return _submit(".services_page", office_admin.update_service, actor, current_office(actor)["code"], code, changes)


@bp.get("/desks")
@guard(Action.OFFICE_ADMIN)
def desks_page() -> Any:
    actor = acting()
    return _page("desks.html", actor, _office_row(actor), kinds=office_admin.DESK_KINDS)


@bp.post("/desks/<code>")
@guard(Action.OFFICE_ADMIN)
def save_desk(code: str) -> Any:
    actor = acting()
    chosen = [c for c in request.form.getlist("services") if c]
    changes: dict[str, Any] = {k: text(k, None) for k in ("name_uk", "name_en", "zone", "kind")}
    changes |= {"allow_call_specific": _checked("allow_call_specific"), "services": chosen,
                "weights": {c: text(f"weight_{c}", 10) or "1" for c in chosen}}
    return _submit(".desks_page", office_admin.update_desk, actor, current_office(actor)["code"], code, changes)


# --- kiosks and displays -------------------------------------------------------------------------


@bp.get("/devices")
@guard(Action.DEVICES_ADMIN)
def devices_page() -> Any:
    actor = acting()
    office = current_office(actor)
    with wiring().db.read() as s:
        devices = device_admin.list_devices(s, actor, office["code"])
    for d in devices:  # shown office-local, the Ukrainian way
        seen = d["last_seen_at"]
        d["seen_local"] = to_local(datetime.fromisoformat(seen), office["timezone"]).strftime("%d.%m.%Y %H:%M") if seen else None
    return _page("devices.html", actor, office, devices=devices)


@bp.post("/devices/pairing")
@guard(Action.DEVICES_ADMIN)
def new_pairing() -> Any:
    """A one-time code for a new kiosk or display, shown once to the manager."""
    actor = acting()
    office = current_office(actor)
    try:
        made = wiring().services.value(device_admin.create_pairing, actor, office["code"], kind=request.form.get("kind") or "",
                                       name=text("name", None), zone=text("zone", 32) or None)
    except DomainError as exc:
        flash_error(exc)
        return _back(".devices_page")
    until = to_local(datetime.fromisoformat(made["expires_at"]), office["timezone"]).strftime("%H:%M")
    code = f"{made['code'][:3]} {made['code'][3:]}"
    flash(i18n.t("adm.pair.issued", request_lang(), name=made["name"], code=code, until=until), "info")
    return _back(".devices_page")


@bp.post("/devices/<int:device_id>/rename")
@guard(Action.DEVICES_ADMIN)
def rename_device(device_id: int) -> Any:
    return _submit(".devices_page", device_admin.rename_device, acting(), device_id, text("name", None))


@bp.post("/devices/<int:device_id>/revoke")
@guard(Action.DEVICES_ADMIN)
def revoke_device(device_id: int) -> Any:
    return _submit(".devices_page", device_admin.revoke_device, acting(), device_id)


# --- users ---------------------------------------------------------------------------------------


@bp.get("/users")
@guard(Action.USERS_ADMIN)
def users_page() -> Any:
    actor = acting()
    with wiring().db.read() as s:
        users = accounts_admin.list_users(s, actor)
        manageable = accounts_admin.manageable_user_ids(s, actor)
    roles = [r for r in ALL_ROLES if actor.is_admin or r != "admin"]
    return _page("users.html", actor, users=users, roles=roles, me=actor.user_id, manageable=manageable)


def _user_fields() -> dict[str, Any]:
    """The form's fields; one's own form has no roles or offices (they are not one's to change)."""
    fields: dict[str, Any] = {"full_name": text("full_name", None), "position": text("position", None)}
    if request.form.get("own") != "1":
        fields |= {"roles": request.form.getlist("roles"), "offices": request.form.getlist("offices")}
    return fields


@bp.post("/users")
@guard(Action.USERS_ADMIN)
def create_user() -> Any:
    return _submit(".users_page", accounts_admin.create_user, acting(), username=text("username", None),
                   password=request.form.get("password") or "", done="adm.users.added", **_user_fields())


@bp.post("/users/<int:user_id>")
@guard(Action.USERS_ADMIN)
def save_user(user_id: int) -> Any:
    return _submit(".users_page", accounts_admin.update_user, acting(), user_id, _user_fields() | {"disabled": _checked("disabled")},
                   done="adm.users.saved")


@bp.post("/users/<int:user_id>/password")
@guard(Action.USERS_ADMIN)
def reset_password(user_id: int) -> Any:
    return _submit(".users_page", accounts_admin.set_password, acting(), user_id, request.form.get("password") or "",
                   done="adm.users.password_set")


# --- priority categories and outcomes -----------------------------------------------------------


@bp.get("/lists")
@guard(Action.OFFICES_ADMIN)
def lists_page() -> Any:
    actor = acting()
    with wiring().db.read() as s:
        lists = reference.list_reference(s)
    return _page("lists.html", actor, lists=lists, kinds=reference.OUTCOME_KINDS)


@bp.post("/lists/<any(category, outcome):kind>")
@guard(Action.OFFICES_ADMIN)
def add_item(kind: str) -> Any:
    return _submit(".lists_page", reference.add_reference, acting(), kind, code=text("code", None),
                   name_uk=text("name_uk", None), name_en=text("name_en", None),
                   service_kind=request.form.get("service_kind") or "specialist")


@bp.post("/lists/<any(category, outcome):kind>/<int:item_id>")
@guard(Action.OFFICES_ADMIN)
def save_item(kind: str, item_id: int) -> Any:
    return _submit(".lists_page", reference.update_reference, acting(), kind, item_id,
                   {"name_uk": text("name_uk", None), "name_en": text("name_en", None), "is_active": _checked("is_active")})
