"""Messages of leadership reception, Ukrainian first (registered on import)."""

from __future__ import annotations

from .. import i18n

KINDS = {
    "proposal": ("Пропозиція (зауваження)", "Proposal (remark)"),
    "application": ("Заява (клопотання)", "Application (petition)"),
    "complaint": ("Скарга", "Complaint"),
}
AUTHORSHIP = {
    "individual": ("Індивідуальне", "Individual"),
    "collective": ("Колективне", "Collective"),
    "anonymous": ("Анонімне", "Anonymous"),
}
FORMS = {"personal_reception": ("На особистому прийомі (усне)", "At personal reception (oral)")}
ANSWER_METHODS = {
    "": ("—", "—"),
    "oral": ("Усно під час прийому", "Orally at reception"),
    "letter": ("Письмова відповідь поштою", "Written answer by post"),
    "email": ("Електронною поштою", "By e-mail"),
    "phone": ("Телефоном", "By phone"),
    "in_person": ("Вручено особисто", "Handed in person"),
}
APPOINTMENT_STATUS = {
    "booked": ("Записано", "Booked"),
    "checked_in": ("Зареєструвався", "Checked in"),
    "waiting": ("Очікує виклику", "Waiting to be called"),
    "called": ("Викликано", "Called"),
    "serving": ("На прийомі", "Being received"),
    "served": ("Прийнято", "Received"),
    "no_show": ("Не зʼявився", "No-show"),
    "needs_rebooking": ("Потрібно перенести", "Needs rebooking"),
    "cancelled": ("Скасовано", "Cancelled"),
}


# --- how a recurring reception rule reads ----------------------------------------------------------
# Ukrainian ordinals agree with the weekday's gender (перший вівторок, перша середа); "every
# Tuesday" is one adverb (щовівторка), not "щотижня, вівторок".

WEEKDAYS = {1: ("понеділок", "Monday"), 2: ("вівторок", "Tuesday"), 3: ("середа", "Wednesday"),
            4: ("четвер", "Thursday"), 5: ("пʼятниця", "Friday"), 6: ("субота", "Saturday"), 7: ("неділя", "Sunday")}
FEMININE_WEEKDAYS = frozenset({3, 5, 6, 7})
EVERY_WEEKDAY_UK = {1: "щопонеділка", 2: "щовівторка", 3: "щосереди", 4: "щочетверга", 5: "щопʼятниці",
                    6: "щосуботи", 7: "щонеділі"}
ORDINALS_UK = {1: ("перший", "перша"), 2: ("другий", "друга"), 3: ("третій", "третя"), 4: ("четвертий", "четверта"),
               5: ("пʼятий", "пʼята"), -1: ("останній", "остання")}
ORDINALS_EN = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last"}
NTH_CHOICES = (None, 1, 2, 3, 4, 5, -1)


def rule_phrase(weekday: int, nth: int | None, lang: str = "uk") -> str:
    """"щовівторка", "перша середа місяця", "остання неділя місяця"; "every Tuesday", "last Sunday of the month"."""
    if lang == "en":
        day = WEEKDAYS[weekday][1]
        return f"every {day}" if nth is None else f"{ORDINALS_EN[nth]} {day} of the month"
    if nth is None:
        return EVERY_WEEKDAY_UK[weekday]
    return f"{ORDINALS_UK[nth][weekday in FEMININE_WEEKDAYS]} {WEEKDAYS[weekday][0]} місяця"


def rule_phrases(lang: str) -> dict[int, dict[str, str]]:
    """Every weekday's phrases by ``nth`` ("" for weekly): the rule form relabels its choices from these."""
    return {wd: {"" if n is None else str(n): rule_phrase(wd, n, lang) for n in NTH_CHOICES} for wd in WEEKDAYS}


# The rule checks (``rules.Rule``) speak English to developers; people get these instead.
RULE_PROBLEMS = {
    "weekday must be 1..7": "weekday",
    "nth must be 1..5 or -1": "nth",
    "start must be before end": "start_end",
    "slot_min must be 5..240": "slot_min",
    "the time range holds no slot": "no_slot",
    "valid_to is before valid_from": "valid_to",
    "capacity must be positive": "capacity",
    "a move needs a new date or time": "move",
}


