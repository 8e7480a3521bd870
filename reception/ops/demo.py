"""A demo office modelled on the Ministry of Justice of Ukraine's open office."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import select

from reception.accounts.administration import create_user
from reception.accounts.service import create_device
from reception.booking.setup import open_to_booking
from reception.bootstrap import bootstrap
from reception.kernel.identity import Actor
from reception.offices.lookups import office_by_code
from reception.offices.models import Office, ServiceCategory
from reception.offices.rules import office_day
from reception.offices.setup import create_desk, create_office, create_service
from reception.platform.clock import Clock
from reception.platform.db import Database

OFFICE = "MOJ"
ROOT = Actor(roles=frozenset({"admin"}))  # the console: acts for no account
ALWAYS = {str(d): [["00:00", "24:00"]] for d in range(1, 8)}  # the demo answers at any hour

CATEGORIES = [
    ("consult", "Консультації та правова допомога", "Consultations and legal aid"),
    ("appeals", "Звернення та скарги", "Appeals and complaints"),
    ("registry", "Державна реєстрація", "State registration"),
    ("leaders", "Особистий прийом громадян керівництвом", "Personal reception by leadership"),
]

SERVICES: list[dict[str, Any]] = [
    dict(code="consult", prefix="К", category="consult", name_uk="Юридична консультація",
         name_en="Legal consultation", description_uk="Розʼяснення законодавства, порядку звернення до суду",
         description_en="Explaining the law and how to go to court", default_service_min=12),
    dict(code="legal_aid", prefix="Б", category="consult", name_uk="Безоплатна правова допомога",
         name_en="Free legal aid", description_uk="Оформлення права на безоплатну вторинну правову допомогу",
         description_en="Applying for free secondary legal aid", default_service_min=15),
    dict(code="appeal", prefix="С",  # not "З": it reads as the digit 3
         category="appeals", name_uk="Подати звернення або скаргу",
         name_en="Submit an appeal or complaint", description_uk="Пропозиції, заяви, скарги до Міністерства",
         description_en="Proposals, applications and complaints to the Ministry", default_service_min=8),
    dict(code="registry", prefix="Р", category="registry", name_uk="Питання державної реєстрації",
         name_en="State registration questions",
         description_uk="Реєстрація актів цивільного стану, нерухомості, бізнесу",
         description_en="Civil status, real estate and business registration", default_service_min=10),
    dict(code="documents", prefix="Д", category="appeals", name_uk="Отримати або здати документи",
         name_en="Hand in or collect documents", description_uk="Швидка видача та приймання документів",
         description_en="Quick hand-in and collection of documents", default_service_min=4),
    dict(code="leadership", prefix="П", category="leaders", name_uk="Особистий прийом громадян керівництвом",
         name_en="Personal reception by leadership", kind="leadership",
         description_uk="За попереднім записом через контакт-центр",
         description_en="By appointment through the call-centre", default_service_min=15),
]

DESKS: list[dict[str, Any]] = [
    dict(code="1", name_uk="Вікно 1", name_en="Window 1", services=["consult", "legal_aid"]),
    dict(code="2", name_uk="Вікно 2", name_en="Window 2", services=["consult", "appeal", "documents"]),
    dict(code="3", name_uk="Вікно 3", name_en="Window 3", services=["registry", "documents"]),
    dict(code="4", name_uk="Вікно 4", name_en="Window 4", services=["appeal", "registry", "legal_aid"],
         weights={"appeal": 2.0}),
    dict(code="412", name_uk="Кабінет 412", name_en="Room 412", kind="room", zone="floor4",
         services=["leadership"]),
]

USERS = [
    ("admin", "admin-demo-pass", ["admin"], "Адміністратор системи", "Адміністратор"),
    ("manager", "manager-demo-pass", ["manager"], "Оксана Коваленко", "Начальниця відділу звернень"),
    ("operator", "operator-demo-pass", ["operator"], "Петро Мельник", "Головний спеціаліст"),
    ("operator2", "operator-demo-pass", ["operator"], "Ірина Шевчук", "Провідний спеціаліст"),
    ("leader", "leader-demo-pass", ["leader"], "Андрій Бондаренко", "Заступник Міністра"),
    ("callcentre", "callcentre-demo-pass", ["call_centre"], "Марія Ткаченко", "Оператор контакт-центру"),
]


INSTALL_SPEECH = "sudo apt-get install espeak-ng"


def speech_lines(available: bool) -> list[str]:
    """Whether the wall display can speak Ukrainian when its browser has no Ukrainian voice."""
    if available:
        return ["  Озвучення українською (espeak-ng): доступне / Ukrainian speech (espeak-ng): available"]
    return [
        "  Озвучення українською (espeak-ng): недоступне — табло подаватиме лише звуковий сигнал,",
        "  якщо браузер не має українського голосу. Встановіть / install it:",
        f"    {INSTALL_SPEECH}",
        "  Ukrainian speech (espeak-ng): not available — the display will only chime",
        "  unless its browser has a Ukrainian voice.",
    ]


def banner(base: str, info: dict[str, Any], speech_available: bool) -> list[str]:
    """What ``reception demo`` prints before serving: addresses, demo accounts, speech."""
    lines = [
        "",
        "Демо-установа готова / demo office ready:",
        f"  Кіоск / kiosk:        {base}/kiosk?token={info['kiosk_token']}",
        f"  Табло / display:      {base}/display?token={info['display_token']}",
        f"  Робоче місце / desk:  {base}/login",
        f"  Розклад / schedule:   {base}/schedule",
        f"  Запис / booking:      {base}/book",
        f"  API:                  {base}/api/v1/openapi.json",
        f"  Опитування / survey:  {base}/kiosk/feedback (у браузері кіоску / in the kiosk's browser)",
    ]
    lines += [f"  {user:<11} / {password}" for user, password in info["users"].items()]
    lines += speech_lines(speech_available)
    lines += ["  Табло й кіоск без дотику / display and kiosk hands-free: scripts/kiosk-browser.sh (docs/devices.md)", ""]
    return lines


def seed(db: Database, clock: Clock, instance_path: str) -> dict[str, Any]:
    """Create the demo office once; return credentials and device tokens (kept in the instance folder)."""
    tokens_file = Path(instance_path) / "demo_devices.json"
    with db.read() as s:
        exists = s.scalar(select(Office).where(Office.code == OFFICE)) is not None
    if exists and tokens_file.exists():
        return json.loads(tokens_file.read_text())
    if not exists:
        _create_office(db, clock)
        run = bootstrap(db, clock).services
        for username, password, roles, full_name, position in USERS:
            run.value(create_user, ROOT, username=username, password=password, roles=roles, offices=[OFFICE],
                      full_name=full_name, position=position, temporary=False)
        _create_leaders(db, clock, ROOT)
        _sample_messages(db, clock)
    _, kiosk = create_device(db, clock, kind="kiosk", office_code=OFFICE, name="Кіоск у холі",
                             printer_url=f"png://{Path(instance_path) / 'tickets'}")
    _, display = create_device(db, clock, kind="display", office_code=OFFICE, name="Табло в холі")
    info = {"kiosk_token": kiosk, "display_token": display,
            "users": {u: p for u, p, *_ in USERS}}
    tokens_file.write_text(json.dumps(info, ensure_ascii=False, indent=2))
    tokens_file.chmod(0o600)
    return info


def _create_office(db: Database, clock: Clock) -> None:
    create_office(db, clock=clock, code=OFFICE, name_uk="Відкритий офіс Міністерства юстиції України",
                  name_en="Ministry of Justice of Ukraine — Open Office", opening_hours=ALWAYS,
                  settings={"priority_interleave": 2, "reactivation_window_min": 30, "outcome_required": True})
    with db.write() as s:
        office = office_by_code(s, OFFICE)
        for order, (code, uk, en) in enumerate(CATEGORIES):
            s.add(ServiceCategory(office_id=office.id, code=code, name_uk=uk, name_en=en, sort_order=order))
    for service in SERVICES:
        create_service(db, ROOT, OFFICE, clock=clock, **service)
    for desk in DESKS:
        create_desk(db, ROOT, OFFICE, clock=clock, **desk)
    _open_booking(db)


def _open_booking(db: Database) -> None:
    """Legal consultations open to public booking at window 1, 10:00-13:00 on working days (walk-ins
    after); the one-time codes go out by e-mail (delivered where RECEPTION_SMTP_URL is set)."""
    open_to_booking(db, OFFICE, "consult", desks=["1"], weekdays=(1, 2, 3, 4, 5), start="10:00", end="13:00",
                    slot_min=15, per_slot=1,
                    office_rules={"verify_by": "email", "opens_days_ahead": 14, "opens_at": "06:00",
                                  "closes_hours_before": 1, "cap_per_day": 1, "cap_per_month": 4, "cap_active": 2,
                                  "late_after_min": 5, "late_action": "walk_in", "call_tolerance_min": 10})


def _create_leaders(db: Database, clock: Clock, root: Actor) -> None:
    """Two leaders with published reception hours in room 412 (booked through the call-centre)."""
    from reception.leadership import schedule

    run = bootstrap(db, clock).services  # before the app exists: nobody listens yet
    today = office_day(clock.now(), "Europe/Kyiv")
    deputy = run.value(schedule.create_leader, root, office=OFFICE, name_uk="Андрій Бондаренко",
                       name_en="Andrii Bondarenko", position_uk="Заступник Міністра",
                       position_en="Deputy Minister", user="leader")
    director = run.value(schedule.create_leader, root, office=OFFICE, name_uk="Олена Кравець",
                         name_en="Olena Kravets", position_uk="Директорка департаменту",
                         position_en="Head of Department")
    for weekday in (2, 4):  # Tuesdays and Thursdays
        run.value(schedule.add_rule, root, deputy["id"], desk="412", weekday=weekday, start="10:00", end="13:00",
                  slot_min=15, valid_from=today)
    run.value(schedule.add_rule, root, director["id"], desk="412", weekday=3, nth=1, start="14:00", end="16:00",
              slot_min=20, valid_from=today)


# Three messages of the kinds the office sends, to addresses that reach nobody (example.com is reserved;
# +380 00… and chat 0 do not exist): without gateways the delivery job marks them "channel not
# configured", with one configured its refusal shows; either way the back office's messages page has
# something to show (decision 037).
SAMPLE_MESSAGES = (
    ("email", "demo@example.com", "booking_confirmed", "Запис підтверджено",
     "Демонстраційне повідомлення. Ваш запис на особистий прийом підтверджено."),
    ("sms", "+380000000000", "turn_near", None, "Демонстраційне повідомлення. Ваша черга наближається: перед вами 3 особи."),
    ("telegram", "0", "called", None, "Демонстраційне повідомлення. Талон К-001: підійдіть до вікна 1."),
)


def _sample_messages(db: Database, clock: Clock) -> None:
    from reception.notifications.outbox import enqueue

    with db.write() as s:
        office = office_by_code(s, OFFICE)
        for n, (channel, address, kind, subject, body) in enumerate(SAMPLE_MESSAGES, 1):
            enqueue(s, at=clock.now(), key=f"demo:{n}", channel=channel, address=address, kind=kind, body=body,
                    subject=subject, office_id=office.id)
