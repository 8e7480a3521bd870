"""The administration commands on a fake unit of work and a fake clock, without an app or a server.

A refused change commits nothing and tells nobody; an accepted one writes its audit entry (the
values before and after) and hints the office's clients with ``config_changed``. Creating follows
the same rules as changing: one path each.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from reception.accounts import administration as accounts
from reception.accounts.models import User
from reception.audit.models import AuditLog
from reception.bootstrap import wire
from reception.kernel.errors import Conflict, Forbidden, NotFound, ValidationFailed
from reception.kernel.events import ConfigChanged
from reception.kernel.identity import Actor
from reception.offices import administration as offices
from reception.offices.models import Desk, Office
from tests.fakes import ROOT, add_user, refused, run


@pytest.fixture(autouse=True)
def _t1(office: str) -> None:
    """Office T1 (services consult and appeal, desks 1 and 2) in the test database, SQLite or PostgreSQL."""


@pytest.fixture
def admin(db, clock) -> Actor:
    """A signed-in administrator (an account, unlike the console's ROOT)."""
    uid = add_user(db, clock, "chief", ["admin"], [])
    return Actor(user_id=uid, username="chief", roles=frozenset({"admin"}))


def entries(db: Any, action: str, object_id: str | None = None) -> list[AuditLog]:
    with db.read() as s:
        query = select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)
        return list(s.scalars(query if object_id is None else query.where(AuditLog.object_id == object_id)))


def hints(events: list[Any]) -> list[tuple[str, str]]:
    """The setup changes the office's clients hear, as they go out on the wire."""
    sent = [wire(e) for e in events if isinstance(e, ConfigChanged)]
    return [(e.name, e.payload["what"]) for e in sent]


def weights(db: Any, code: str) -> dict[str, float]:
    with db.read() as s:
        desk = s.scalar(select(Desk).where(Desk.code == code))
        assert desk is not None
        return {ds.service.code: ds.weight for ds in desk.services}


# --- desks: the weight cap, for a change and for a new desk alike ---------------------------------


@pytest.mark.parametrize("weight", [0, -1, 100.5, 1000, True, "heavy"])
def test_a_desk_weight_outside_0_to_100_is_refused_on_change_and_nothing_changes(db, clock, weight) -> None:
    error = refused(db, clock, ValidationFailed, offices.update_desk, ROOT, "T1", "1",
                    {"services": ["consult"], "weights": {"consult": weight}})
    assert error.key == "admin.bad.weights"
    assert weights(db, "1") == {"consult": 1.0, "appeal": 1.0}


def test_a_desk_weight_of_100_is_kept_audited_and_hinted(db, clock) -> None:
    view, events = run(db, clock, offices.update_desk, ROOT, "T1", "1",
                       {"services": ["consult"], "weights": {"consult": 100}})
    assert view["weights"] == {"consult": 100.0} and weights(db, "1") == {"consult": 100.0}
    [entry] = entries(db, "desk.update")
    assert entry.object_id == "T1/1" and entry.at == clock.now()
    assert entry.detail["before"]["weights"] == {"consult": 1.0, "appeal": 1.0}
    assert entry.detail["after"] == {"services": ["consult"], "weights": {"consult": 100.0}}
    assert hints(events) == [("config_changed", "desk")]


def test_a_new_desk_has_the_same_weight_cap_as_a_changed_one(db, clock) -> None:
    error = refused(db, clock, ValidationFailed, offices.create_desk, ROOT, "T1", code="3", name_uk="Вікно 3",
                    name_en="Window 3", services=["consult"], weights={"consult": 101})
    assert error.key == "admin.bad.weights"
    code, events = run(db, clock, offices.create_desk, ROOT, "T1", code="3", name_uk="Вікно 3", name_en="Window 3",
                       services=["consult"], weights={"consult": 100})
    assert code == "3" and weights(db, "3") == {"consult": 100.0}
    [entry] = entries(db, "desk.create", "T1/3")
    assert entry.detail["office"] == "T1" and entry.detail["before"] is None
    assert entry.detail["after"]["weights"] == {"consult": 100.0}
    assert hints(events) == [("config_changed", "desk")]


def test_a_new_desk_with_a_taken_code_or_an_unknown_service_is_refused(db, clock) -> None:
    refused(db, clock, Conflict, offices.create_desk, ROOT, "T1", code="1", name_uk="В", name_en="W", services=[])
    refused(db, clock, NotFound, offices.create_desk, ROOT, "T1", code="9", name_uk="В", name_en="W",
            services=["nothing"])
    refused(db, clock, ValidationFailed, offices.create_desk, ROOT, "T1", code="a b", name_uk="В", name_en="W",
            services=[])


# --- offices and services ---------------------------------------------------------------------------


@pytest.mark.parametrize("changes", [
    {"timezone": "Mars/Olympus"},
    {"opening_hours": {"1": [["18:00", "09:00"]]}},
    {"settings": {"priority_interleave": 0}},
    {"settings": {"announce_en": "yes"}},
    {"settings": {"no_such_setting": 1}},
    {"name_uk": "   "},
])
def test_an_office_change_with_a_bad_field_is_refused_whole(db, clock, changes) -> None:
    refused(db, clock, ValidationFailed, offices.update_office, ROOT, "T1", {"name_en": "Renamed", **changes})
    with db.read() as s:
        assert s.scalar(select(Office.name_en).where(Office.code == "T1")) == "Test office T1"


