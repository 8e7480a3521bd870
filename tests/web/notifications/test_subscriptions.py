"""Subscribing from the phone page: each channel, bad addresses (400, nothing stored), one per ticket and
channel, one-tap unsubscribe, closed tickets, the rate limit."""

from __future__ import annotations

from typing import Any

from tests.web.notifications.conftest import messages, subscribe, subscriptions, take
from tests.web.test_bad_input import fingerprint


def test_sms_subscription_is_bound_at_once_and_confirmed(api, db, hall) -> None:
    t = take(api, hall["kiosk"])
    r = subscribe(api, t, "sms", "050 111-22-33")
    assert r.status_code == 201, r.get_json()
    made = r.get_json()
    assert made["channel"] == "sms" and made.get("link") is None
    [sub] = subscriptions(db)
    assert sub.address == "+380501112233" and sub.bound_at is not None and sub.ticket_id == t["id"]
    [msg] = messages(db)
    assert msg.kind == "subscribed" and msg.address == "+380501112233" and msg.channel == "sms"
    assert t["code"] in msg.body and "Сповіщення" in msg.body


def test_email_subscription(api, db, hall) -> None:
    t = take(api, hall["kiosk"])
    r = subscribe(api, t, "email", "Olena.K@Example.COM")
    assert r.status_code == 201
    assert subscriptions(db)[0].address == "Olena.K@example.com"
    [msg] = messages(db)
    assert msg.channel == "email" and msg.subject and t["code"] in msg.subject


def test_messenger_subscriptions_answer_the_deep_links_and_wait_for_binding(api, db, hall) -> None:
    t = take(api, hall["kiosk"])
    tg = subscribe(api, t, "telegram").get_json()
    vb = subscribe(api, t, "viber").get_json()
    subs = subscriptions(db)
    assert tg["link"] == f"https://t.me/cnap_test_bot?start={subs[0].bind_token}"
    assert vb["link"] == f"viber://pa?chatURI=cnaptest&context={subs[1].bind_token}"
    assert all(s.address is None and s.bound_at is None for s in subs)
    assert messages(db) == []  # nothing is sent before the visitor opens the bot


def test_bad_addresses_are_400_in_ukrainian_and_store_nothing(api, db, hall) -> None:
    t = take(api, hall["kiosk"])
    before = fingerprint(db)
    for channel, address, word in (("sms", "12", "номер"), ("sms", "", "телефону"), ("email", "ivan@", "е-пошти"),
                                   ("email", "ivan example.com", "е-пошти"), ("sms", None, "телефону")):
        r = subscribe(api, t, channel, address)
        assert r.status_code == 400, (channel, address, r.get_json())
        assert r.mimetype == "application/problem+json" and word in r.get_json()["detail"].lower(), r.get_json()
    assert subscribe(api, t, "pigeon", "x").status_code == 422
    assert fingerprint(db) == before and subscriptions(db) == []


def test_one_subscription_per_ticket_and_channel_answers_the_existing_one(api, db, hall) -> None:
    t = take(api, hall["kiosk"])
    first = subscribe(api, t, "sms", "+380501112233")
    again = subscribe(api, t, "sms", "+380671112233")
    assert first.status_code == 201 and again.status_code == 200
    assert again.get_json()["id"] == first.get_json()["id"]
    assert [s.address for s in subscriptions(db)] == ["+380501112233"]
    assert len(messages(db)) == 1


def test_unsubscribe_with_one_tap_and_only_with_the_ticket_token(api, db, hall) -> None:
    t = take(api, hall["kiosk"])
    other = take(api, hall["kiosk"])
    sub_id = subscribe(api, t, "sms", "+380501112233").get_json()["id"]
    assert api.call("DELETE", f"/subscriptions/{sub_id}?token={other['public_token']}").status_code == 404
    assert api.call("DELETE", f"/subscriptions/{sub_id}").status_code == 404
    assert subscriptions(db)[0].revoked_at is None
    assert api.call("DELETE", f"/subscriptions/{sub_id}?token={t['public_token']}").status_code == 204
    [sub] = subscriptions(db)
    assert sub.revoked_at is not None and sub.address is None
    assert api.call("DELETE", f"/subscriptions/{sub_id}?token={t['public_token']}").status_code == 404
    assert api.call("GET", f"/tickets/{t['public_token']}/subscriptions").get_json() == []
    # a new one may be taken again after unsubscribing
    assert subscribe(api, t, "sms", "+380501112233").status_code == 201


def test_a_closed_ticket_takes_no_subscription(api, db, hall) -> None:
    t = take(api, hall["kiosk"])
    api.call("POST", "/desks/1/call-next", hall["op"])
    api.call("POST", f"/tickets/{t['id']}/finish", hall["op"], json={})
    r = subscribe(api, t, "sms", "+380501112233")
    assert r.status_code == 409 and "черзі" in r.get_json()["detail"]
    assert subscribe(api, {"public_token": "nosuchtoken123"}, "sms", "+380501112233").status_code == 404


