"""Who may do what: the one table of action -> callers that every endpoint, page and socket reads.

Pure data and functions (no Flask, no database), so the table can be read by the web layer,
the services, the OpenAPI generator and the route-matrix test alike (decision 017).

A route names its action once (``api_route(..., action=Action.X)`` or ``@guard(Action.X)``);
what the action allows is said only here.  Admin implies manager (``reception.kernel.identity.IMPLIED_ROLES``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from reception.kernel.errors import Forbidden
from reception.kernel.identity import ROLES, Actor


class Scope(StrEnum):
    """What, beyond the role, limits the caller to their own things."""

    NONE = "none"
    OFFICE = "office"  # only resources of the caller's offices (admins: every office)
    DESK = "desk"  # a ticket called at (or transferred to) the caller's own desk; managers: their offices


class Action(StrEnum):
    PUBLIC = "public"  # sign-in, landing, public schedule, the phone page, health, static files
    METRICS = "platform.metrics"  # Prometheus scrape: anyone on the internal networks (the view checks the address)
    DEVICE_PAIR = "device.pair"  # redeem a pairing code; a display's pairing screen
    STAFF_HOME = "staff.home"  # the back-office start page, the desk chooser
    QUEUE_READ = "queue.read"  # queue figures, ticket history, device state, suspension state, the /desk socket
    REFERENCE_READ = "reference.read"  # priority categories (the kiosk's menu needs them too)
    OUTCOMES_READ = "reference.outcomes"  # the outcomes a visit may finish with
    DESK_OPERATE = "desk.operate"  # open, close, pause, resume a desk; its console
    TICKET_CALL_NEXT = "ticket.call_next"
    TICKET_CALL = "ticket.call"  # a chosen ticket out of order
    TICKET_RECALL = "ticket.recall"
    TICKET_START = "ticket.start"
    TICKET_FINISH = "ticket.finish"
    TICKET_NO_SHOW = "ticket.no_show"
    TICKET_CANCEL = "ticket.cancel"
    TICKET_TRANSFER = "ticket.transfer"
    TICKET_REACTIVATE = "ticket.reactivate"
    KIOSK_ISSUE = "kiosk.issue"  # the kiosk page, its menu, tickets, check-in, QR codes
    DISPLAY_WATCH = "display.watch"  # the board's token, speech, the /display socket
    OFFICES_ADMIN = "admin.offices"  # list and create offices; reference lists shared by all offices
    OFFICE_ADMIN = "admin.office"  # an office's settings, services, desks
    DEVICES_ADMIN = "admin.devices"  # pair, rename, revoke kiosks and displays
    USERS_ADMIN = "admin.users"  # staff accounts (managers: those of their offices)
    AUDIT_READ = "audit.read"
    OFFICE_SUSPEND = "office.suspend"
    REPORTS_READ = "reports.read"
    HALL_READ = "hall.read"  # the manager's live view of the hall
    SCHEDULE_MANAGE = "schedule.manage"  # leaders, reception rules, exceptions, settings
    SCHEDULE_READ = "schedule.read"  # reception sessions and their free slots
    RECEPTION_TODAY = "reception.today"  # a leader's (or manager's) reception of the day
    APPOINTMENT_BOOK = "appointment.book"  # book, cancel, rebook
    APPOINTMENT_READ = "appointment.read"  # a session's or a desk's bookings
    APPOINTMENT_SEARCH = "appointment.search"  # by code, phone or surname: personal data
    RECORD_READ = "record.read"
    RECORD_WRITE = "record.write"
    RECORD_RETENTION = "record.retention"  # the anonymisation run
    PERSONAL_DATA = "personal_data.manage"  # find, export and erase one person's data on request
    PASSWORD_CHANGE = "password.change"  # one's own password (the only thing a flagged user may do)
    MESSAGES_READ = "messages.read"  # the outbox's messages and their state (addresses masked)
    WEBHOOK = "notifications.webhook"  # a provider's callback (Telegram, Viber, SMS): its own secret, nobody by the table
    APPEAL_REGISTER = "appeal.register"  # the call screen: the caller's earlier appeals, topics, executors, the draft
    APPEAL_CONTROL = "appeal.control"  # the overdue and near-due lists (each sees the records the visibility rule shows)
    MAIL_READ = "mail.read"  # the e-mail intake's drafts and their attachments (decision 043)
    MAIL_DECIDE = "mail.decide"  # accept a draft as an appeal, merge it into one, discard it
    MAIL_ANSWER = "mail.answer"  # send a record's answer to its sender by e-mail
    STAFFING_READ = "staffing.read"  # the staffing plan: desks needed per hour (Erlang C, the office's history)


@dataclass(frozen=True)
class Rule:
    """Who may perform an action: users with one of ``roles``, or devices of one of ``devices``, or anyone."""

    roles: frozenset[str] = frozenset()
    devices: frozenset[str] = frozenset()
    anyone: bool = False
    scope: Scope = Scope.NONE


def _rule(roles: Iterable[str] = (), devices: Iterable[str] = (), *, anyone: bool = False,
          scope: Scope = Scope.NONE) -> Rule:
    return Rule(frozenset(roles), frozenset(devices), anyone, scope)


ALL_STAFF = ROLES
AT_DESK = ("operator", "leader")
# Managers act on a ticket of any desk of their office (a stuck visitor, an operator gone home).
ANY_DESK_ROLES = frozenset({"manager"})
_TICKET = _rule((*AT_DESK, "manager"), scope=Scope.DESK)

RULES: dict[Action, Rule] = {
    Action.PUBLIC: _rule(anyone=True),
    Action.DEVICE_PAIR: _rule(anyone=True),
    Action.METRICS: _rule(anyone=True),
    Action.PASSWORD_CHANGE: _rule(ALL_STAFF),
    Action.STAFF_HOME: _rule(ALL_STAFF),
    Action.QUEUE_READ: _rule(ALL_STAFF, scope=Scope.OFFICE),
    Action.REFERENCE_READ: _rule(ALL_STAFF, ("kiosk",)),
    Action.OUTCOMES_READ: _rule(ALL_STAFF),
    Action.DESK_OPERATE: _rule(AT_DESK, scope=Scope.OFFICE),
    Action.TICKET_CALL_NEXT: _rule(AT_DESK, scope=Scope.OFFICE),
    Action.TICKET_CALL: _rule(AT_DESK, scope=Scope.OFFICE),
    Action.TICKET_RECALL: _TICKET,
    Action.TICKET_START: _TICKET,
    Action.TICKET_FINISH: _TICKET,
    Action.TICKET_NO_SHOW: _TICKET,
    Action.TICKET_CANCEL: _TICKET,
    Action.TICKET_TRANSFER: _TICKET,
    Action.TICKET_REACTIVATE: _rule((*AT_DESK, "manager"), scope=Scope.OFFICE),  # the visitor rejoins the queue
    Action.KIOSK_ISSUE: _rule(devices=("kiosk",)),
    Action.DISPLAY_WATCH: _rule(devices=("display",)),
    Action.OFFICES_ADMIN: _rule(("admin",)),
    Action.OFFICE_ADMIN: _rule(("manager",), scope=Scope.OFFICE),
    Action.DEVICES_ADMIN: _rule(("manager",), scope=Scope.OFFICE),
    Action.USERS_ADMIN: _rule(("manager",), scope=Scope.OFFICE),
    # Auditors read their offices' log (admins: all). Managers do not: the log records what they do.
    Action.AUDIT_READ: _rule(("auditor", "admin"), scope=Scope.OFFICE),
    Action.OFFICE_SUSPEND: _rule(("manager",), scope=Scope.OFFICE),
    Action.REPORTS_READ: _rule(("manager", "auditor"), scope=Scope.OFFICE),
    Action.HALL_READ: _rule(("manager",), scope=Scope.OFFICE),
    Action.SCHEDULE_MANAGE: _rule(("manager",), scope=Scope.OFFICE),
    Action.SCHEDULE_READ: _rule(("operator", "leader", "call_centre", "manager", "auditor"), scope=Scope.OFFICE),
    Action.RECEPTION_TODAY: _rule(("leader", "manager"), scope=Scope.OFFICE),
    Action.APPOINTMENT_BOOK: _rule(("call_centre", "manager"), scope=Scope.OFFICE),
    Action.APPOINTMENT_READ: _rule(("call_centre", "manager", "leader", "operator", "auditor"), scope=Scope.OFFICE),
    Action.APPOINTMENT_SEARCH: _rule(("call_centre", "manager", "leader", "auditor"), scope=Scope.OFFICE),
    # The call-centre: its own journal's phone and e-mail appeals (records.check_form_allowed, visibility).
    Action.RECORD_READ: _rule(("leader", "operator", "manager", "auditor", "call_centre"), scope=Scope.OFFICE),
    Action.RECORD_WRITE: _rule(("leader", "operator", "manager", "call_centre"), scope=Scope.OFFICE),
    Action.RECORD_RETENTION: _rule(("manager",), scope=Scope.OFFICE),
    Action.PERSONAL_DATA: _rule(("manager",), scope=Scope.OFFICE),
    Action.MESSAGES_READ: _rule(("manager", "auditor"), scope=Scope.OFFICE),
    Action.WEBHOOK: _rule(),  # the view checks the provider's secret or signature (decision 038)
    Action.APPEAL_REGISTER: _rule(("call_centre", "manager"), scope=Scope.OFFICE),
    Action.APPEAL_CONTROL: _rule(("leader", "operator", "manager", "auditor", "call_centre"), scope=Scope.OFFICE),
    Action.MAIL_READ: _rule(("call_centre", "manager"), scope=Scope.OFFICE),
    Action.MAIL_DECIDE: _rule(("call_centre", "manager"), scope=Scope.OFFICE),
    Action.MAIL_ANSWER: _rule(("call_centre", "operator", "leader", "manager"), scope=Scope.OFFICE),
    Action.STAFFING_READ: _rule(("manager", "auditor"), scope=Scope.OFFICE),
}


def rule(action: Action) -> Rule:
    return RULES[action]


def permits(actor: Actor | None, action: Action) -> bool:
    """Does the table let ``actor`` (None: anonymous) perform ``action``?  Scope is checked by the service."""
    r = RULES[action]
    if r.anyone:
        return True
    if actor is None or (actor.must_change_password and action is not Action.PASSWORD_CHANGE):
        return False
    if actor.device_kind is not None:
        return actor.device_kind in r.devices
    return actor.has_any(r.roles)


def authorize(actor: Actor, action: Action) -> None:
    """Raise Forbidden unless the table lets ``actor`` perform ``action`` (for services and sockets)."""
    if permits(actor, action):
        return
    r = RULES[action]
    if actor.must_change_password:
        raise Forbidden("error.password_change_required")
    if r.devices and not r.roles:
        raise Forbidden("error.device_kind", kind=", ".join(sorted(r.devices)))
    raise Forbidden("error.role")


def may_act_at_desk(actor: Actor, *, office_id: int, holder_desk_id: int | None, own_desk_ids: Iterable[int]) -> bool:
    """The desk scope: a ticket held by a desk (called there, or transferred to it) is that desk's.

    ``holder_desk_id`` None means no desk holds it (waiting in the common queue): any desk of the office.
    Managers (and admins) may act on any desk of an office they may access.
    """
    if not actor.can_access_office(office_id):
        return False
    if holder_desk_id is None or actor.has_any(ANY_DESK_ROLES):
        return True
    return holder_desk_id in set(own_desk_ids)


def who(action: Action) -> str:
    """The rule in words, for the OpenAPI "Who:" text and the docs."""
    r = RULES[action]
    if r.anyone:
        return "anyone"
    parts = [*sorted(r.roles), *(f"{kind} device" for kind in sorted(r.devices))]
    text = ", ".join(parts)
    if r.scope is Scope.OFFICE:
        text += " (own offices; admin: all)"
    elif r.scope is Scope.DESK:
        text += " (the ticket of one's own desk; manager: any desk of their offices)"
    if "manager" in r.roles:
        text += "; admin implies manager"
    return text
