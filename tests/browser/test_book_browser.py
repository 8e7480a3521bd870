"""The public booking page in real Chromium at 360x740: from choosing to the booking code, then the cancel link.

The office sends its one-time codes by e-mail: the app's SMTP settings point at a local SMTP server
(aiosmtpd, tests/protocol_servers), the outbox's delivery job sends what the booking enqueued through the
channels configured as the server's job builds them, and the code is read from the e-mail received.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sqlalchemy import select

from reception.booking.models import Booking
from reception.booking.setup import open_to_booking
from reception.notifications.channels import configured_channels
from reception.notifications.delivery import deliver_due
from reception.notifications.models import Message
from tests.protocol_servers.fixtures import smtp_server  # noqa: F401  (the fixture)

PHONE = {"width": 360, "height": 740}
AXE = (Path(__file__).resolve().parents[1] / "vendor" / "axe-core" / "axe.min.js").read_text()
RUN_AXE = """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
  .filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id + ": " + v.help)"""
LAYOUT = """() => ({wide: document.documentElement.scrollWidth > innerWidth,
  small: [...document.querySelectorAll("button, .choice, select, input:not([type=radio]):not([type=checkbox]), .check")]
    .filter((e) => e.offsetParent !== null)
    .filter((e) => { const r = e.getBoundingClientRect(); return r.height < 44; }).map((e) => e.id || e.className)})"""


def _check(page: Any, shots: Path, name: str) -> None:
    page.screenshot(path=str(shots / f"book-{name}.png"), full_page=True)
    layout = page.evaluate(LAYOUT)
    assert not layout["wide"], f"{name}: wider than the phone"
    assert not layout["small"], f"{name}: targets under 44 px: {layout['small']}"
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE)
    assert page.evaluate(RUN_AXE) == [], name


def _code_by_email(app: Any, smtp: Any, to: str) -> str:
    """Run the delivery job once with the app's configured channels and read the code from the e-mail."""
    wiring = app.extensions["reception"]
    outcome = deliver_due(wiring.db, wiring.clock, configured_channels(app.config))
    assert outcome.sent >= 1 and not outcome.failed, outcome
    mails = [m for m in smtp.messages if m["To"] and to in str(m["To"])]
    assert mails, f"no e-mail to {to}: {[str(m['To']) for m in smtp.messages]}"
    mail = mails[-1]
    assert "cnap@example.org" in str(mail["From"])
    part = mail.get_body(preferencelist=("plain",))
    assert part is not None
    found = re.search(r"\b(\d{6})\b", part.get_content())
    assert found, "no six-digit code in the e-mail"
    return found.group(1)


def test_book_from_choosing_to_the_code_and_cancel(browser, live_server, db, office, screenshot_dir,
                                                   smtp_server) -> None:  # noqa: F811
    live_server.app.config.update(smtp_server.config)  # the app's SMTP_URL / MAIL_FROM: the local server
    open_to_booking(db, "T1", "consult", per_slot=1, office_rules={"verify_by": "email", "opens_days_ahead": 7})
    context = browser.new_context(viewport=PHONE, locale="uk-UA")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{live_server.url}/book")
    assert page.locator("h1").inner_text() == "Запис на прийом"
    page.get_by_label("Консультація").check()
    page.get_by_label("ср 25.11.2026").check()  # dates as dd.mm.yyyy
    page.get_by_label("10:15").wait_for()
    _check(page, screenshot_dir, "1-choose")
    page.get_by_label("10:15").check()

    page.get_by_label("Прізвище").fill("Петренко")
    page.get_by_label("Імʼя").fill("Олена")
    page.get_by_label("Електронна пошта", exact=True).fill("olena@example.com")
    page.get_by_role("button", name="Отримати код").click()
    assert page.locator("#alert").inner_text().startswith("Заповніть")  # no consent yet: nothing sent
    page.get_by_label("Я погоджуюся").check()
    _check(page, screenshot_dir, "2-who")
    page.get_by_role("button", name="Отримати код").click()
    page.get_by_label("Код підтвердження (6 цифр)").wait_for()
    _check(page, screenshot_dir, "3-code")

    assert smtp_server.messages == []  # nothing is sent before the delivery job runs
    page.get_by_label("Код підтвердження (6 цифр)").fill(_code_by_email(live_server.app, smtp_server,
                                                                        "olena@example.com"))
    page.get_by_role("button", name="Підтвердити").click()
    page.locator("#step-done").wait_for()
    code = page.locator("#booking-code").inner_text()
    assert re.fullmatch(r"[2-9A-Z]{3}-[2-9A-Z]{3}", code)
    assert "25.11.2026 10:15" in page.locator("#booked-when").inner_text()
    page.wait_for_function("() => document.getElementById('qr').naturalWidth > 0")
    _check(page, screenshot_dir, "4-done")
    with db.read() as s:
        booking = s.scalar(select(Booking))
        assert booking is not None and booking.status == "booked" and booking.surname == "Петренко"

    page.locator("#cancel-link").click()
    page.get_by_role("button", name="Так, скасувати").click()
    page.locator("#cancel-state").wait_for()
    _check(page, screenshot_dir, "5-cancelled")
    with db.read() as s:
        assert s.scalar(select(Booking.status)) == "cancelled"
    assert errors == []