def rule_problem(problem: str) -> str:
    """The ``problem.rule_*`` text for a rule check's complaint (a bad "HH:MM" has the value in it)."""
    if problem.startswith("time "):
        return "rule_time"
    return "rule_" + RULE_PROBLEMS.get(problem, "other")


def label(table: dict[str, tuple[str, str]], key: str | None, lang: str) -> str:
    uk, en = table.get(key or "", (key or "", key or ""))
    return en if lang == "en" else uk


# Field names as the forms label them, for messages that name a field (``error.field_*``).
FIELD_LABELS = {
    "received_by_name": ("Хто приймав (ПІБ)", "Received by (name)"),
    "reception_date": ("Дата прийому", "Reception date"),
    "removed_from_control": ("Дата зняття з контролю", "Removed from control on"),
    "extended_to": ("Продовжити строк до", "Extend the deadline to"),
    "kind": ("Вид звернення", "Kind of appeal"),
    "authorship": ("Ознака звернення", "Authorship"),
    "answer_method": ("Спосіб надання відповіді", "How the answer was given"),
    "questions": ("Короткий зміст питань", "Summary of questions"),
    "leader_id": ("Керівник", "Leader"),
    "leader": ("Керівник", "Leader"),
    "version": ("Версія картки", "Record version"),
    "state": ("Контроль", "Control"),
    "from": ("Прийом з", "Reception from"),
    "to": ("Прийом по", "Reception to"),
    "slot": ("Час прийому", "Reception time"),
    "session": ("Прийом", "Reception"),
    "date": ("Дата", "Date"),
    "new_date": ("Нова дата", "New date"),
    "action": ("Виняток", "Exception"),
    "weekday": ("День тижня", "Weekday"),
    "slot_min": ("Хвилин на відвідувача", "Minutes per visitor"),
    "capacity": ("Місць", "Places"),
    "valid_from": ("Діє з", "Valid from"),
    "valid_to": ("Діє до", "Valid to"),
    "name_uk": ("ПІБ (українською)", "Full name (Ukrainian)"),
    "name_en": ("ПІБ (англійською)", "Full name (English)"),
    "position_uk": ("Посада (українською)", "Position (Ukrainian)"),
    "position_en": ("Посада (англійською)", "Position (English)"),
    "user": ("Обліковий запис (логін)", "Account (username)"),
    "video_url": ("Посилання на відеозвʼязок", "Video link"),
    "holiday_eve_shorten_min": ("Скорочення напередодні свята, хв", "Shorter on a holiday eve, min"),
    "booking_cutoff_working_days": ("Запис закривається за, роб. днів", "Booking closes, working days before"),
    "reception_horizon_days": ("Публікувати наперед, днів", "Publish ahead, days"),
    "checkin_early_min": ("Реєстрація в кіоску за, хв до часу", "Kiosk check-in opens, min before"),
    "checkin_late_min": ("Реєстрація в кіоску до, хв після", "Kiosk check-in until, min after"),
}
i18n.register({f"field.{name}": {"uk": uk, "en": en} for name, (uk, en) in FIELD_LABELS.items()})

