"""Pairing by a one-time code: the manager gets six digits, the device enters them at /pair."""

from __future__ import annotations

import itertools
import re
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier
from typing import Any
from urllib.parse import parse_qs, urlparse

from limits import parse_many
from sqlalchemy import select

from reception.accounts import devices
from reception.accounts.models import Device
from reception.audit.models import AuditLog
from reception.http.limits import PAIRING_RATE
from tests.fakes import add_user
from tests.web.desk.helpers import Staff, csrf_from

CODE = re.compile(r"(\d{3}) (\d{3})")
_USERS = itertools.count()
TRIES = parse_many(PAIRING_RATE)[0].amount

def _code(app: Any, db: Any, clock: Any, kind: str = "kiosk", name: str = "Кіоск у холі") -> str:
    username = f"boss{next(_USERS)}"
    add_user(db, clock, username, ["manager"], ["T1"])
    boss = Staff(app)
    assert boss.login(username).status_code == 302
    token = csrf_from(boss.client.get("/backoffice/admin/devices").get_data(as_text=True))
    html = boss.client.post("/backoffice/admin/devices/pairing", follow_redirects=True,
                            data={"csrf_token": token, "office": "T1", "kind": kind, "name": name}).get_data(as_text=True)
    match = CODE.search(html)
    assert match, html
    return match.group(1) + match.group(2)


def _enter(client: Any, code: str) -> Any:
    token = csrf_from(client.get("/pair").get_data(as_text=True))
    return client.post("/pair", data={"csrf_token": token, "code": code})


def test_code_pairs_a_kiosk_once(app, db, clock, office) -> None:
    code = _code(app, db, clock)
    device = app.test_client()
    r = _enter(device, code)
    assert r.status_code == 302 and urlparse(r.location).path == "/kiosk"
    token = parse_qs(urlparse(r.location).query)["token"][0]
    assert device.get("/api/v1/kiosk/menu", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    with db.read() as s:
        paired = s.scalar(select(Device).where(Device.name == "Кіоск у холі"))
        assert paired is not None and paired.kind == "kiosk" and paired.is_active
        assert s.scalar(select(AuditLog.id).where(AuditLog.action == "device.pairing")) is not None
    again = _enter(app.test_client(), code)
    assert again.status_code == 422 and "Код не підходить" in again.get_data(as_text=True)


def test_display_code_goes_to_the_display_and_expires(app, db, clock, office) -> None:
    code = _code(app, db, clock, "display", "Табло")
    clock.advance(minutes=11)
    assert _enter(app.test_client(), code).status_code == 422
    fresh = _code(app, db, clock, "display", "Табло 2")
    r = _enter(app.test_client(), fresh)
    assert r.status_code == 302 and urlparse(r.location).path == "/display"


def test_guessing_is_throttled_and_csrf_is_required(app, db, clock, office) -> None:
    code = _code(app, db, clock)
    device = app.test_client()
    assert device.post("/pair", data={"code": code}).status_code == 403  # no CSRF token
    for _ in range(TRIES):
        assert _enter(device, "000000" if code != "000000" else "111111").status_code == 422
    r = _enter(device, code)
    assert r.status_code == 429 and "Забагато невдалих спроб" in r.get_data(as_text=True)


def test_unpaired_kiosk_and_display_pages_pair_with_the_code(app, db, clock, office) -> None:
    """The "not set up yet" screens carry the /pair form itself: entering the code there pairs."""
    for path, kind in (("/kiosk", "kiosk"), ("/display", "display")):
        device = app.test_client()
        page = device.get(path).get_data(as_text=True)
        assert 'action="/pair"' in page
        code = _code(app, db, clock, kind, f"Пристрій {kind}")
        r = device.post("/pair", data={"csrf_token": csrf_from(page), "code": f"{code[:3]} {code[3:]}"})
        assert r.status_code == 302 and urlparse(r.location).path == path


def test_concurrent_wrong_codes_from_one_address_check_exactly_the_limit(app, db, clock, office, monkeypatch) -> None:
    """100 tries at once from one address: exactly TRIES codes are checked (the count is taken first,
    atomically), the rest are told to wait; a right code afterwards is refused too."""
    code = _code(app, db, clock)
    checked: list[str] = []
    real = devices.redeem_pairing

    def redeem(uow: Any, clk: Any, c: str) -> tuple[str, str]:
        checked.append(c)
        return real(uow, clk, c)

    monkeypatch.setattr(devices, "redeem_pairing", redeem)
    clients = [app.test_client() for _ in range(100)]
    tokens = [csrf_from(c.get("/pair").get_data(as_text=True)) for c in clients]
    start = Barrier(len(clients))

    def guess(i: int) -> int:
        start.wait()
        wrong = f"{(int(code) + 1 + i) % 1_000_000:06d}"
        return clients[i].post("/pair", data={"csrf_token": tokens[i], "code": wrong}).status_code

    with ThreadPoolExecutor(len(clients)) as pool:
        statuses = list(pool.map(guess, range(len(clients))))
    assert len(checked) == TRIES
    assert statuses.count(422) == TRIES and statuses.count(429) == len(clients) - TRIES
    assert _enter(app.test_client(), code).status_code == 429


def test_a_right_code_gives_the_tries_back(app, db, clock, office) -> None:
    first, second = _code(app, db, clock), _code(app, db, clock, name="Кіоск 2")
    device = app.test_client()
    for _ in range(TRIES - 1):
        assert _enter(device, "000000" if "000000" not in (first, second) else "111111").status_code == 422
    assert _enter(device, first).status_code == 302
    for _ in range(TRIES - 1):  # a fresh count: the typos before the right code are forgotten
        assert _enter(device, "000000" if "000000" not in (first, second) else "111111").status_code == 422
    assert _enter(device, second).status_code == 302
