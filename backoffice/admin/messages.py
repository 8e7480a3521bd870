"""Texts of the administration and audit pages (Ukrainian first)."""

from __future__ import annotations

from typing import Any

from reception import i18n

WEEKDAYS = {"1": ("Понеділок", "Monday"), "2": ("Вівторок", "Tuesday"), "3": ("Середа", "Wednesday"),
            "4": ("Четвер", "Thursday"), "5": ("Пʼятниця", "Friday"), "6": ("Субота", "Saturday"),
            "7": ("Неділя", "Sunday")}
WEEKDAYS_SHORT = {"1": ("Пн", "Mo"), "2": ("Вт", "Tu"), "3": ("Ср", "We"), "4": ("Чт", "Th"), "5": ("Пт", "Fr"),
                  "6": ("Сб", "Sa"), "7": ("Нд", "Su")}
# Ukraine's zone first; a few neighbours for offices abroad (consular points) — any IANA name is accepted.
TIMEZONES = ("Europe/Kyiv", "Europe/Warsaw", "Europe/Berlin", "Europe/London", "UTC")

i18n.register({
    "adm.nav": {"uk": "Адміністрування", "en": "Administration"},
    "adm.nav.audit": {"uk": "Журнал аудиту", "en": "Audit log"},
    "adm.title": {"uk": "Адміністрування", "en": "Administration"},
    "adm.saved": {"uk": "Зміни збережено. Кіоски, табло й робочі місця вже отримали їх.",
                  "en": "Saved. Kiosks, displays and desks have already received the change."},
    "adm.save": {"uk": "Зберегти", "en": "Save"},
    "adm.add": {"uk": "Додати", "en": "Add"},
    "adm.office": {"uk": "Установа", "en": "Office"},
    "adm.show": {"uk": "Показати", "en": "Show"},
    "adm.none": {"uk": "Немає.", "en": "None."},
    "adm.active": {"uk": "Діє", "en": "Active"},
    "adm.inactive": {"uk": "вимкнено", "en": "inactive"},
    "adm.yes": {"uk": "так", "en": "yes"},
    "adm.no": {"uk": "ні", "en": "no"},
    # sections
    "adm.sec.office": {"uk": "Установа: назва, години, правила черги", "en": "Office: name, hours, queue rules"},
    "adm.sec.office.d": {"uk": "Назви, часовий пояс, години роботи, святкові дні, пільгові виклики.",
                         "en": "Names, time zone, opening hours, public holidays, priority calls."},
    "adm.sec.services": {"uk": "Послуги", "en": "Services"},
    "adm.sec.services.d": {"uk": "Літера талона, назви й описи, ліміти, тривалість, прийом без запису.",
                           "en": "Ticket prefix, names and descriptions, limits, durations, walk-ins."},
    "adm.sec.desks": {"uk": "Робочі місця", "en": "Desks"},
    "adm.sec.desks.d": {"uk": "Вікна й кабінети: зона, послуги з вагою, виклик конкретного талона.",
                        "en": "Windows and rooms: zone, services with weights, calling a particular ticket."},
    "adm.sec.devices": {"uk": "Кіоски й табло", "en": "Kiosks and displays"},
    "adm.sec.devices.d": {"uk": "Коли виходили на звʼязок, назви, відкликання доступу.",
                          "en": "When last seen, names, revoking access."},
    "adm.sec.users": {"uk": "Користувачі", "en": "Users"},
    "adm.sec.users.d": {"uk": "Облікові записи, ролі, установи, скидання пароля.",
                        "en": "Accounts, roles, offices, password resets."},
    "adm.sec.lists": {"uk": "Пільгові категорії та результати прийому", "en": "Priority categories and outcomes"},
    "adm.sec.lists.d": {"uk": "Спільні довідники всіх установ.", "en": "Lists shared by every office."},
    "adm.sec.audit.d": {"uk": "Хто, що й коли змінив — лише для перегляду.", "en": "Who changed what and when — read-only."},
    # fields
    "adm.f.name_uk": {"uk": "Назва українською", "en": "Name in Ukrainian"},
    "adm.f.name_en": {"uk": "Назва англійською", "en": "Name in English"},
    "adm.f.timezone": {"uk": "Часовий пояс", "en": "Time zone"},
    "adm.f.hours": {"uk": "Години роботи", "en": "Opening hours"},
    "adm.f.hours_hint": {"uk": "Наприклад 09:00–13:00, 14:00–18:00. Порожнє поле — вихідний. Якщо порожні всі дні, "
                                "установа працює без обмежень за часом.",
                         "en": "E.g. 09:00–13:00, 14:00–18:00. Empty — closed. If every day is empty, the office has "
                               "no time limits."},
    "adm.f.priority_interleave": {"uk": "Пільгових викликів поспіль, поки чекають інші", "en": "Priority calls in a row while others wait"},
    "adm.f.recalls_before_no_show": {"uk": "Повторних викликів до позначки «не зʼявився»", "en": "Recalls before a no-show"},
    "adm.f.reactivation_window_min": {"uk": "Хвилин на повернення в чергу після неявки", "en": "Minutes to return after a no-show"},
    "adm.f.double_call_window_s": {"uk": "Секунд захисту від подвійного «Наступний»", "en": "Seconds of double-Next guard"},
    "adm.f.allow_call_specific": {"uk": "Дозволити виклик конкретного талона поза чергою", "en": "Allow calling a particular ticket out of turn"},
    "adm.f.observe_public_holidays": {"uk": "Зважати на святкові дні (поза воєнним станом)", "en": "Observe public holidays (outside martial law)"},
    "adm.f.announce_en": {"uk": "Оголошувати виклики також англійською", "en": "Also announce calls in English"},
    "adm.f.outcome_required": {"uk": "Вимагати результат прийому перед наступним викликом", "en": "Require an outcome before the next call"},
    "adm.f.prefix": {"uk": "Літера талона", "en": "Ticket prefix"},
    "adm.f.description_uk": {"uk": "Опис українською", "en": "Description in Ukrainian"},
    "adm.f.description_en": {"uk": "Опис англійською", "en": "Description in English"},
    "adm.f.kind": {"uk": "Вид", "en": "Kind"},
    "adm.f.daily_limit": {"uk": "Денний ліміт талонів", "en": "Daily ticket limit"},
    "adm.f.daily_limit_hint": {"uk": "порожньо — без ліміту", "en": "empty — no limit"},
    "adm.f.target_wait_min": {"uk": "Цільове очікування, хв", "en": "Target wait, min"},
    "adm.f.default_service_min": {"uk": "Типова тривалість прийому, хв", "en": "Default service time, min"},
    "adm.f.walk_ins": {"uk": "Приймати також без запису (лише керівництво)", "en": "Also take walk-ins (leadership only)"},
    "adm.f.is_active": {"uk": "Діє", "en": "Active"},
    "adm.f.zone": {"uk": "Зона (для табло)", "en": "Zone (for displays)"},
    "adm.f.services": {"uk": "Послуги та вага", "en": "Services and weight"},
    "adm.f.weight": {"uk": "вага", "en": "weight"},
    "adm.f.desk_call_specific": {"uk": "Можна викликати конкретний талон", "en": "May call a particular ticket"},
    "adm.f.device_name": {"uk": "Назва", "en": "Name"},
    "adm.f.username": {"uk": "Імʼя для входу", "en": "Username"},
    "adm.f.full_name": {"uk": "Прізвище та імʼя", "en": "Full name"},
    "adm.f.position": {"uk": "Посада", "en": "Position"},
    "adm.f.password": {"uk": "Пароль (щонайменше 8 символів)", "en": "Password (at least 8 characters)"},
    "adm.f.new_password": {"uk": "Новий пароль", "en": "New password"},
    "adm.users.temporary_note": {
        "uk": "Пароль тимчасовий: після входу працівник має змінити його на власний.",
        "en": "The password is temporary: after signing in the user must choose their own.",
    },
    "adm.users.must_change": {"uk": "має змінити пароль", "en": "must change password"},
    "adm.f.roles": {"uk": "Ролі", "en": "Roles"},
    "adm.f.offices": {"uk": "Установи", "en": "Offices"},
    "adm.f.disabled": {"uk": "Вимкнено (не може увійти)", "en": "Disabled (cannot sign in)"},
    "adm.f.code": {"uk": "Код", "en": "Code"},
    "adm.f.service_kind": {"uk": "Для послуг", "en": "For services"},
    "adm.f.settings": {"uk": "Правила черги", "en": "Queue rules"},
    "adm.f.status": {"uk": "Стан", "en": "State"},
    # values
    "adm.kind.specialist": {"uk": "фахівець", "en": "specialist"},
    "adm.kind.leadership": {"uk": "керівництво", "en": "leadership"},
    "adm.desk.window": {"uk": "вікно", "en": "window"},
    "adm.desk.cabinet": {"uk": "кабінет", "en": "cabinet"},
    "adm.desk.room": {"uk": "зала", "en": "room"},
    "adm.role.admin": {"uk": "адміністратор", "en": "administrator"},
    "adm.role.manager": {"uk": "керівник установи", "en": "manager"},
    "adm.role.operator": {"uk": "оператор", "en": "operator"},
    "adm.role.leader": {"uk": "керівництво (прийом)", "en": "leader"},
    "adm.role.call_centre": {"uk": "контакт-центр", "en": "call centre"},
    "adm.role.auditor": {"uk": "аудитор", "en": "auditor"},
    # devices
    "adm.dev.kiosk": {"uk": "Кіоск", "en": "Kiosk"},
    "adm.dev.display": {"uk": "Табло", "en": "Display"},
    "adm.dev.last_seen": {"uk": "Останній звʼязок", "en": "Last seen"},
    "adm.dev.never": {"uk": "ще не виходив на звʼязок", "en": "not seen yet"},
    "adm.dev.revoked": {"uk": "доступ відкликано", "en": "access revoked"},
    "adm.dev.revoke": {"uk": "Відкликати доступ", "en": "Revoke access"},
    "adm.dev.revoke_hint": {"uk": "Пристрій одразу перестане працювати; щоб повернути його, зареєструйте знову.",
                            "en": "The device stops working at once; to bring it back, register it again."},
    "adm.dev.rename": {"uk": "Перейменувати", "en": "Rename"},
    "adm.dev.pair_hint": {"uk": "Код дійсний 10 хвилин і лише один раз. Пристрій без підʼєднання сам показує "
                                "сторінку з полем для коду.",
                          "en": "A code works once, for 10 minutes. An unpaired device shows the page with the code "
                                "field by itself."},
    "adm.pair.title": {"uk": "Підʼєднання пристрою", "en": "Pairing a device"},
    "adm.pair.lead": {"uk": "Введіть шестизначний код, який показав керівник установи в розділі «Кіоски й табло».",
                      "en": "Enter the six-digit code the office manager got under “Kiosks and displays”."},
    "adm.pair.code": {"uk": "Код", "en": "Code"},
    "adm.pair.submit": {"uk": "Підʼєднати", "en": "Pair"},
    "adm.pair.too_many": {"uk": "Забагато невдалих спроб. Зачекайте 10 хвилин або попросіть новий код.",
                          "en": "Too many failed tries. Wait 10 minutes or ask for a new code."},
    "adm.pair.new": {"uk": "Підʼєднати новий пристрій", "en": "Pair a new device"},
    "adm.pair.make": {"uk": "Отримати код", "en": "Get a code"},
    "adm.pair.issued": {"uk": "Код для пристрою «{name}»: {code}. Відкрийте на ньому сторінку /pair і введіть код до {until}.",
                        "en": "Code for “{name}”: {code}. Open /pair on the device and enter it before {until}."},
    # users
    "adm.users.new": {"uk": "Новий користувач", "en": "New user"},
    "adm.users.edit": {"uk": "Змінити", "en": "Edit"},
    "adm.users.reset": {"uk": "Скинути пароль", "en": "Reset password"},
    "adm.users.disabled": {"uk": "вимкнено", "en": "disabled"},
    "adm.users.you": {"uk": "це ви", "en": "you"},
    # lists
    "adm.lists.categories": {"uk": "Пільгові категорії", "en": "Priority categories"},
    "adm.lists.outcomes": {"uk": "Результати прийому", "en": "Outcomes"},
    "adm.lists.new": {"uk": "Новий запис", "en": "New entry"},
    "adm.lists.hint": {"uk": "Записи не видаляються: вимкнений зникає з кіосків і робочих місць, але лишається в історії.",
                       "en": "Entries are never deleted: an inactive one leaves kiosks and desks but stays in history."},
    # audit
    "adm.audit.title": {"uk": "Журнал аудиту", "en": "Audit log"},
    "adm.audit.from": {"uk": "З дати", "en": "From"},
    "adm.audit.to": {"uk": "По дату", "en": "To"},
    "adm.audit.kind": {"uk": "Що змінено", "en": "What"},
    "adm.audit.any": {"uk": "усе", "en": "everything"},
    "adm.audit.all_offices": {"uk": "усі установи", "en": "all offices"},
    "adm.audit.when": {"uk": "Коли", "en": "When"},
    "adm.audit.who": {"uk": "Хто", "en": "Who"},
    "adm.audit.action": {"uk": "Дія", "en": "Action"},
    "adm.audit.object": {"uk": "Обʼєкт", "en": "Object"},
    "adm.audit.change": {"uk": "Було → стало", "en": "Before → after"},
    "adm.audit.system": {"uk": "система", "en": "system"},
    "adm.audit.limit": {"uk": "Показано не більше {limit} останніх записів; звузьте пошук, щоб побачити давніші.",
                        "en": "At most the {limit} latest entries are shown; narrow the search to see older ones."},
    "adm.audit.readonly": {"uk": "Журнал лише доповнюється: записи в ньому не можна змінити чи видалити.",
                           "en": "The log is append-only: its entries cannot be changed or deleted."},
    "adm.obj.office": {"uk": "установа", "en": "office"},
    "adm.obj.service": {"uk": "послуга", "en": "service"},
    "adm.obj.desk": {"uk": "робоче місце", "en": "desk"},
    "adm.obj.user": {"uk": "користувач", "en": "user"},
    "adm.obj.device": {"uk": "пристрій", "en": "device"},
    "adm.obj.category": {"uk": "пільгова категорія", "en": "priority category"},
    "adm.obj.outcome": {"uk": "результат прийому", "en": "outcome"},
    "adm.obj.reception_record": {"uk": "картка прийому", "en": "reception record"},
    "adm.act.record.create": {"uk": "створено картку прийому", "en": "record created"},
    "adm.act.record.update": {"uk": "змінено картку прийому", "en": "record changed"},
    "adm.act.record.view": {"uk": "переглянуто картку прийому", "en": "record viewed"},
    "adm.act.record.list": {"uk": "переглянуто перелік карток", "en": "records listed"},
    "adm.act.record.print": {"uk": "надруковано картку прийому", "en": "record printed"},
    "adm.act.record.anonymise": {"uk": "знеособлено картку прийому", "en": "record anonymised"},
    "adm.act.appointment.book": {"uk": "записано на прийом", "en": "appointment booked"},
    "adm.act.appointment.cancel": {"uk": "скасовано запис на прийом", "en": "appointment cancelled"},
    "adm.act.appointment.rebook": {"uk": "перенесено запис на прийом", "en": "appointment moved"},
    "adm.act.appointment.anonymise": {"uk": "знеособлено запис на прийом", "en": "appointment anonymised"},
    "adm.act.leader.create": {"uk": "додано керівника до графіка", "en": "leader added"},
    "adm.act.rule.create": {"uk": "додано правило графіка", "en": "schedule rule added"},
    "adm.act.rule.end": {"uk": "завершено правило графіка", "en": "schedule rule ended"},
    "adm.act.rule.exception.cancel": {"uk": "скасовано прийом за графіком", "en": "reception cancelled"},
    "adm.act.rule.exception.move": {"uk": "перенесено прийом за графіком", "en": "reception moved"},
    "adm.act.session.remote": {"uk": "змінено формат прийому", "en": "reception format changed"},
    "adm.obj.appointment": {"uk": "запис на прийом", "en": "appointment"},
    "adm.obj.leader": {"uk": "керівник", "en": "leader"},
    "adm.obj.reception_rule": {"uk": "правило графіка", "en": "schedule rule"},
    "adm.obj.reception_session": {"uk": "прийом", "en": "reception"},
    "adm.f.opening_hours": {"uk": "Години роботи", "en": "Opening hours"},
    "adm.f.office": {"uk": "Установа", "en": "Office"},
    "adm.f.leader": {"uk": "Керівник", "en": "Leader"},
    "adm.f.name": {"uk": "Назва", "en": "Name"},
    "adm.f.active": {"uk": "Діє", "en": "Active"},
    "adm.f.disabled_state": {"uk": "Вимкнено", "en": "Disabled"},
    "adm.f.weights": {"uk": "Вага послуг", "en": "Service weights"},
    "adm.f.automatic": {"uk": "Автоматично", "en": "Automatic"},
    "adm.f.id": {"uk": "Номер", "en": "Number"},
    "adm.f.lang": {"uk": "Мова", "en": "Language"},
    "adm.act.office.update": {"uk": "змінено установу", "en": "office changed"},
    "adm.act.office.leadership_settings": {"uk": "змінено налаштування прийому керівництва", "en": "leadership settings changed"},
    "adm.act.service.update": {"uk": "змінено послугу", "en": "service changed"},
    "adm.act.desk.update": {"uk": "змінено робоче місце", "en": "desk changed"},
    "adm.act.user.create": {"uk": "створено користувача", "en": "user created"},
    "adm.act.user.update": {"uk": "змінено користувача", "en": "user changed"},
    "adm.act.user.password": {"uk": "скинуто пароль", "en": "password reset"},
    "adm.act.user.locked": {"uk": "вхід заблоковано після невдалих спроб", "en": "sign-in locked after failures"},
    "adm.act.device.create": {"uk": "зареєстровано пристрій", "en": "device registered"},
    "adm.act.device.rename": {"uk": "перейменовано пристрій", "en": "device renamed"},
    "adm.act.device.revoke": {"uk": "відкликано доступ пристрою", "en": "device revoked"},
    "adm.act.category.create": {"uk": "додано пільгову категорію", "en": "priority category added"},
    "adm.act.category.update": {"uk": "змінено пільгову категорію", "en": "priority category changed"},
    "adm.act.outcome.create": {"uk": "додано результат прийому", "en": "outcome added"},
    "adm.act.outcome.update": {"uk": "змінено результат прийому", "en": "outcome changed"},
})


