"""Administration of staff accounts: list, create, change, disable, reset a password.

The commands have the core's shape ``(uow, clock, actor, ...)`` and the steps of
``reception.offices.administration``: the whole change is validated first, an audit entry keeps
the values before and after (never a person's name or a password), and a refused attempt at an
account is itself kept (``DomainError.audit``).  No Flask here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reception.accounts.auth import hash_password
from reception.accounts.models import User
from reception.accounts.service import MIN_PASSWORD_LEN, end_sessions, signed_out_event
from reception.audit.writer import audit
from reception.kernel.bounds import clean_name, clean_switch, invalid
from reception.kernel.errors import Conflict, DomainError, Forbidden, NotFound, ValidationFailed
from reception.kernel.identity import ROLES, Actor
from reception.kernel.permissions import Action, authorize
from reception.kernel.unit_of_work import UnitOfWork
from reception.offices.administration import changed
from reception.offices.lookups import office_by_code
from reception.offices.models import Office
from reception.platform import i18n
from reception.platform.clock import Clock


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
    name = clean_name(value, "username", 64)
    if not all(ch.isascii() and (ch.isalnum() or ch in "._-") for ch in name):
        raise invalid("username", limit=64)
    return name


def create_user(uow: UnitOfWork, clock: Clock, actor: Actor, *, username: str, password: str, roles: list[str],
                offices: list[str], full_name: str = "", position: str = "", lang: str = "uk",
                temporary: bool = True) -> dict[str, Any]:
    """A staff account (the API, the pages, the console and the demo all create through here).

    The password a signed-in administrator chose is ``temporary`` (to be changed at first sign-in),
    always: nobody keeps a password that someone else knows.  Only the console, which acts for no
    account (the server's operator creating the first administrator, or the demo), may make it permanent."""
    authorize(actor, Action.USERS_ADMIN)
    session = uow.session
    name = _username(username)
    try:
        if not temporary and actor.user_id is not None:
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
                full_name=clean_name(full_name, "full_name", required=False),
                position=clean_name(position, "position", required=False), lang=lang if lang in i18n.LANGS else "uk",
                must_change_password=temporary)
    user.offices = chosen
    session.add(user)
    session.flush()
    view = user_admin_view(user)
    audit(session, clock.now(), actor.user_id, "user.create", "user", str(user.id),
          {"office": None, "before": None, "after": _user_audit_view(view)})
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
        disabled = clean_switch(changes["disabled"], "disabled") if "disabled" in changes else before["disabled"]
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
        user.full_name = clean_name(changes["full_name"], "full_name", required=False)
    if "position" in changes:
        user.position = clean_name(changes["position"], "position", required=False)
    user.roles = roles
    user.offices = offices
    user.is_active = not disabled
    session.flush()
    after = user_admin_view(user)
    old, new = changed(before, after)
    if new:
        audit(session, now, actor.user_id, "user.update", "user", str(user.id),
              {"office": None, "before": _user_audit_view(old), "after": _user_audit_view(new)})
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
    audit(uow.session, now, actor.user_id, "user.password", "user", str(user.id),
          {"office": None, "before": None, "after": {"password": "changed"}})
    return user_admin_view(user)

