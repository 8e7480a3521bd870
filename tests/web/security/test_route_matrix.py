"""The permission table, walked: every route of ``app.url_map`` x every kind of caller (decision 017).

What each route allows is read from the action it declared (``api_route(action=...)``, ``@guard``)
and the table (``reception.kernel.permissions.RULES``); the test asks the running app and compares.
Denied means 401/403 for the API and a redirect to /login or a 403 page for pages; allowed means
anything else (a 404 for a made-up id, a 409 for an illegal transition, a 422 for an empty body are
all "let through").  A caller from another office is also denied (401/403/404: a foreign thing is
reported as missing) where the action is office- or desk-scoped and the URL names one office's thing
(a path parameter; the office's code goes along as ``?office=``).

A route that declares no action fails the test, naming the route: add it to the table with one
``action=Action.X`` (API) or ``@guard(Action.X)`` (page) line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from sqlalchemy import select
from werkzeug.routing import Rule as UrlRule

from reception.accounts.auth import issue_user_token
from reception.accounts.models import Device, User
from reception.http.callers import declared_permissions
from reception.kernel.identity import ROLES, Actor
from reception.kernel.permissions import RULES, Action, Scope, permits
from reception.leadership import booking, records
from reception.leadership.models import ReceptionSession
from reception.offices.models import Office, PriorityCategory
from reception.queue.models import Ticket
from tests.fakes import CSRF_RAW, CSRF_TOKEN, ROOT, add_device, add_user, build_office, services, signed_in
from tests.web.leadership.builders import add_leader, add_leadership, add_rule

HOME, OTHER = "T1", "T2"
SKIPPED_METHODS = {"HEAD", "OPTIONS"}
RECORD = {"kind": "complaint", "surname": "Шевченко", "name": "Тарас", "phone": "+380441234567",
          "category": "war_disability", "authorship": "individual", "questions": ["Невиконання рішення суду"],
          "received_by_name": "А. Бондаренко"}


@dataclass(frozen=True)
class Caller:
    name: str
    actor: Actor | None  # what the table sees; None: anonymous
    user_id: int | None = None
    device_token: str | None = None
    device_kind: str | None = None

    @property
    def foreign(self) -> bool:
        return self.name == "other office"


@dataclass
class Seed:
    values: dict[str, Any]  # path parameter -> value, per path prefix (see fill)
    callers: list[Caller]


def _seed(app: Flask, db: Any, clock: Any) -> Seed:
    build_office(db, HOME)
    build_office(db, OTHER)
    add_leadership(db, HOME)
    leader = add_leader(db, clock, HOME)
    rule = add_rule(db, clock, leader)
    with db.read() as s:
        home_id = s.scalar(select(Office.id).where(Office.code == HOME))
        session_id = s.scalar(select(ReceptionSession.id).order_by(ReceptionSession.id).offset(2).limit(1))  # weeks ahead: bookable
        category_id = s.scalar(select(PriorityCategory.id).order_by(PriorityCategory.id))
    assert home_id is not None and session_id is not None
    appointment = services(db, clock).value(booking.book, ROOT, session_id, surname="Коваль", name="Олена", topic="Пенсія")
    record = services(db, clock).value(records.create_record, ROOT, HOME, RECORD)
    spare_user = add_user(db, clock, "spare", ["operator"], [HOME])
    spare_device = add_device(db, clock, "display", HOME)
    kiosk, display = add_device(db, clock, "kiosk", HOME), add_device(db, clock, "display", HOME)
    issued = app.test_client().post("/api/v1/kiosk/tickets", json={"service": "consult"},
                                    headers={"Authorization": f"Bearer {kiosk}"})
    assert issued.status_code == 201, issued.get_json()
    with db.read() as s:
        ticket = s.get(Ticket, issued.get_json()["id"])
        assert ticket is not None
        spare_device_id = s.scalar(select(Device.id).order_by(Device.id.desc()).offset(2).limit(1))
        public_token = ticket.public_token
    assert spare_device_id is not None and spare_device
    callers = [Caller("anonymous", None),
               Caller("kiosk", Actor(device_id=1, device_kind="kiosk"), device_token=kiosk, device_kind="kiosk"),
               Caller("display", Actor(device_id=2, device_kind="display"), device_token=display,
                      device_kind="display")]
    for role in ROLES:
        offices = [] if role == "admin" else [HOME]
        uid = add_user(db, clock, f"u_{role}", [role], offices)
        callers.append(Caller(role, Actor(user_id=uid, roles=frozenset({role}),
                                          office_ids=frozenset({home_id} if offices else set())), user_id=uid))
    every_role_but_admin = [r for r in ROLES if r != "admin"]
    uid = add_user(db, clock, "u_other", every_role_but_admin, [OTHER])
    callers.append(Caller("other office", Actor(user_id=uid, roles=frozenset(every_role_but_admin),
                                                office_ids=frozenset({-1})), user_id=uid))
    values = {
        "code": HOME, "office": HOME, "desk": "1", "service": "consult", "public_token": public_token,
        "filename": "missing.css", "kind": "category", "item_id": category_id,
        "appointment_id": appointment["id"], "device_id": spare_device_id, "leader_id": leader,
        "rule_id": rule["id"], "session_id": session_id, "record_id": record["id"], "user_id": spare_user,
        # ``id`` by the collection it follows
        "/appointments/": appointment["id"], "/devices/": spare_device_id, "/leaders/": leader,
        "/reception-rules/": rule["id"], "/reception-sessions/": session_id, "/records/": record["id"],
        "/tickets/": ticket.id, "/users/": spare_user, "/subscriptions/": 1,
        "subscription_id": 1,  # none exists: the guard answers before the view's 404
        "booking_code": "K7M4PX", "request_id": "no-such-request",  # public booking: anyone may ask
    } | _mail_draft(db, clock)
    return Seed(values, callers)


def _mail_draft(db: Any, clock: Any) -> dict[str, Any]:
    """A draft of the e-mail intake with a listed (too large) attachment, for the mail routes' ``id``."""
    from reception.appeals.mail_models import MailAttachment
    from reception.appeals.mail_parse import ParsedAttachment
    from tests.web.appeals.test_mail_drafts_api import add_draft

    mail_id = add_draft(db, clock, office=HOME, attachments=(ParsedAttachment("a.pdf", "application/pdf", 9, None),),
                        stored=(None,))
    with db.read() as s:
        attachment = s.scalar(select(MailAttachment.id).where(MailAttachment.mail_id == mail_id))
    return {"/mail-drafts/": mail_id, "/mail-attachments/": attachment, "mail_id": mail_id}