def field_label(key: str, lang: str) -> str:
    """A field's name for the audit page; unknown fields keep their code."""
    found = i18n.t(f"adm.f.{key}", lang)
    return key if found == f"adm.f.{key}" else found


VALUE_WORDS = {"roles": ("adm.role",), "kind": ("adm.dev", "adm.kind", "adm.desk"),
               "service_kind": ("adm.kind",)}


def describe(value: Any, lang: str, key: str | None = None) -> str:
    """An audit value in words: switches as так/ні, hours by weekday, nested fields with their names."""
    if isinstance(value, bool):
        return i18n.t("adm.yes" if value else "adm.no", lang)
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if key == "opening_hours" and isinstance(value, dict):
        return "; ".join(f"{WEEKDAYS_SHORT[d][0 if lang == 'uk' else 1]} " + ", ".join(f"{a}–{b}" for a, b in v)
                         for d, v in sorted(value.items()) if d in WEEKDAYS_SHORT)
    if isinstance(value, dict):
        return "; ".join(f"{field_label(k, lang)}: {describe(v, lang, k)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(describe(v, lang, key) for v in value)
    for prefix in VALUE_WORDS.get(key or "", ()):  # codes of kinds and roles, in words
        found = i18n.t(f"{prefix}.{value}", lang)
        if found != f"{prefix}.{value}":
            return found.lower() if prefix == "adm.dev" else found
    return str(value)


def action_label(action: str, lang: str) -> str:
    found = i18n.t(f"adm.act.{action}", lang)
    return action if found == f"adm.act.{action}" else found


def object_label(kind: str, lang: str) -> str:
    found = i18n.t(f"adm.obj.{kind}", lang)
    return kind if found == f"adm.obj.{kind}" else found
