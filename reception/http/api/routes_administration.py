"""Administration API: PATCH offices, services and desks; users; device revocation; the audit log."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import jsonify, request
from flask.typing import ResponseReturnValue
from pydantic import BaseModel

from reception.accounts import administration as accounts_admin
from reception.accounts import devices
from reception.http.api import bp
from reception.http.api.registry import PATH_ID, Param, api_route, parse_body
from reception.http.api.schemas.accounts import PasswordIn, UserIn, UserPatch
from reception.http.api.schemas.offices import DeskPatch, OfficePatch, ServicePatch
from reception.http.callers import acting
from reception.http.wiring import wiring
from reception.kernel.bounds import parse_date
from reception.kernel.permissions import Action
from reception.offices import administration as office_admin
from reception.offices.lookups import office_by_code
from reception.reports import audit_log as audit_reads

ERRORS: dict[int, str | None] = {401: None, 403: None, 404: None, 422: None}


def _given(model: type[BaseModel]) -> dict[str, Any]:
    """The body's fields that the caller actually sent (a PATCH changes only those)."""
    return parse_body(model).model_dump(exclude_unset=True)


@api_route(bp, "PATCH", "/offices/{code}", summary="Change an office (names, zone, hours, settings)", tag="admin",
           action=Action.OFFICE_ADMIN, body=OfficePatch, responses={200: "OfficeAdminOut", **ERRORS})
def patch_office(code: str) -> ResponseReturnValue:
    actor = acting()
    return jsonify(wiring().services.value(office_admin.update_office, actor, code, _given(OfficePatch)))


@api_route(bp, "PATCH", "/offices/{code}/services/{service}", summary="Change a service", tag="admin",
           action=Action.OFFICE_ADMIN, body=ServicePatch, responses={200: "ServiceAdminOut", **ERRORS})
def patch_service(code: str, service: str) -> ResponseReturnValue:
    actor = acting()
    return jsonify(wiring().services.value(office_admin.update_service, actor, code, service, _given(ServicePatch)))


@api_route(bp, "PATCH", "/offices/{code}/desks/{desk}", summary="Change a desk", tag="admin", action=Action.OFFICE_ADMIN,
           body=DeskPatch, responses={200: "DeskAdminOut", **ERRORS})
def patch_desk(code: str, desk: str) -> ResponseReturnValue:
    actor = acting()
    return jsonify(wiring().services.value(office_admin.update_desk, actor, code, desk, _given(DeskPatch)))


@api_route(bp, "GET", "/users", summary="Staff accounts", tag="admin", action=Action.USERS_ADMIN,
           responses={200: "UserOut[]", 401: None, 403: None})
def list_users() -> ResponseReturnValue:
    actor = acting()
    with wiring().db.read() as s:
        return jsonify(accounts_admin.list_users(s, actor))


@api_route(bp, "POST", "/users", summary="Create a staff account (its password is temporary: 403 "
                                           "permanent_password for temporary=false; a manager: no admin role)",
           tag="admin",
           action=Action.USERS_ADMIN, body=UserIn, responses={201: "UserOut", 409: None, **ERRORS})
def create_user() -> ResponseReturnValue:
    actor = acting()
    body = parse_body(UserIn)
    return jsonify(wiring().services.value(accounts_admin.create_user, actor, **body.model_dump())), 201


@api_route(bp, "PATCH", "/users/{id}",
           summary="Change roles, offices, names; disable. Refused (403, audited): one's own roles or offices "
                   "(own_account), for a manager an account not wholly within their offices (user_other_office) "
                   "or the admin role (role); 409 last_admin: the last active administrator stays",
           tag="admin", action=Action.USERS_ADMIN, body=UserPatch, params=(PATH_ID,),
           responses={200: "UserOut", 409: None, **ERRORS})
def patch_user(id: int) -> ResponseReturnValue:  # noqa: A002
    actor = acting()
    return jsonify(wiring().services.value(accounts_admin.update_user, actor, id, _given(UserPatch)))


@api_route(bp, "POST", "/users/{id}/password",
           summary="Reset a password (temporary for anyone but oneself: 403 permanent_password otherwise; "
                   "403 user_other_office for a manager's reset outside their offices)", tag="admin",
           action=Action.USERS_ADMIN, body=PasswordIn, params=(PATH_ID,),
           responses={200: "UserOut", **ERRORS})
def reset_password(id: int) -> ResponseReturnValue:  # noqa: A002
    actor = acting()
    body = parse_body(PasswordIn)
    return jsonify(wiring().services.value(accounts_admin.set_password, actor, id, body.password,
                                             temporary=body.temporary))


@api_route(bp, "POST", "/devices/{id}/revoke", summary="Revoke a kiosk's or display's token at once", tag="devices",
           action=Action.DEVICES_ADMIN, params=(PATH_ID,),
           responses={200: "DeviceAdminOut", 401: None, 403: None, 404: None})
def revoke_device(id: int) -> ResponseReturnValue:  # noqa: A002
    actor = acting()
    return jsonify(wiring().services.value(devices.revoke_device, actor, id))


AUDIT_PARAMS = (
    Param("office", "query", str, False, "office code"),
    Param("from", "query", date, False, "first day, YYYY-MM-DD (office-local)"),
    Param("to", "query", date, False, "last day, YYYY-MM-DD (office-local)"),
    Param("kind", "query", str, False, "object type: office, service, desk, user, device, …"),
)


@api_route(bp, "GET", "/audit", summary="The append-only audit log, newest first: an auditor's offices only "
                                         "(403 other_office for ?office= of another office); admin: all", tag="admin",
           action=Action.AUDIT_READ, params=AUDIT_PARAMS,
           responses={200: "AuditEntry[]", 401: None, 403: None, 404: None, 422: None})
def audit_log() -> ResponseReturnValue:
    actor = acting()
    return jsonify(read_audit(actor, request.args))


def read_audit(actor: Any, args: Any, labels: tuple[str, str] = ("from", "to")) -> list[dict[str, Any]]:
    """The audit rows for the filters in ``args`` (shared by the API and the auditor's page);
    ``labels`` name the two date fields in the caller's words."""
    office = (args.get("office") or "").strip()[:32] or None
    kind = (args.get("kind") or "").strip()[:64] or None
    date_from, date_to = parse_date(args.get("from"), labels[0]), parse_date(args.get("to"), labels[1])
    with wiring().db.read() as s:
        tz = office_by_code(s, office).timezone if office else "Europe/Kyiv"
        return audit_reads.audit_entries(s, actor, office=office, date_from=date_from, date_to=date_to, kind=kind, tz=tz)