i18n.register(
    {
        "error.unknown_leader": {"uk": "Керівника не знайдено.", "en": "Leader not found."},
        "error.unknown_rule": {"uk": "Правило прийому не знайдено.", "en": "Reception rule not found."},
        "error.unknown_session": {"uk": "Сесію прийому не знайдено.", "en": "Reception session not found."},
        "error.unknown_appointment": {"uk": "Запис не знайдено.", "en": "Appointment not found."},
        "error.unknown_record": {"uk": "Картку прийому не знайдено.", "en": "Reception record not found."},
        "problem.rule_weekday": {"uk": "оберіть день тижня.", "en": "choose the weekday."},
        "problem.rule_nth": {"uk": "оберіть, як часто: щотижня або котрий день місяця.", "en": "choose how often: every week or which day of the month."},
        "problem.rule_start_end": {"uk": "початок прийому має бути раніше за його кінець.", "en": "the reception must start before it ends."},
        "problem.rule_slot_min": {"uk": "час на одного відвідувача — від 5 до 240 хв.", "en": "time per visitor is 5 to 240 min."},
        "problem.rule_no_slot": {"uk": "у цей проміжок не вміщується жоден відвідувач: подовжте прийом або скоротіть час на відвідувача.", "en": "not one visitor fits this time: make the reception longer or the time per visitor shorter."},
        "problem.rule_valid_to": {"uk": "дата «Діє до» не може бути раніше за дату «Діє з».", "en": "“Valid to” cannot be before “Valid from”."},
        "problem.rule_capacity": {"uk": "кількість місць має бути більшою за нуль.", "en": "places must be more than zero."},
        "problem.rule_time": {"uk": "час вказують як ГГ:ХХ, наприклад 10:00.", "en": "give the time as HH:MM, e.g. 10:00."},
        "problem.rule_move": {"uk": "для перенесення вкажіть нову дату або новий час.", "en": "a move needs a new date or a new time."},
        "problem.rule_other": {"uk": "перевірте дні, час і дати правила.", "en": "check the days, times and dates of the rule."},
        "error.record_questions": {
            "uk": "Вкажіть короткий зміст хоча б одного питання.",
            "en": "Give the summary of at least one question.",
        },
        "error.unknown_user": {"uk": "Обліковий запис «{user}» не знайдено.", "en": "Account {user!s} not found."},
        "error.video_url_required": {
            "uk": "Для дистанційного прийому вкажіть посилання на відеозвʼязок (https://…).",
            "en": "A remote reception needs a video link (https://…).",
        },
        "error.bad_phone": {
            "uk": "Номер телефону «{phone}» не існує: перевірте кількість цифр і код оператора "
                  "(наприклад, 050 111 22 33 або +380 50 111 22 33).",
            "en": "The phone number {phone!s} cannot exist: check the digits and the operator code "
                  "(e.g. 050 111 22 33 or +380 50 111 22 33).",
        },
        "error.bad_phone_query": {
            "uk": "«{phone}» — не повний номер телефону. Введіть номер повністю, наприклад 050 111 22 33.",
            "en": "{phone!s} is not a whole phone number. Enter the full number, e.g. 050 111 22 33.",
        },
        "error.appointment_query": {
            "uk": "Вкажіть код запису, номер телефону або прізвище.",
            "en": "Give a booking code, a phone number or a surname.",
        },
        # ``problem`` names a ``problem.*`` text below (the rule check's own English stays in ``detail``).
        "error.bad_rule": {"uk": "Правило прийому некоректне: {problem}", "en": "Invalid reception rule: {problem}"},
        "error.not_rule_date": {
            "uk": "{date} — не дата прийому за цим правилом.",
            "en": "{date!s} is not a reception date of this rule.",
        },
        "error.exception_exists": {
            "uk": "Для дати {date} уже є виняток.",
            "en": "There is already an exception for {date!s}.",
        },
        "error.session_full": {
            "uk": "Усі місця на цей прийом уже зайняті. Оберіть інший день.",
            "en": "This reception is fully booked. Choose another day.",
        },
        "error.slot_taken": {
            "uk": "Час {slot} уже зайнятий. Оберіть інший.",
            "en": "The {slot!s} slot is taken. Choose another.",
        },
        "error.not_a_slot": {
            "uk": "{slot} — не початок жодного часу прийому цієї сесії.",
            "en": "{slot!s} is not the start of a slot of this session.",
        },
        "error.session_cancelled": {"uk": "Цей прийом скасовано.", "en": "This reception has been cancelled."},
        "error.booking_closed": {
            "uk": "Запис на прийом {date} закрито (не пізніше ніж за {days} роб. дн.).",
            "en": "Booking for the {date!s} reception has closed ({days} working days ahead).",
        },
        "error.session_has_bookings": {
            "uk": "На новий час не вміщуються вже записані відвідувачі ({booked}).",
            "en": "The booked visitors ({booked}) do not fit the new time.",
        },
        "error.appointment_not_active": {
            "uk": "Запис уже {status}: змінити його не можна.",
            "en": "The appointment is already {status}: it cannot be changed.",
        },
        "error.checkin_unknown": {
            "uk": "Код запису не знайдено. Перевірте код або зверніться до адміністратора.",
            "en": "Booking code not found. Check the code or ask staff.",
        },
        "error.checkin_too_early": {
            "uk": "Ще зарано: реєстрація на прийом о {slot} відкриється о {opens}.",
            "en": "Too early: check-in for your {slot!s} appointment opens at {opens!s}.",
        },
        "error.checkin_too_late": {
            "uk": "Час запису ({slot}) минув. Зверніться до адміністратора залу.",
            "en": "Your appointment time ({slot!s}) has passed. Please ask staff.",
        },
        "error.checkin_cancelled": {
            "uk": "Цей запис скасовано. Зверніться до контакт-центру.",
            "en": "This appointment was cancelled. Please call the contact centre.",
        },
        "error.checkin_twice": {
            "uk": "Ви вже зареєструвалися: ваш талон {code}.",
            "en": "You have already checked in: your ticket is {code!s}.",
        },
        "error.checkin_remote": {
            "uk": "Цей прийом відбувається дистанційно за відеозвʼязком — реєстрація в залі не потрібна.",
            "en": "This reception is held remotely by video link — no check-in in the hall is needed.",
        },
        "error.checkin_needs_rebooking": {
            "uk": "Через призупинення прийому ваш час сьогодні не вміщується в прийом. "
                  "Вам зателефонують із контакт-центру й запропонують інший день.",
            "en": "Because reception was suspended, your time no longer fits today's reception. "
                  "The contact centre will call you to offer another day.",
        },
        "error.no_leadership_service": {
            "uk": "Послугу особистого прийому керівництвом не налаштовано.",
            "en": "No leadership reception service is configured.",
        },
        "error.extension_reason": {
            "uk": "Для продовження строку вкажіть причину.",
            "en": "Give the reason for the extension.",
        },
        "error.extension_not_informed": {
            "uk": "Продовжити строк можна лише з повідомленням заявника: позначте, що його повідомлено.",
            "en": "An extension needs the applicant informed: tick that they were told.",
        },
        "error.extension_not_later": {
            "uk": "Новий строк має бути пізніше за чинний ({due}).",
            "en": "The new deadline must be later than the current one ({due!s}).",
        },
        "error.extension_beyond_45": {
            "uk": "Загальний строк розгляду не може перевищувати 45 днів (до {limit}).",
            "en": "The total term cannot exceed 45 days (until {limit!s}).",
        },
        "error.index_pattern": {
            "uk": "Шаблон індексу некоректний: у ньому має бути порядковий номер картки й лише відомі поля.",
            "en": "The index pattern is invalid: it needs the record's sequence number and known fields only.",
        },
        "error.record_visitor": {
            "uk": "Вкажіть прізвище та імʼя заявника (або позначте звернення анонімним).",
            "en": "Give the applicant's surname and name (or mark the appeal anonymous).",
        },
        "error.removed_before_reception": {
            "uk": "Дата зняття з контролю не може бути раніше дати прийому.",
            "en": "The removal date cannot be before the reception date.",
        },
        "error.record_changed": {
            "uk": "Картку щойно змінив інший користувач. Оновіть сторінку.",
            "en": "Someone else has just changed this record. Reload the page.",
        },
        "confirm.booked": {
            "uk": "Вас записано на особистий прийом. Приймає: {leader}, {position}. Дата і час: {date} о {time}. "
                  "Місце: {place}. Код запису: {code}.",
            "en": "You are booked for a personal reception. Received by: {leader}, {position}. "
                  "Date and time: {date} at {time}. Place: {place}. Booking code: {code}.",
        },
        "confirm.hall": {
            "uk": "Прийдіть заздалегідь: реєстрація відкривається за {early} хв. Введіть код у терміналі "
                  "в залі та отримайте талон. Майте при собі документ, що посвідчує особу.",
            "en": "Please arrive early: check-in opens {early} min before. Enter the code at the terminal in the "
                  "hall and take your ticket. Bring an identity document.",
        },
        "confirm.remote": {
            "uk": "Прийом відбудеться дистанційно за відеозвʼязком. Посилання: {url}",
            "en": "The reception is held remotely by video link. Link: {url}",
        },
        "confirm.cancel_hint": {
            "uk": "Щоб скасувати або перенести запис, зателефонуйте до контакт-центру й назвіть код.",
            "en": "To cancel or move the booking, call the contact centre and give the code.",
        },
        "place.remote": {"uk": "дистанційно", "en": "remote"},
    }
)
