"""The call-centre's booking form takes the visitor's consent to messages (decision 038)."""

from __future__ import annotations

import re

from tests.web.leadership.test_leadership_pages import office_ready, sign_in  # noqa: F401  (the fixture)
from tests.web.notifications.conftest import messages, subscriptions


def test_booking_form_with_consent_subscribes_and_without_it_does_not(client, db, clock, office_ready) -> None:  # noqa: F811
    csrf = sign_in(client, db, clock, "cc", ["call_centre"])
    page = client.get("/backoffice/booking").get_data(as_text=True)
    session_id = int(re.search(r"session=(\d+)", page).group(1))  # type: ignore[union-attr]
    page = client.get(f"/backoffice/booking?office=T1&session={session_id}").get_data(as_text=True)
    assert 'name="notify_consent"' in page and "відвідувач погодився" in page
    form = {"csrf_token": csrf, "office": "T1", "session": session_id, "slot": "", "surname": "Гончар",
            "name": "Марія", "phone": "+380671112233", "topic": "Спадщина", "conf_lang": "uk"}
    assert client.post("/backoffice/booking", data=form).status_code == 302
    assert subscriptions(db) == [] and messages(db) == []
    refused = client.post("/backoffice/booking", data=form | {"notify_email": "m@example.com"})
    assert refused.status_code == 422 and "згода" in refused.get_data(as_text=True)  # an address without consent
    r = client.post("/backoffice/booking", data=form | {"notify_consent": "1", "notify_email": "m@example.com"})
    assert r.status_code == 302, r.get_data(as_text=True)[:500]
    assert sorted((s.channel, s.address) for s in subscriptions(db)) == [("email", "m@example.com"),
                                                                          ("sms", "+380671112233")]
    assert [m.kind for m in messages(db)] == ["booking_confirmed", "booking_confirmed"]
