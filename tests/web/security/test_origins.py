"""Socket.IO accepts only the public origin and the page's own host; the ticket link ignores Host (issue 11)."""

from __future__ import annotations

from typing import Any

import pytest

from reception.http.security import DEFAULT_PUBLIC_BASE_URL
from tests.fakes import add_user, signed_in

HANDSHAKE = "/socket.io/?EIO=4&transport=polling"


def _handshake(client: Any, origin: str | None, host: str = "localhost") -> Any:
    headers = {"Origin": origin} if origin else {}
    return client.get(HANDSHAKE, headers=headers, base_url=f"http://{host}")


@pytest.fixture
def staff_client(app, db, clock, office) -> Any:
    client = app.test_client()
    signed_in(client, db, clock, add_user(db, clock, "op", ["operator"], ["T1"]))
    return client


@pytest.mark.parametrize("origin", ["https://evil.example", "http://localhost.evil.example", "null",
                                    "http://test.evil", "https://test"])
def test_a_foreign_origin_is_refused_even_with_a_staff_cookie(staff_client, origin: str) -> None:
    r = _handshake(staff_client, origin)
    assert r.status_code == 400 and b"Not an accepted origin" in r.data


@pytest.mark.parametrize("origin", ["http://test", "http://localhost", None])
def test_the_public_origin_the_same_host_and_non_browsers_pass(staff_client, origin: str | None) -> None:
    """make_test_app sets PUBLIC_BASE_URL=http://test; the page's own host is http://localhost."""
    r = _handshake(staff_client, origin)
    assert r.status_code == 200 and r.data.startswith(b"0{")  # engine.io "open" packet


def test_a_desk_socket_from_a_foreign_page_cannot_connect(app, staff_client) -> None:
    """The Socket.IO layer never sees the /desk connect: the engine.io handshake is refused first."""
    from reception.http.realtime import socketio

    ok = socketio.test_client(app, namespace="/desk", flask_test_client=staff_client)
    assert ok.is_connected("/desk")  # the same cookie from our own page works
    assert _handshake(staff_client, "https://evil.example").status_code == 400


def test_ticket_link_comes_from_configuration_not_the_host_header(app, api) -> None:
    from reception.devices.printing import status_url
    from reception.http.security import public_base_url

    with app.test_request_context("/", base_url="http://attacker.example"):
        assert status_url(public_base_url(), "abc") == "http://test/t/abc"
        app.config["PUBLIC_BASE_URL"] = None
        assert status_url(public_base_url(), "abc") == f"{DEFAULT_PUBLIC_BASE_URL}/t/abc"
    kiosk = api.device("kiosk", printer_url="recording://")
    app.config["PUBLIC_BASE_URL"] = "https://reception.example.gov.ua/"
    r = api.client.post("/api/v1/kiosk/tickets", json={"service": "consult"},
                        headers={"Authorization": f"Bearer {kiosk}", "Host": "attacker.example"})
    assert r.status_code == 201
    assert app.config["printer"].slips[-1].status_url == f"https://reception.example.gov.ua/t/{r.get_json()['public_token']}"