def _fill(rule: UrlRule, values: dict[str, Any]) -> str:
    """The rule's URL with its parameters taken from the seeded office."""
    args: dict[str, Any] = {}
    for name in rule.arguments:
        if name == "code" and rule.rule.startswith("/api/v1/desks/"):
            args[name] = values["desk"]
        elif name == "id":
            prefix = rule.rule.split("<", 1)[0]
            key = "/" + prefix.rstrip("/").rsplit("/", 1)[-1] + "/"
            args[name] = values[key]
        else:
            args[name] = values[name]
    url = rule.build(args, append_unknown=False)
    assert url is not None
    return url[1] if isinstance(url, tuple) else url


def _is_api(path: str) -> bool:
    return path.startswith("/api/")


def _denied(path: str, method: str, response: Any, flashes: list[Any], *, anyone: bool, stranger: bool) -> bool:
    """Did the app refuse?  ``stranger``: the caller is of another office than the thing asked for."""
    status, location = response.status_code, response.headers.get("Location")
    if status in (401, 403):
        return True
    if anyone:
        return False  # where an anyone-page redirects (sign-out -> /login) is its business, not a refusal
    if not _is_api(path) and status in (302, 303) and location and urlsplit(location).path == "/login":
        return True
    if stranger:
        # A foreign thing is reported as missing; a page refuses with an error message and a redirect;
        # an empty body is refused before the office is looked at (nothing read, nothing changed).
        return (status == 404 or any(category == "error" for category, _ in flashes)
                or (method in ("POST", "PATCH") and status in (400, 422)))
    return False


def _names_a_thing(rule: UrlRule) -> bool:
    """Does the URL name one office's thing (a desk, a ticket, a user…)?  Then a stranger must be refused.

    Lists without one (``GET /users``, ``/backoffice/records``) show a stranger their own office instead.
    """
    return bool(set(rule.arguments) - {"filename", "kind"})


