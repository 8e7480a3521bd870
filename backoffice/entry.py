"""Where people start: the landing page at ``/``, the back-office home, and every HTML error page.

One template (``entry/error.html``) serves every HTML error — Werkzeug's (400, 403, 404, 405, 413,
429, 500 …) and a page action's refusal — in the caller's language.  It reads nothing from the
database, so it still renders when the database is what failed.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, render_template, request
from werkzeug.exceptions import HTTPException

from reception import i18n
from reception.bounds import size_in_words
from reception.errors import DomainError
from reception.permissions import Action
from reception.web import guard, localized_error, request_lang, session_user

bp = Blueprint("entry", __name__)

i18n.register({
    "entry.title": {"uk": "Прийомна Міністерства юстиції", "en": "Ministry of Justice reception"},
    "entry.heading": {"uk": "Електронна черга та особистий прийом", "en": "Queue and personal reception"},
    "entry.intro": {
        "uk": "Оберіть, що відкрити на цьому пристрої. Кіоск і табло підʼєднуються один раз за кодом пристрою; "
              "робоче місце й робочий кабінет відкриваються після входу працівника.",
        "en": "Choose what to open on this device. The kiosk and the display are paired once with a device code; "
              "the desk and the staff area open after a staff sign-in.",
    },
    "entry.other_lang": {"uk": "English", "en": "Українською"},
    "entry.kiosk": {"uk": "Кіоск", "en": "Kiosk"},
    "entry.kiosk.text": {"uk": "Термінал у залі: талон у чергу або реєстрація за кодом запису.",
                         "en": "The terminal in the hall: a queue ticket, or check-in with a booking code."},
    "entry.display": {"uk": "Табло", "en": "Display"},
    "entry.display.text": {"uk": "Екран у залі: кого й до якого вікна викликано.",
                           "en": "The hall screen: who is called, and to which desk."},
    "entry.schedule": {"uk": "Графік прийому громадян", "en": "Reception hours"},
    "entry.schedule.text": {"uk": "Коли приймає керівництво — для відвідувачів, без входу.",
                            "en": "When the leadership receives citizens — public, no sign-in."},
    "entry.desk": {"uk": "Робоче місце", "en": "Desk console"},
    "entry.desk.text": {"uk": "Для працівника вікна чи кабінету: виклик, прийом, перенаправлення.",
                        "en": "For a desk or room clerk: call, serve, transfer."},
    "entry.backoffice": {"uk": "Робочий кабінет", "en": "Staff area"},
    "entry.backoffice.text": {"uk": "Запис на прийом, графік, картки прийому, звіти й адміністрування.",
                              "en": "Bookings, schedule, reception records, reports and administration."},
    "page.code": {"uk": "Помилка {status}", "en": "Error {status}"},
    "page.home": {"uk": "На головну", "en": "Home"},
    "page.sign_in": {"uk": "Увійти", "en": "Sign in"},
    "page.400.title": {"uk": "Некоректний запит", "en": "Bad request"},
    "page.400.text": {"uk": "Сервер не зміг зрозуміти запит. Поверніться назад і спробуйте ще раз.",
                      "en": "The server could not understand the request. Go back and try again."},
    "page.401.title": {"uk": "Потрібно увійти", "en": "Sign-in required"},
    "page.401.text": {"uk": "Увійдіть, щоб відкрити цю сторінку.", "en": "Sign in to open this page."},
    "page.403.title": {"uk": "Доступ заборонено", "en": "Access denied"},
    "page.403.text": {"uk": "Ваша роль не дозволяє відкрити цю сторінку. Якщо це помилка, зверніться до адміністратора.",
                      "en": "Your role does not open this page. If this is a mistake, ask the administrator."},
    "page.404.title": {"uk": "Сторінку не знайдено", "en": "Page not found"},
    "page.404.text": {"uk": "Такої сторінки немає. Перевірте адресу або почніть із головної.",
                      "en": "There is no such page. Check the address or start from the home page."},
    "page.405.title": {"uk": "Так цю сторінку не відкрити", "en": "Not available this way"},
    "page.405.text": {"uk": "Цю дію виконують кнопкою на сторінці, а не за посиланням. Поверніться назад.",
                      "en": "This action is done with a button on its page, not through a link. Go back."},
    "page.409.title": {"uk": "Дію не виконано", "en": "Not done"},
    "page.409.text": {"uk": "Дія суперечить поточному стану. Оновіть сторінку й спробуйте ще раз.",
                      "en": "The action conflicts with the current state. Reload the page and try again."},
    "page.413.title": {"uk": "Завеликий обсяг даних", "en": "Too much data"},
    "page.413.text": {"uk": "Надіслано забагато даних за один раз. Зменште обсяг і спробуйте знову.",
                      "en": "Too much data was sent at once. Send less and try again."},
    "page.422.title": {"uk": "Некоректні дані", "en": "Invalid data"},
    "page.422.text": {"uk": "Перевірте введені дані й спробуйте ще раз.", "en": "Check what was entered and try again."},
    "page.429.title": {"uk": "Забагато спроб", "en": "Too many attempts"},
    "page.429.text": {"uk": "Зачекайте кілька хвилин і спробуйте знову.", "en": "Wait a few minutes and try again."},
    "page.500.title": {"uk": "Внутрішня помилка", "en": "Internal error"},
    "page.500.text": {"uk": "На сервері сталася помилка; її вже записано. Спробуйте трохи пізніше.",
                      "en": "Something went wrong on the server; it has been logged. Try again a little later."},
    "page.503.title": {"uk": "Сервіс тимчасово недоступний", "en": "Temporarily unavailable"},
    "page.503.text": {"uk": "Спробуйте трохи пізніше.", "en": "Try again a little later."},
})

# (key, path): the public paths of API.md, in the order a visitor meets them.
ENTRY_POINTS = (("kiosk", "/kiosk"), ("display", "/display"), ("schedule", "/schedule"), ("desk", "/desk"),
                ("backoffice", "/backoffice"))
KNOWN_STATUSES = frozenset({400, 401, 403, 404, 405, 409, 413, 422, 429, 500, 503})


@bp.get("/")
@guard(Action.PUBLIC)
def landing() -> Any:
    lang = request_lang()
    entries = [{"key": key, "url": path, "title": i18n.t(f"entry.{key}", lang), "text": i18n.t(f"entry.{key}.text", lang)}
               for key, path in ENTRY_POINTS]
    return render_template("entry/landing.html", entries=entries, other_lang="en" if lang == "uk" else "uk")


@bp.get("/backoffice")
@guard(Action.STAFF_HOME)
def backoffice_home() -> Any:
    """The back office's front door: the sections the signed-in user's roles open (sign-in first)."""
    user = session_user()
    return render_template("desk/landing.html", name=(user.full_name or user.username) if user else "")


def render_error_page(status: int, message: str | None = None, *,
                      change_password: bool = False) -> tuple[str, int]:
    """The error page for ``status``; ``message`` (already localised) replaces the standard text."""
    lang = request_lang()
    known = status if status in KNOWN_STATUSES else (500 if status >= 500 else 400)
    return render_template("entry/error.html", status=status, title=i18n.t(f"page.{known}.title", lang),
                           message=message or i18n.t(f"page.{known}.text", lang),
                           sign_in=status in (401, 403) and not change_password,
                           change_password=change_password), status


def domain_error_page(error: DomainError) -> tuple[str, int]:
    """A refusal on any page (wrong role, other office, stale form token) in the user's language, not a 500."""
    return render_error_page(error.status, localized_error(error, request_lang()),
                             change_password=error.key == "error.password_change_required")


def http_error_page(error: HTTPException) -> tuple[str, int]:
    """Werkzeug's HTTP errors on pages (Flask hands redirects raised by ``abort`` back untouched)."""
    if error.code == 413:  # a form past MAX_CONTENT_LENGTH: say how much is allowed
        lang = request_lang()
        limit = size_in_words(request.max_content_length, lang)
        return render_error_page(413, i18n.t("error.too_large", lang, limit=limit))
    return render_error_page(error.code or 500)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.register_error_handler(DomainError, domain_error_page)  # the API blueprint answers problem+json itself
