"""Ukrainian first, English second: message catalogues and lookup.

Each package registers its own catalogue (``register``) so the kiosk, display and back
office own their texts.  A key missing in English falls back to Ukrainian, never to a key.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

LANGS = ("uk", "en")
DEFAULT_LANG = "uk"

# Month names as a date is written: "1 грудня 2026" (genitive in Ukrainian), "1 December 2026".
MONTHS = {
    "uk": ("січня", "лютого", "березня", "квітня", "травня", "червня", "липня", "серпня", "вересня", "жовтня",
           "листопада", "грудня"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
}

_CATALOG: dict[str, dict[str, str]] = {}


def register(messages: dict[str, dict[str, str]]) -> None:
    for key, texts in messages.items():
        if "uk" not in texts:
            raise ValueError(f"message {key!r} has no Ukrainian text")
        _CATALOG[key] = texts


def format_date(day: date, lang: str = DEFAULT_LANG) -> str:
    """A calendar date the way people write it: "1 грудня 2026" / "1 December 2026", never ISO."""
    months = MONTHS.get(lang, MONTHS[DEFAULT_LANG])
    return f"{day.day} {months[day.month - 1]} {day.year}"


def _readable(name: str, value: Any, lang: str) -> Any:
    """A parameter as a person reads it: a date written out; a ``field`` by its label (``field.<name>``),
    a ``problem`` by its text (``problem.<name>``)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return format_date(value, lang)
    if name in ("field", "problem") and isinstance(value, str) and f"{name}.{value}" in _CATALOG:
        return t(f"{name}.{value}", lang)
    return value


def t(key: str, lang: str = DEFAULT_LANG, **params: Any) -> str:
    """The message ``key`` in ``lang``; dates and field names in its parameters are put in words."""
    texts = _CATALOG.get(key)
    if texts is None:
        return key
    text = texts.get(lang) or texts["uk"]
    try:
        return text.format(**{name: _readable(name, value, lang) for name, value in params.items()})
    except (KeyError, IndexError, ValueError):
        return text


def best_lang(candidates: list[str | None]) -> str:
    for lang in candidates:
        if lang and lang[:2].lower() in LANGS:
            return lang[:2].lower()
    return DEFAULT_LANG


def localized(obj: Any, attr: str, lang: str) -> str:
    """``obj.name_uk`` / ``obj.name_en`` by language, Ukrainian when English is empty."""
    value = getattr(obj, f"{attr}_{lang}", None) if lang != "uk" else None
    return value or getattr(obj, f"{attr}_uk")


