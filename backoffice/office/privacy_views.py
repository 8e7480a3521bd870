"""The privacy notice for visitors (/privacy): who processes which data, why, on what basis, how long, rights.

Public (it holds no personal data), so the desk can open and print it and the booking page can
link it; the storage term and the contact come from the office's settings (decision 018).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template

from reception import i18n
from reception.announce import _plural
from reception.leadership.settings import LeadershipSettings
from reception.models import Office
from reception.web import request_lang, wiring

from .public import office_id as public_office_id

bp = Blueprint("privacy_notice", __name__)

SECTIONS = ("who", "what", "why", "basis", "term", "rights", "ask")

i18n.register({
    "privacy.title": {"uk": "Як ми обробляємо ваші персональні дані", "en": "How we process your personal data"},
    "privacy.link": {"uk": "Про персональні дані", "en": "Privacy notice"},
    "privacy.print": {"uk": "Надрукувати", "en": "Print"},
    "privacy.other_lang": {"uk": "English", "en": "Українською"},
    "privacy.who.h": {"uk": "Хто обробляє дані", "en": "Who processes the data"},
    "privacy.who": {
        "uk": "Володілець персональних даних — {office}. Ваші дані бачать лише працівники, яким вони потрібні "
              "для прийому: керівник, що вас приймає, працівник, який реєструє звернення, і керівництво установи.",
        "en": "The controller of your personal data is {office}. Only the staff who need them for your reception "
              "see them: the official receiving you, the employee registering your appeal and the office's managers.",
    },
    "privacy.what.h": {"uk": "Які дані", "en": "Which data"},
    "privacy.what": {
        "uk": "Прізвище, імʼя та по батькові; номер телефону; адреса та електронна пошта, якщо ви їх повідомили; "
              "соціальний статус і пільгова категорія; суть звернення. Талон черги вашого імені не містить.",
        "en": "Surname, first name and patronymic; phone number; address and e-mail if you give them; social status "
              "and priority category; what your appeal is about. The queue ticket does not carry your name.",
    },
    "privacy.why.h": {"uk": "Навіщо", "en": "Why"},
    "privacy.why": {
        "uk": "Щоб записати вас на особистий прийом, запросити до кабінету, зареєструвати й розглянути ваше "
              "звернення, повідомити вам результат і контролювати строки розгляду.",
        "en": "To book your personal reception, call you in, register and consider your appeal, tell you the "
              "outcome and keep the deadlines of its consideration.",
    },
    "privacy.basis.h": {"uk": "Правова підстава", "en": "Legal basis"},
    "privacy.basis": {
        "uk": "Закон України «Про звернення громадян» (обовʼязок зареєструвати й розглянути звернення) і Закон "
              "України «Про захист персональних даних», стаття 11 (обовʼязок володільця, передбачений законом; "
              "ваша згода, коли ви записуєтеся на прийом).",
        "en": "The Law of Ukraine on Citizens' Appeals (the duty to register and consider an appeal) and the Law of "
              "Ukraine on Personal Data Protection, Article 11 (a duty of the controller set by law; your consent "
              "when you book a reception).",
    },
    "privacy.term.h": {"uk": "Скільки зберігаємо", "en": "How long we keep them"},
    "privacy.term": {
        "uk": "Картку особистого прийому зберігають {years} {years_word} від 1 січня року, що настає після "
              "завершення розгляду звернення; після цього ваші дані знеособлюються автоматично. Запис на прийом, "
              "що не став зверненням, можна видалити на вашу вимогу.",
        "en": "The reception card is kept for {years} {years_word} from 1 January of the year after your appeal "
              "was closed; then your data are anonymised automatically. A booking that did not become an appeal "
              "can be erased when you ask.",
    },
    "privacy.rights.h": {"uk": "Ваші права", "en": "Your rights"},
    "privacy.rights": {
        "uk": "Знати, які ваші дані обробляються, і отримати їх копію; вимагати виправити неточні дані; вимагати "
              "видалити дані, які закон не зобовʼязує зберігати; відкликати згоду; звернутися до Уповноваженого "
              "Верховної Ради України з прав людини.",
        "en": "To know which of your data are processed and get a copy; to have inaccurate data corrected; to have "
              "data erased that the law does not require us to keep; to withdraw consent; to complain to the "
              "Ukrainian Parliament Commissioner for Human Rights.",
    },
    "privacy.ask.h": {"uk": "Кого питати", "en": "Whom to ask"},
    "privacy.ask": {
        "uk": "Зверніться до працівника на стійці прийому або письмово до установи «{office}»: вам видадуть ваші "
              "дані або пояснять, з якого дня їх можна видалити.",
        "en": "Ask the staff at the reception desk or write to {office}: you will be given your data or told from "
              "which day they can be erased.",
    },
})


def years_word(years: int, lang: str) -> str:
    if lang == "en":
        return "year" if years == 1 else "years"
    return _plural(years, "рік", "роки", "років")


def notice(office: Office, lang: str) -> dict[str, Any]:
    """The notice's sections as (heading, text), filled from the office and its settings."""
    settings = LeadershipSettings.from_json(office.settings)
    name = i18n.localized(office, "name", lang)
    years = settings.records_retention_years
    params = {"office": name, "years": years, "years_word": years_word(years, lang)}
    sections = [(i18n.t(f"privacy.{key}.h", lang), i18n.t(f"privacy.{key}", lang, **params)) for key in SECTIONS]
    if settings.privacy_contact.strip():
        sections[-1] = (sections[-1][0], f"{sections[-1][1]} {settings.privacy_contact.strip()}")
    return {"office": name, "code": office.code, "sections": sections}


@bp.get("/privacy")
def page() -> Any:
    """``?office=CODE`` (else the first active office) and ``?lang=``; printable as it is."""
    lang = request_lang()
    office_id = public_office_id()
    with wiring().db.read() as s:
        office = s.get(Office, office_id)
        assert office is not None
        data = notice(office, lang)
    return render_template("office/privacy.html", data=data, other_lang="en" if lang == "uk" else "uk")