class Browser:
    """One caller's test client: signed in (or paired) once, with a CSRF token, like a real browser."""

    def __init__(self, app: Flask, db: Any, clock: Any, caller: Caller) -> None:
        self.app, self.db, self.clock, self.caller = app, db, clock, caller
        self.client = app.test_client()
        self.headers: dict[str, str] = {"X-CSRF-Token": CSRF_TOKEN}
        self.api_headers = dict(self.headers)
        if caller.user_id is not None:
            with db.read() as s:
                user = s.get(User, caller.user_id)
                assert user is not None
                token = issue_user_token(app.config["SECRET_KEY"], user.id, user.password_hash)
            self.api_headers["Authorization"] = f"Bearer {token}"
        if caller.device_token is not None:
            self.api_headers["Authorization"] = f"Bearer {caller.device_token}"
            name, cookie_path = {"kiosk": ("kiosk_token", "/kiosk"),
                                 "display": ("reception_display", "/display")}[caller.device_kind or ""]
            self.client.set_cookie(name, caller.device_token, path=cookie_path)
        self.sign_in()

    def sign_in(self) -> None:
        if self.caller.user_id is not None:
            signed_in(self.client, self.db, self.clock, self.caller.user_id)
        else:
            with self.client.session_transaction() as sess:
                sess["csrf_token"] = CSRF_RAW

    def ask(self, method: str, path: str, names_a_thing: bool) -> tuple[Any, list[Any]]:
        """The answer and the messages it flashed (read and cleared)."""
        # A desk code or a leader id is one office's: the office goes along (desk codes repeat across offices).
        query = {"office": HOME} if names_a_thing else {}
        if _is_api(path):
            body: dict[str, Any] | None = {} if method not in ("GET", "HEAD") else None
            response = self.client.open(path, method=method, headers=self.api_headers, query_string=query,
                                        json=body)
        else:
            form = {"csrf_token": CSRF_TOKEN} if method not in ("GET", "HEAD") else None
            response = self.client.open(path, method=method, headers=self.headers, query_string=query, data=form)
        with self.client.session_transaction() as sess:
            flashes = sess.pop("_flashes", [])
        if path == "/logout":
            self.sign_in()  # signing out ended this browser's session: start the next request signed in again
        return response, flashes


def _undeclared(app: Flask) -> list[str]:
    missing = []
    for rule in app.url_map.iter_rules():
        declared = declared_permissions(app.view_functions[rule.endpoint], rule.endpoint) or {}
        for method in sorted((rule.methods or set()) - SKIPPED_METHODS):
            if method not in declared:
                missing.append(f"{method} {rule.rule} (endpoint {rule.endpoint})")
    return missing


def test_every_route_declares_its_action(app: Flask) -> None:
    """A route nobody put in the table is a failure that names it, before any request is made."""
    undeclared = _undeclared(app)
    assert not undeclared, ("routes without an entry in the permission table (add action=Action.X to their "
                            "api_route, or @guard(Action.X) under the page's @bp.route):\n  " + "\n  ".join(undeclared))


def test_a_new_route_without_an_action_is_named(app: Flask) -> None:
    app.add_url_rule("/backoffice/new-thing/<int:thing_id>", "new_thing", lambda thing_id: "", methods=["GET", "POST"])
    assert _undeclared(app) == ["GET /backoffice/new-thing/<int:thing_id> (endpoint new_thing)",
                                "POST /backoffice/new-thing/<int:thing_id> (endpoint new_thing)"]


def test_route_matrix(app: Flask, db: Any, clock: Any) -> None:
    seed = _seed(app, db, clock)
    browsers = [Browser(app, db, clock, caller) for caller in seed.callers]
    wrong: list[str] = []
    asked = 0
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        declared = declared_permissions(app.view_functions[rule.endpoint], rule.endpoint)
        assert declared, f"{rule.rule} ({rule.endpoint}) has no entry in the permission table"
        path = _fill(rule, seed.values)
        for method in sorted((rule.methods or set()) - SKIPPED_METHODS):
            action = declared[method]
            names_a_thing = _names_a_thing(rule)
            stranger_refused = RULES[action].scope is not Scope.NONE and names_a_thing
            for browser in browsers:
                caller = browser.caller
                stranger = caller.foreign and stranger_refused
                expect_allowed = permits(caller.actor, action) and not stranger
                response, flashes = browser.ask(method, path, names_a_thing)
                asked += 1
                denied = _denied(path, method, response, flashes, anyone=RULES[action].anyone, stranger=stranger)
                if denied == expect_allowed:
                    wrong.append(f"{method} {path} [{action.value}] as {caller.name}: "
                                 f"expected {'allowed' if expect_allowed else 'denied'}, got {response.status_code}"
                                 f" {response.headers.get('Location') or ''}".rstrip())
    assert asked > 500
    assert not wrong, f"{len(wrong)} of {asked} answers disagree with the permission table:\n  " + "\n  ".join(wrong)


@pytest.mark.parametrize("action", list(Action))
def test_every_action_is_in_the_table(action: Action) -> None:
    assert action in RULES


def test_who_text_comes_from_the_table(client: Any) -> None:
    """The OpenAPI ``Who:`` text and ``x-permission`` are the table's, not free text."""
    from reception.kernel.permissions import who

    spec = client.get("/api/v1/openapi.json").get_json()
    seen = 0
    for item in spec["paths"].values():
        for op in item.values():
            action = Action(op["x-permission"])
            assert op["description"].startswith(f"Who: {who(action)}.")
            seen += 1
    assert seen > 50
    assert who(Action.TICKET_RECALL).startswith("leader, manager, operator (the ticket of one's own desk")