def test_an_office_change_audits_only_what_differs(db, clock) -> None:
    _, events = run(db, clock, offices.update_office, ROOT, "T1",
                    {"name_en": "Renamed", "name_uk": "Тестова установа T1", "settings": {"priority_interleave": 3}})
    [entry] = entries(db, "office.update")
    assert entry.detail["before"] == {"name_en": "Test office T1", "settings": entry.detail["before"]["settings"]}
    assert entry.detail["after"]["name_en"] == "Renamed" and entry.detail["after"]["settings"]["priority_interleave"] == 3
    assert hints(events) == [("config_changed", "office")]
    _, events = run(db, clock, offices.update_office, ROOT, "T1", {"name_en": "Renamed"})
    assert len(entries(db, "office.update")) == 1 and events == []  # nothing differs: no entry, no hint


def test_a_new_office_is_validated_like_a_change(db, clock) -> None:
    refused(db, clock, ValidationFailed, offices.create_office, ROOT, code="T2", name_uk="Друга", name_en="Second",
            timezone="Nowhere/Town")
    refused(db, clock, Conflict, offices.create_office, ROOT, code="T1", name_uk="Друга", name_en="Second")
    manager = Actor(user_id=99, username="boss", roles=frozenset({"manager"}), office_ids=frozenset({1}))
    refused(db, clock, Forbidden, offices.create_office, manager, code="T2", name_uk="Друга", name_en="Second")
    code, events = run(db, clock, offices.create_office, ROOT, code="T2", name_uk="Друга", name_en="Second",
                       opening_hours={"1": [["09:00", "18:00"]]})
    assert code == "T2" and hints(events) == [("config_changed", "office")]
    [entry] = entries(db, "office.create", "T2")
    assert entry.detail["after"]["opening_hours"] == {"1": [["09:00", "18:00"]]}


def test_walk_ins_and_a_taken_prefix_are_refused_for_new_and_changed_services(db, clock) -> None:
    refused(db, clock, ValidationFailed, offices.update_service, ROOT, "T1", "consult", {"walk_ins": True})
    error = refused(db, clock, ValidationFailed, offices.update_service, ROOT, "T1", "consult", {"prefix": "С"})
    assert error.key == "admin.bad.prefix_taken"
    error = refused(db, clock, ValidationFailed, offices.create_service, ROOT, "T1", code="new", prefix="С",
                    name_uk="Нова", name_en="New")
    assert error.key == "admin.bad.prefix_taken"
    refused(db, clock, ValidationFailed, offices.create_service, ROOT, "T1", code="new", prefix="Н",
            name_uk="Нова", name_en="New", walk_ins=True)
    refused(db, clock, ValidationFailed, offices.create_service, ROOT, "T1", code="new", prefix="Н",
            name_uk="Нова", name_en="New", colour="red")  # no such field: refused, not ignored
    code, events = run(db, clock, offices.create_service, ROOT, "T1", code="new", prefix="Н", name_uk="Нова",
                       name_en="New", kind="leadership", walk_ins=True)
    assert code == "new" and hints(events) == [("config_changed", "service")]
    [entry] = entries(db, "service.create", "T1/new")
    assert entry.detail["after"]["walk_ins"] is True


# --- users ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["", "two words", "ім'я", "a/b", "x" * 65])
def test_a_username_outside_the_rule_is_refused(db, clock, admin, username) -> None:
    error = refused(db, clock, ValidationFailed, accounts.create_user, admin, username=username,
                    password="long-password-1", roles=["operator"], offices=["T1"])
    assert error.key == "admin.bad.username"


def test_the_console_makes_accounts_by_the_same_rules(db, clock) -> None:
    """The console (no account) goes through the same command: the username rule holds for it too."""
    refused(db, clock, ValidationFailed, accounts.create_user, ROOT, username="two words",
            password="long-password-1", roles=["operator"], offices=["T1"], temporary=False)
    view, _ = run(db, clock, accounts.create_user, ROOT, username="first.admin", password="long-password-1",
                  roles=["admin"], offices=[], temporary=False)
    assert view["must_change_password"] is False  # the server's own first administrator
    [entry] = entries(db, "user.create", str(view["id"]))
    assert entry.user_id is None and entry.detail["after"]["username"] == "first.admin"
    assert "full_name" not in entry.detail["after"]


def test_a_signed_in_administrator_sets_only_temporary_passwords(db, clock, admin) -> None:
    error = refused(db, clock, Forbidden, accounts.create_user, admin, username="newbie", password="long-password-1",
                    roles=["operator"], offices=["T1"], temporary=False)
    assert error.key == "error.permanent_password" and error.audit is not None  # the attempt is kept
    assert error.audit["action"] == "user.create.refused" and error.audit["user_id"] == admin.user_id
    view, _ = run(db, clock, accounts.create_user, admin, username="newbie", password="long-password-1",
                  roles=["operator"], offices=["T1"])
    assert view["must_change_password"] is True


def test_the_last_active_administrator_stays(db, clock, admin) -> None:
    deputy = add_user(db, clock, "deputy", ["admin"], [])
    run(db, clock, accounts.update_user, admin, deputy, {"disabled": True})
    error = refused(db, clock, Conflict, accounts.update_user, ROOT, admin.user_id, {"roles": ["operator"]})
    assert error.key == "error.last_admin" and error.audit is not None
    assert error.audit["detail"]["refused"] == "last_admin" and error.audit["detail"]["fields"] == ["roles"]
    with db.read() as s:
        assert s.scalar(select(User.roles).where(User.id == admin.user_id)) == ["admin"]


def test_one_cannot_change_ones_own_roles_nor_disable_oneself(db, clock, admin) -> None:
    add_user(db, clock, "deputy", ["admin"], [])  # not the last administrator: the refusal is about oneself
    error = refused(db, clock, Forbidden, accounts.update_user, admin, admin.user_id, {"roles": ["operator"]})
    assert error.key == "error.own_account"
    invalid = refused(db, clock, ValidationFailed, accounts.update_user, admin, admin.user_id, {"disabled": True})
    assert invalid.key == "admin.bad.disable_self"
