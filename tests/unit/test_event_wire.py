"""The setup's, the devices' and the people's typed events go out as the named messages clients
already know: ``reception.bootstrap.wire`` is the one place that names them."""

from __future__ import annotations

from dataclasses import astuple

import pytest

from reception.bootstrap import wire
from reception.kernel.events import ConfigChanged, DeviceRevoked, PrintOutcomeRecorded, UserSignedOut

pytestmark = pytest.mark.one_suite("sqlite")  # no database


def sent(event: object) -> tuple[object, ...]:
    return astuple(wire(event))


def test_a_setup_change_tells_the_office_what_to_refetch() -> None:
    assert sent(ConfigChanged(office_code="T1", version=7, what="desk")) == (
        "config_changed", "T1", 7, {"version": 7, "what": "desk"}, None, None, None)


def test_a_revoked_device_is_named_to_its_office() -> None:
    assert sent(DeviceRevoked(office_code="T1", version=8, device_id=3)) == (
        "device_revoked", "T1", 8, {"version": 8, "device": 3}, None, None, None)


def test_a_signed_out_person_is_no_office_s_event() -> None:
    assert sent(UserSignedOut(user_id=12)) == ("user_signed_out", "", 0, {"user": 12}, None, None, None)


@pytest.mark.parametrize("ok, name", [(True, "printed"), (False, "print_failed")])
def test_a_print_outcome_names_the_kiosk(ok: bool, name: str) -> None:
    assert sent(PrintOutcomeRecorded(office_code="T1", version=9, device_id=4, ok=ok)) == (
        name, "T1", 9, {"version": 9, "device": 4}, None, None, None)


def test_an_event_without_a_wire_form_is_refused() -> None:
    with pytest.raises(TypeError):
        wire(object())