def test_sms_subscriptions_are_rate_limited_per_ticket(api, db, hall) -> None:
    t = take(api, hall["kiosk"])
    codes = []
    for i in range(7):
        r = subscribe(api, t, "sms", f"+38050111223{i}")
        codes.append(r.status_code)
        sub_id = r.get_json().get("id")
        if sub_id:
            api.call("DELETE", f"/subscriptions/{sub_id}?token={t['public_token']}")
    assert codes[:5] == [201] * 5 and codes[5:] == [429, 429]


def test_personal_data_find_export_and_erase_cover_subscriptions(api, db, hall, clock) -> None:
    from tests.web.leadership.builders import add_leadership
    from tests.web.leadership.test_leadership_booking import VISITOR, _leader_and_rule, _sessions

    add_leadership(db)
    boss = api.user("boss", ["manager", "call_centre"])
    _leader_and_rule(api, boss)
    s1 = _sessions(api, boss)[1]
    appt = api.call("POST", f"/reception-sessions/{s1['id']}/appointments", boss,
                    json={"visitor": VISITOR, "topic": "Пенсія", "notify": {"consent": True, "sms": True}}).get_json()
    t = take(api, hall["kiosk"])
    subscribe(api, t, "sms", VISITOR["phone"])
    found = api.call("GET", f"/personal-data?phone={VISITOR['phone']}", boss).get_json()
    assert [s["channel"] for s in found["subscriptions"]] == ["sms", "sms"]
    assert all(s["address"] != VISITOR["phone"] and s["address"].endswith(VISITOR["phone"][-2:])
               for s in found["subscriptions"])  # masked
    export = api.call("GET", f"/personal-data/export?phone={VISITOR['phone']}", boss)
    assert len(export.get_json()["subscriptions"]) == 2
    api.call("POST", f"/appointments/{appt['id']}/cancel", boss, json={})  # an active booking is not erased
    erased = api.call("POST", "/personal-data/erase", boss, json={"phone": VISITOR["phone"]})
    assert erased.status_code == 200, erased.get_json()
    assert len(erased.get_json()["erased"]["subscriptions"]) == 2
    assert all(s.address is None and s.revoked_at is not None for s in subscriptions(db))


def test_retention_erases_addresses_a_day_after_the_visit(api, db, hall, clock, app) -> None:
    from reception.notifications.personal_data import anonymise_notifications

    def retain_subscriptions(uow: Any, clock: Any) -> int:
        return anonymise_notifications(uow, clock).subscriptions

    done, waiting = take(api, hall["kiosk"]), take(api, hall["kiosk"])
    subscribe(api, done, "sms", "+380501112233")
    subscribe(api, waiting, "email", "a@example.com")
    api.call("POST", "/desks/1/call-next", hall["op"])
    api.call("POST", f"/tickets/{done['id']}/finish", hall["op"], json={})
    services = app.extensions["reception"].services
    assert services.value(retain_subscriptions) == 0  # the visit just ended
    clock.advance(hours=25)
    assert services.value(retain_subscriptions) == 1
    by_ticket = {s.ticket_id: s.address for s in subscriptions(db)}
    assert by_ticket == {done["id"]: None, waiting["id"]: "a@example.com"}


def test_the_phone_page_offers_only_the_configured_bots_and_hides_for_a_closed_ticket(api, app, client, hall) -> None:
    t = take(api, hall["kiosk"])
    page = client.get(f"/t/{t['public_token']}").get_data(as_text=True)
    assert 'id="n-telegram"' in page and 'id="n-viber"' in page and "Сповіщення" in page
    assert "погоджуєтеся" in page and 'id="r-late"' in page
    english = client.get(f"/t/{t['public_token']}?lang=en").get_data(as_text=True)
    assert "Notifications" in english and "Running late" not in english and "I’m running late" in english
    app.config |= {"TELEGRAM_BOT_NAME": None, "VIBER_BOT_URI": ""}
    page = client.get(f"/t/{t['public_token']}").get_data(as_text=True)
    assert 'id="n-telegram"' not in page and 'id="n-viber"' not in page and 'id="n-sms-form"' in page
    assert subscribe(api, t, "telegram").status_code == 409
    api.call("POST", "/desks/1/call-next", hall["op"])
    api.call("POST", f"/tickets/{t['id']}/finish", hall["op"], json={})
    page = client.get(f"/t/{t['public_token']}").get_data(as_text=True)
    assert 'id="notify" aria-labelledby="notify-title" hidden' in page and 'id="replies" aria-labelledby="replies-title" hidden' in page
