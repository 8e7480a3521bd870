"""The permission table as pure functions: who may, the desk scope, the words in the spec."""

from __future__ import annotations

from reception.kernel.errors import Forbidden
from reception.kernel.identity import Actor
from reception.kernel.permissions import RULES, Action, authorize, may_act_at_desk, permits, who

OPERATOR = Actor(user_id=1, roles=frozenset({"operator"}), office_ids=frozenset({10}))
MANAGER = Actor(user_id=2, roles=frozenset({"manager"}), office_ids=frozenset({10}))
ADMIN = Actor(user_id=3, roles=frozenset({"admin"}))
KIOSK = Actor(device_id=1, device_kind="kiosk", office_ids=frozenset({10}))


def _refusal(actor: Actor, action: Action) -> str:
    try:
        authorize(actor, action)
    except Forbidden as exc:
        return exc.key
    return ""


def test_roles_devices_and_anyone() -> None:
    assert permits(None, Action.PUBLIC) and not permits(None, Action.QUEUE_READ)
    assert permits(OPERATOR, Action.TICKET_CALL_NEXT) and not permits(OPERATOR, Action.REPORTS_READ)
    assert permits(KIOSK, Action.KIOSK_ISSUE) and not permits(KIOSK, Action.QUEUE_READ)
    assert not permits(OPERATOR, Action.KIOSK_ISSUE)  # staff never issue as a kiosk
    assert permits(KIOSK, Action.REFERENCE_READ) and not permits(KIOSK, Action.OUTCOMES_READ)


def test_admin_implies_manager_and_nothing_else_is_implied() -> None:
    managers_actions = [a for a, r in RULES.items() if "manager" in r.roles]
    assert managers_actions and all(permits(ADMIN, a) for a in managers_actions)
    assert not permits(ADMIN, Action.TICKET_CALL_NEXT)  # an admin does not sit at a desk
    assert not permits(MANAGER, Action.OFFICES_ADMIN)


def test_a_user_who_must_change_the_password_may_do_only_that() -> None:
    flagged = Actor(user_id=4, roles=frozenset({"manager"}), office_ids=frozenset({10}), must_change_password=True)
    assert permits(flagged, Action.PASSWORD_CHANGE) and permits(flagged, Action.PUBLIC)
    assert not permits(flagged, Action.STAFF_HOME)
    assert _refusal(flagged, Action.REPORTS_READ) == "error.password_change_required"
    assert _refusal(OPERATOR, Action.REPORTS_READ) == "error.role"
    assert _refusal(OPERATOR, Action.KIOSK_ISSUE) == "error.device_kind"


def test_the_desk_scope() -> None:
    assert may_act_at_desk(OPERATOR, office_id=10, holder_desk_id=5, own_desk_ids=[5])
    assert not may_act_at_desk(OPERATOR, office_id=10, holder_desk_id=5, own_desk_ids=[6])
    assert may_act_at_desk(OPERATOR, office_id=10, holder_desk_id=None, own_desk_ids=[])  # the common queue
    assert may_act_at_desk(MANAGER, office_id=10, holder_desk_id=5, own_desk_ids=[])
    assert not may_act_at_desk(MANAGER, office_id=11, holder_desk_id=5, own_desk_ids=[])  # not their office
    assert may_act_at_desk(ADMIN, office_id=11, holder_desk_id=5, own_desk_ids=[])


def test_who_says_the_rule_in_words() -> None:
    assert who(Action.PUBLIC) == "anyone"
    assert who(Action.KIOSK_ISSUE) == "kiosk device"
    assert who(Action.REPORTS_READ) == "auditor, manager (own offices; admin: all); admin implies manager"
    assert "manager: any desk of their offices" in who(Action.TICKET_FINISH)