def test_english_and_a_taken_time_is_said_plainly(browser, live_server, db, office, screenshot_dir) -> None:
    open_to_booking(db, "T1", "consult", per_slot=1, office_rules={"verify_by": "email", "opens_days_ahead": 7})
    page = browser.new_context(viewport=PHONE).new_page()
    page.goto(f"{live_server.url}/book?lang=en")
    page.get_by_label("Consultation").check()
    page.get_by_label("Wed 25.11.2026").check()
    page.get_by_label("10:00").check()
    page.get_by_label("Surname").fill("Smith")
    page.get_by_label("Name", exact=True).fill("Anna")
    page.get_by_label("E-mail", exact=True).fill("anna@example.com")
    page.get_by_label("I consent").check()
    # Somebody else takes 10:00 meanwhile.
    r = live_server.app.test_client().post("/api/v1/public/bookings", json={
        "office": "T1", "service": "consult", "at": "2026-11-25T10:00:00+02:00",
        "visitor": {"surname": "Інша", "name": "Особа", "email": "other@example.com"}})
    request_id = r.get_json()["request_id"]
    with db.read() as s:
        body = s.scalar(select(Message.body).where(Message.idempotency_key == f"booking-code:{request_id}"))
    code = re.search(r"\b(\d{6})\b", body or "")
    assert code
    assert live_server.app.test_client().post(f"/api/v1/public/bookings/{request_id}/confirm",
                                              json={"code": code.group(1)}).status_code == 201
    page.get_by_role("button", name="Get the code").click()
    page.locator("#alert").wait_for()
    assert "just been taken" in page.locator("#alert").inner_text()
    _check(page, screenshot_dir, "6-taken-en")


def test_join_the_live_queue_from_the_phone(browser, live_server, db, office, screenshot_dir) -> None:
    open_to_booking(db, "T1", "consult", office_rules={"verify_by": "sms", "remote_queue": True})
    page = browser.new_context(viewport=PHONE, locale="uk-UA").new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{live_server.url}/book")
    page.get_by_label("Консультація").check()
    page.get_by_role("button", name="Стати в чергу зараз").click()
    page.get_by_label("Телефон або електронна пошта для коду").fill("050 111 22 33")
    _check(page, screenshot_dir, "7-remote")
    page.get_by_role("button", name="Отримати код").click()
    page.get_by_label("Код підтвердження (6 цифр)").wait_for()
    with db.read() as s:
        message = s.scalar(select(Message).where(Message.kind == "verification_code"))
        assert message is not None and message.channel == "sms" and message.address == "+380501112233"
        code = re.search(r"\b(\d{6})\b", message.body)
    assert code
    page.get_by_label("Код підтвердження (6 цифр)").fill(code.group(1))
    page.get_by_role("button", name="Підтвердити").click()
    page.locator("#step-remote-done").wait_for()
    page.wait_for_function("() => document.getElementById('remote-ahead').textContent.includes('Перед вами: 0')")
    page.wait_for_function("() => document.getElementById('remote-qr').naturalWidth > 0")
    assert re.fullmatch(r"[2-9A-Z]{3}-[2-9A-Z]{3}", page.locator("#remote-code").inner_text())
    _check(page, screenshot_dir, "8-remote-done")
    assert errors == []


def test_book_a_leadership_reception_with_its_topic(browser, live_server, db, clock, office, screenshot_dir,
                                                    smtp_server) -> None:  # noqa: F811
    from datetime import date

    from reception.leadership.models import Appointment
    from tests.web.leadership.builders import add_leader, add_leadership, add_rule, set_settings
    from tests.web.test_public_leadership_booking import open_leadership

    add_leadership(db)
    set_settings(db, booking_cutoff_working_days=0)
    add_rule(db, clock, add_leader(db, clock), weekday=3, start="10:00", end="12:00", slot_min=15,
             valid_from=date(2026, 11, 1))
    open_leadership(db)
    live_server.app.config.update(smtp_server.config)
    page = browser.new_context(viewport=PHONE, locale="uk-UA").new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{live_server.url}/book")
    page.get_by_label("Особистий прийом громадян керівництвом").check()
    page.get_by_label("ср 25.11.2026").check()
    page.get_by_label("10:15").check()
    page.get_by_label("Прізвище").fill("Петренко")
    page.get_by_label("Імʼя").fill("Олена")
    page.get_by_label("Електронна пошта", exact=True).fill("olena@example.com")
    page.get_by_label("Я погоджуюся").check()
    assert page.get_by_label("Тема звернення").is_visible()
    page.get_by_role("button", name="Отримати код").click()
    assert page.locator("#alert").inner_text().startswith("Заповніть")  # no topic yet: nothing sent
    page.get_by_label("Тема звернення").fill("Ремонт дороги")
    _check(page, screenshot_dir, "7-leadership-who")
    page.get_by_role("button", name="Отримати код").click()
    page.get_by_label("Код підтвердження (6 цифр)").wait_for()
    page.get_by_label("Код підтвердження (6 цифр)").fill(_code_by_email(live_server.app, smtp_server, "olena@example.com"))
    page.get_by_role("button", name="Підтвердити").click()
    page.locator("#step-done").wait_for()
    assert "25.11.2026 10:15" in page.locator("#booked-when").inner_text()
    with db.read() as s:
        appt = s.scalar(select(Appointment))
        assert appt is not None and appt.topic == "Ремонт дороги" and appt.status == "booked"
    assert errors == []
