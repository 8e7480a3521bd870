"""The manager's schedule page: rules read as Ukrainian phrases; ending a rule asks first."""

from __future__ import annotations

import html as html_lib
import json
import re
from datetime import date

import pytest
from sqlalchemy import select

from reception.leadership.models import ReceptionRule
from tests.web.leadership.builders import add_leader, add_leadership, add_rule
from tests.web.leadership.test_leadership_pages import sign_in


@pytest.fixture
def rules(db, clock, office):
    add_leadership(db)
    leader = add_leader(db, clock)
    weekly = add_rule(db, clock, leader, weekday=3, valid_from=date(2026, 11, 1))
    add_rule(db, clock, leader, weekday=7, nth=-1, start="13:00", end="14:00", valid_from=date(2026, 11, 1))
    return weekly["id"]


def test_rules_read_as_phrases(client, db, clock, rules) -> None:
    sign_in(client, db, clock, "mgr", ["manager"])
    page = client.get("/backoffice/schedule").get_data(as_text=True)
    assert "щосереди" in page and "остання неділя місяця" in page
    english = client.get("/backoffice/schedule?lang=en").get_data(as_text=True)
    assert "every Wednesday" in english and "last Sunday of the month" in english
    phrases = json.loads(html_lib.unescape(re.search(r'data-rule-phrases="([^"]+)"', page).group(1)))  # type: ignore[union-attr]
    assert phrases["5"]["1"] == "перша пʼятниця місяця" and phrases["4"][""] == "щочетверга"


def _active(db, rule_id: int) -> bool:
    with db.read() as s:
        return bool(s.scalar(select(ReceptionRule.is_active).where(ReceptionRule.id == rule_id)))


def test_ending_a_rule_asks_first(client, db, clock, rules) -> None:
    csrf = sign_in(client, db, clock, "mgr", ["manager"])
    page = client.get("/backoffice/schedule").get_data(as_text=True)
    form = re.search(rf'<form method="post" action="/backoffice/schedule/rules/{rules}/end"[^>]*>', page).group(0)  # type: ignore[union-attr]
    assert "data-confirm=" in form and "Андрій Бондаренко: щосереди, 10:00–12:00" in html_lib.unescape(form)
    assert 'id="confirm-dialog"' in page and "<script>" not in page  # the step lives in office.js
    # Without the confirmation (no script ran) the server asks on a page of its own; nothing is ended.
    r = client.post(f"/backoffice/schedule/rules/{rules}/end", data={"csrf_token": csrf, "office": "T1"})
    asked = r.get_data(as_text=True)
    assert r.status_code == 200 and "Припинити правило прийому?" in asked and "щосереди" in asked
    assert 'name="confirmed" value="1"' in asked and _active(db, rules)
    r = client.post(f"/backoffice/schedule/rules/{rules}/end",
                    data={"csrf_token": csrf, "office": "T1", "confirmed": "1"})
    assert r.status_code == 302 and not _active(db, rules)