register(
    {
        "error.bad_request": {"uk": "Некоректний запит.", "en": "Bad request."},
        "error.malformed_json": {
            "uk": "Тіло запиту має бути коректним обʼєктом JSON.",
            "en": "The request body must be a valid JSON object.",
        },
        "error.validation": {"uk": "Дані запиту некоректні: {detail}", "en": "Invalid request data: {detail}"},
        # ``field`` is a field's name; its label comes from ``field.<name>`` (registered by the owning package).
        "error.field_required": {"uk": "Заповніть поле «{field}».", "en": "Fill in “{field}”."},
        "error.field_date": {
            "uk": "Поле «{field}»: потрібна дата, наприклад 01.12.2026.",
            "en": "“{field}”: a date is needed, e.g. 01.12.2026.",
        },
        "error.field_number": {"uk": "Поле «{field}»: потрібне ціле число.", "en": "“{field}”: a whole number is needed."},
        "error.field_range": {
            "uk": "Поле «{field}»: число від {low} до {high}.",
            "en": "“{field}”: a number from {low} to {high}.",
        },
        "error.field_choice": {
            "uk": "Поле «{field}»: оберіть одне зі значень списку.",
            "en": "“{field}”: choose one of the listed values.",
        },
        "error.not_found": {"uk": "Не знайдено.", "en": "Not found."},
        "error.method": {"uk": "Цей метод тут не підтримується.", "en": "Method not allowed here."},
        "error.unauthorized": {
            "uk": "Потрібна автентифікація: увійдіть або передайте дійсний токен.",
            "en": "Authentication required: sign in or pass a valid token.",
        },
        "error.bad_credentials": {"uk": "Неправильне імʼя користувача або пароль.", "en": "Wrong username or password."},
        "error.locked": {
            "uk": "Забагато невдалих спроб. Спробуйте знову через {minutes} хв.",
            "en": "Too many failed attempts. Try again in {minutes} min.",
        },
        "error.forbidden": {"uk": "Недостатньо прав.", "en": "Not allowed."},
        "error.role": {"uk": "Ваша роль не дозволяє цю дію.", "en": "Your role does not allow this action."},
        "error.other_office": {"uk": "Це інша установа: доступу немає.", "en": "This is another office: no access."},
        "error.other_desk": {
            "uk": "Цього відвідувача викликано до іншого вікна ({desk}): діяти може лише працівник того вікна або керівник.",
            "en": "This visitor was called to another desk ({desk}): only that desk or a manager may act.",
        },
        "error.wrong_current_password": {
            "uk": "Чинний пароль указано неправильно.",
            "en": "The current password is wrong.",
        },
        "error.password_too_short": {
            "uk": "Новий пароль має містити щонайменше {min} символів.",
            "en": "The new password must have at least {min} characters.",
        },
        "error.password_unchanged": {
            "uk": "Новий пароль має відрізнятися від чинного.",
            "en": "The new password must differ from the current one.",
        },
        "error.password_mismatch": {
            "uk": "Паролі не збігаються.",
            "en": "The passwords do not match.",
        },
        "error.password_change_required": {
            "uk": "Спершу змініть пароль: адміністратор видав тимчасовий.",
            "en": "Change your password first: an administrator gave you a temporary one.",
        },
        "error.csrf": {
            "uk": "Сторінка застаріла. Оновіть її та повторіть дію.",
            "en": "The page has expired. Reload it and try again.",
        },
        "error.conflict": {"uk": "Дію неможливо виконати в поточному стані.", "en": "The action conflicts with the current state."},
        "error.concurrent_change": {
            "uk": "Хтось щойно змінив цей талон. Оновіть дані й повторіть.",
            "en": "Someone has just changed this ticket. Refresh and try again.",
        },
        "error.illegal_transition": {
            "uk": "Неможливо виконати «{action}» для талона у стані «{status}».",
            "en": "Cannot {action} a ticket that is {status}.",
        },
        "error.office_closed": {
            "uk": "Установа зараз зачинена. Талони видаються в години роботи.",
            "en": "The office is closed now. Tickets are issued during opening hours.",
        },
        "error.service_closed": {
            "uk": "Ця послуга зараз недоступна: поза годинами її надання.",
            "en": "This service is not available now: outside its hours.",
        },
        "error.booking_required": {
            "uk": "На прийом до керівництва — лише за попереднім записом. Якщо ви записані, введіть код запису.",
            "en": "Leadership reception is by appointment only. If you have booked, enter your booking code.",
        },
        "error.outcome_required": {
            "uk": "Спершу завершіть прийом {code}: оберіть результат або позначте, що відвідувач не зʼявився.",
            "en": "First finish {code}: choose the outcome or mark that the visitor did not come.",
        },
        "error.daily_limit": {
            "uk": "На сьогодні талони на цю послугу закінчилися.",
            "en": "No more tickets for this service today.",
        },
        "error.unknown_office": {"uk": "Установу «{office}» не знайдено.", "en": "Office {office!s} not found."},
        "error.unknown_service": {"uk": "Послугу «{service}» не знайдено.", "en": "Service {service!s} not found."},
        "error.unknown_desk": {"uk": "Робоче місце «{desk}» не знайдено.", "en": "Desk {desk!s} not found."},
        "error.unknown_ticket": {"uk": "Талон не знайдено.", "en": "Ticket not found."},
        "error.unknown_priority": {
            "uk": "Пільгову категорію «{priority}» не знайдено.",
            "en": "Priority category {priority!s} not found.",
        },
        "error.unknown_outcome": {"uk": "Невідомий результат «{outcome}».", "en": "Unknown outcome {outcome!s}."},
        "error.desk_ambiguous": {
            "uk": "Робоче місце «{desk}» є в кількох установах: вкажіть установу.",
            "en": "Desk {desk!s} exists in several offices: name the office.",
        },
        "error.desk_taken": {"uk": "Робоче місце «{desk}» уже зайняте іншим працівником.", "en": "Desk {desk!s} is taken by someone else."},
        "error.desk_not_open": {
            "uk": "Спершу відкрийте робоче місце «{desk}».",
            "en": "Open desk {desk!s} first.",
        },
        "error.desk_busy": {
            "uk": "На робочому місці «{desk}» ще є відвідувач: завершіть прийом.",
            "en": "A visitor is still at desk {desk!s}: finish first.",
        },
        "error.desk_paused": {"uk": "Робоче місце на паузі: відновіть роботу.", "en": "The desk is paused: resume first."},
        "error.call_specific_off": {
            "uk": "Виклик конкретного талона поза чергою тут не дозволено.",
            "en": "Calling a specific ticket out of order is not allowed here.",
        },
        "error.reason_required": {"uk": "Вкажіть причину.", "en": "Give a reason."},
        "error.recalls_needed": {
            "uk": "Перед позначкою «не зʼявився» потрібно {needed} повторних викликів (зроблено {done}).",
            "en": "{needed} recalls are needed before a no-show ({done} done).",
        },
        "error.reactivation_window": {
            "uk": "Повернути в чергу можна лише протягом {minutes} хв.",
            "en": "A ticket can be put back only within {minutes} min.",
        },
        "error.transfer_target": {
            "uk": "Вкажіть послугу або робоче місце, куди перенаправити.",
            "en": "Name a service or a desk to transfer to.",
        },
        "error.lang": {"uk": "Мова має бути «uk» або «en».", "en": "Language must be 'uk' or 'en'."},
        "error.duplicate": {"uk": "Запис «{value}» уже існує.", "en": "{value!s} already exists."},
        "error.device_kind": {
            "uk": "Цей пристрій не є {kind}.",
            "en": "This device is not a {kind}.",
        },
    }
)
