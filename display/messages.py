"""Texts of the wall display and the phone status page: Ukrainian first, English second."""

from __future__ import annotations

from reception import i18n

MESSAGES: dict[str, dict[str, str]] = {
    # --- wall display -------------------------------------------------------------------------
    "display.title": {"uk": "Електронна черга", "en": "Queue display"},
    "display.now_calling": {"uk": "Запрошуються", "en": "Now calling"},
    "display.ticket": {"uk": "Талон", "en": "Ticket"},
    "display.desk": {"uk": "Місце прийому", "en": "Go to"},
    "display.history": {"uk": "Попередні виклики", "en": "Previous calls"},
    "display.no_calls": {
        "uk": "Очікуйте виклику: номер талона й місце прийому зʼявляться тут.",
        "en": "Please wait: your ticket number and desk will appear here.",
    },
    "display.waiting": {"uk": "У черзі", "en": "Waiting"},
    "display.reception_hours": {"uk": "Особистий прийом керівництва сьогодні", "en": "Leadership reception today"},
    "display.remote": {"uk": "дистанційно", "en": "remote"},
    "display.zone": {"uk": "Зона: {zone}", "en": "Zone: {zone}"},
    "display.offline": {
        "uk": "Немає звʼязку із сервером — перепідключення…",
        "en": "No connection to the server — reconnecting…",
    },
    "display.sound_blocked": {
        "uk": "Торкніться екрана, щоб увімкнути звук",
        "en": "Touch the screen to enable sound",
    },
    "display.unpaired_title": {"uk": "Табло не підключене", "en": "This display is not paired"},
    "display.unpaired_body": {
        "uk": "Відкрийте на цьому екрані адресу /display?token=… з токеном табло. "
              "Токен видає адміністратор: «reception device add display --office КОД».",
        "en": "Open /display?token=… with the display's token on this screen. "
              "An administrator issues it: “reception device add display --office CODE”.",
    },
    "display.bad_token": {
        "uk": "Токен табло недійсний або відкликаний. Попросіть адміністратора видати новий.",
        "en": "The display token is invalid or revoked. Ask an administrator for a new one.",
    },
    "display.bad_request": {"uk": "Некоректний запит до табло.", "en": "Bad request to the display."},
    "display.speech_unavailable": {
        "uk": "Синтез мовлення на сервері недоступний.",
        "en": "Server speech synthesis is not available.",
    },
    # --- phone status page --------------------------------------------------------------------
    "phone.title": {"uk": "Ваш талон {code}", "en": "Your ticket {code}"},
    "phone.ticket": {"uk": "Талон", "en": "Ticket"},
    "phone.service": {"uk": "Послуга", "en": "Service"},
    "phone.position": {"uk": "Перед вами", "en": "Ahead of you"},
    "phone.people_one": {"uk": "{n} особа", "en": "{n} person"},
    "phone.people_few": {"uk": "{n} особи", "en": "{n} people"},
    "phone.people_many": {"uk": "{n} осіб", "en": "{n} people"},
    "phone.eta": {"uk": "Орієнтовне очікування", "en": "Expected wait"},
    "phone.minutes": {"uk": "≈ {n} хв", "en": "≈ {n} min"},
    "phone.next": {"uk": "Ви наступні — будьте поруч.", "en": "You are next — please stay close."},
    "phone.waiting": {"uk": "Очікуйте виклику на табло.", "en": "Wait for your number on the display."},
    "phone.suspended_wait": {
        "uk": "Після відновлення прийому виклик продовжиться з вашого місця в черзі.",
        "en": "When reception resumes, calling continues from your place in the queue.",
    },
    "phone.called": {"uk": "Вас викликають!", "en": "It’s your turn!"},
    "phone.serving": {"uk": "Вас обслуговують", "en": "You are being served"},
    "phone.done": {"uk": "Обслуговування завершено. Дякуємо!", "en": "Your visit is complete. Thank you!"},
    "phone.no_show": {
        "uk": "Ви не підійшли на виклик. Зверніться до працівника залу.",
        "en": "You missed your call. Please ask a member of staff.",
    },
    "phone.transferred": {"uk": "Вас перенаправлено — очікуйте нового виклику.", "en": "You have been transferred — wait for a new call."},
    "phone.cancelled": {"uk": "Талон скасовано.", "en": "The ticket has been cancelled."},
    "phone.updated": {"uk": "Оновлено", "en": "Updated"},
    "phone.live": {"uk": "Оновлюється автоматично", "en": "Updates automatically"},
    "phone.offline": {"uk": "Немає звʼязку — пробуємо знову…", "en": "No connection — retrying…"},
    "phone.switch": {"uk": "English", "en": "Українська"},
    "phone.not_found": {
        "uk": "Талон не знайдено. Перевірте посилання або QR-код.",
        "en": "Ticket not found. Check the link or the QR code.",
    },
    "phone.privacy": {
        "uk": "Ця сторінка не містить персональних даних.",
        "en": "This page holds no personal data.",
    },
}

i18n.register(MESSAGES)
