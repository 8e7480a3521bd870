"""The kiosk's words, Ukrainian first (plain and short: visitors read them standing, often stressed).

Registered with the core catalogue (so ``t()`` works in templates) and also sent to the page as
JSON, so the English toggle switches text without a reload.
"""

from __future__ import annotations

from reception import i18n

MESSAGES: dict[str, dict[str, str]] = {
    "kiosk.title": {"uk": "Електронна черга", "en": "Electronic queue"},
    "kiosk.lang_switch": {"uk": "English", "en": "Українська"},
    # The low-vision mode's button (decision 019): both what it does, in two short lines.
    "kiosk.contrast": {"uk": "Великий шрифт", "en": "Large text"},
    "kiosk.contrast_sub": {"uk": "і контраст", "en": "and contrast"},
    "kiosk.contrast_invalid": {"uk": "Параметр contrast може бути лише high або normal.",
                               "en": "The contrast parameter may only be high or normal."},
    "kiosk.choose_service": {"uk": "Оберіть послугу", "en": "Choose a service"},
    "kiosk.touch_hint": {"uk": "Торкніться потрібної послуги, щоб отримати талон", "en": "Touch a service to get a ticket"},
    "kiosk.waiting": {"uk": "у черзі", "en": "waiting"},
    "kiosk.wait_about": {"uk": "{m} хв", "en": "{m} min"},
    "kiosk.wait_label": {"uk": "очікування", "en": "wait"},
    # Not "без черги": in Ukrainian offices that means "served out of turn", a privilege.
    "kiosk.wait_none": {"uk": "черги немає", "en": "no queue"},
    "kiosk.more_below": {"uk": "Гортайте вниз — там ще послуги", "en": "Scroll down for more services"},
    "kiosk.services_count": {"uk": "Послуг: {n}", "en": "{n} services"},
    "kiosk.back": {"uk": "‹ Назад", "en": "‹ Back"},
    "kiosk.have_booking": {"uk": "Я маю запис на прийом", "en": "I have an appointment"},
    "kiosk.have_booking_hint": {"uk": "Введіть код, який вам повідомили під час запису",
                                "en": "Enter the code you were given when booking"},
    "kiosk.priority_title": {"uk": "Чи належите ви до пільгової категорії?",
                             "en": "Do you belong to a priority category?"},
    "kiosk.priority_hint": {"uk": "Якщо ні або не впевнені — натисніть «Ні». Пільгу підтвердите документом у працівника.",
                            "en": "If not, or not sure, press “No”. You will show your document to the staff member."},
    "kiosk.priority_no": {"uk": "Ні", "en": "No"},
    "kiosk.priority_no_sub": {"uk": "звичайна черга", "en": "regular queue"},
    "kiosk.priority_yes": {"uk": "Так, я належу до категорії:", "en": "Yes, I belong to:"},
    "kiosk.service_chosen": {"uk": "Послуга: {name}", "en": "Service: {name}"},
    "kiosk.busy": {"uk": "Зачекайте, видаємо талон…", "en": "Please wait, issuing your ticket…"},
    "kiosk.busy_reconnecting": {"uk": "Звʼязок перервався. Пробуємо ще раз, зачекайте…",
                                 "en": "The connection dropped. Trying again, please wait…"},
    "kiosk.busy_checkin": {"uk": "Зачекайте, перевіряємо код…", "en": "Please wait, checking the code…"},
    "kiosk.your_ticket": {"uk": "Ваш номер", "en": "Your number"},
    "kiosk.people_ahead": {"uk": "Перед вами", "en": "People ahead"},
    "kiosk.people_none": {"uk": "нікого", "en": "nobody"},
    "kiosk.eta": {"uk": "Очікування", "en": "Expected wait"},
    "kiosk.eta_value": {"uk": "близько {m} хв", "en": "about {m} min"},
    "kiosk.eta_soon": {"uk": "скоро", "en": "soon"},
    "kiosk.appointment_at": {"uk": "Запис на {time}", "en": "Appointment at {time}"},
    "kiosk.priority_badge": {"uk": "Пріоритетний талон", "en": "Priority ticket"},  # as the slip: never the category
    "kiosk.scan": {"uk": "Скануйте телефоном, щоб стежити за чергою", "en": "Scan with your phone to follow the queue"},
    "kiosk.take_ticket": {"uk": "Заберіть талон із принтера", "en": "Take your ticket from the printer"},
    "kiosk.print_failed": {
        "uk": "Принтер не працює — будь ласка, сфотографуйте код або запамʼятайте його. Ваше місце в черзі збережено.",
        "en": "The printer is not working — please photograph the code or remember it. Your place in the queue is kept.",
    },
    "kiosk.no_printer": {
        "uk": "Цей кіоск не друкує талонів — сфотографуйте код або запамʼятайте його. Ваше місце в черзі збережено.",
        "en": "This kiosk does not print tickets — please photograph the code or remember it. Your place in the queue is kept.",
    },
    "kiosk.watch_screen": {"uk": "Слідкуйте за табло: там зʼявиться ваш номер і вікно.",
                           "en": "Watch the display: your number and desk will appear there."},
    "kiosk.done": {"uk": "Готово", "en": "Done"},
    "kiosk.returning": {"uk": "Повернення на початок через {s} с", "en": "Back to the start in {s} s"},
    "kiosk.still_here": {"uk": "Торкніться екрана, щоб продовжити. Повернення на початок через {s} с",
                         "en": "Touch the screen to continue. Back to the start in {s} s"},
    "kiosk.closed_title": {"uk": "Установа зачинена", "en": "The office is closed"},
    "kiosk.hours_title": {"uk": "Години роботи", "en": "Opening hours"},
    "kiosk.unavailable_title": {"uk": "Послуга зараз недоступна", "en": "Service not available now"},
    "kiosk.ok": {"uk": "Зрозуміло", "en": "OK"},
    "kiosk.checkin_title": {"uk": "Введіть код запису", "en": "Enter your booking code"},
    "kiosk.checkin_hint": {"uk": "Код складається з латинських літер і цифр", "en": "The code has Latin letters and digits"},
    "kiosk.checkin_submit": {"uk": "Підтвердити", "en": "Confirm"},
    "kiosk.erase": {"uk": "Стерти", "en": "Delete"},
    "kiosk.erase_hint": {"uk": "Стерти останній символ", "en": "Delete the last character"},
    "kiosk.clear": {"uk": "Очистити все", "en": "Clear all"},
    "kiosk.checkin_not_found": {
        "uk": "Запис із таким кодом не знайдено. Перевірте код і спробуйте ще раз або зверніться до працівника.",
        "en": "No appointment has this code. Check the code and try again, or ask a staff member.",
    },
    "kiosk.checkin_conflict": {"uk": "За цим кодом зараз не можна зареєструватися. Зверніться до працівника.",
                               "en": "This code cannot be checked in now. Please ask a staff member."},
    "kiosk.checkin_invalid": {"uk": "Код має неправильний вигляд. Перевірте його.",
                              "en": "The code does not look right. Please check it."},
    "kiosk.error_title": {"uk": "Не вдалося", "en": "That did not work"},
    "kiosk.error_generic": {"uk": "Щось пішло не так. Спробуйте ще раз або зверніться до працівника.",
                            "en": "Something went wrong. Please try again or ask a staff member."},
    "kiosk.error_network": {"uk": "Немає звʼязку із сервером. Спробуйте за хвилину або зверніться до працівника.",
                            "en": "No connection to the server. Try again in a minute or ask a staff member."},
    "kiosk.connection_lost": {"uk": "Немає звʼязку із сервером. Пробуємо знову…",
                              "en": "No connection to the server. Retrying…"},
    "kiosk.offline_title": {"uk": "Кіоск тимчасово не працює", "en": "The kiosk is temporarily out of service"},
    "kiosk.offline_text": {"uk": "Зверніться, будь ласка, до працівника. Кіоск відновить роботу сам.",
                           "en": "Please ask a staff member. The kiosk will recover by itself."},
    "kiosk.not_paired_title": {"uk": "Цей екран не підключено", "en": "This screen is not paired"},
    "kiosk.not_paired_text": {"uk": "Кіоск ще не привʼязано до установи. Зверніться до адміністратора.",
                              "en": "This kiosk is not linked to an office yet. Please ask the administrator."},
    "kiosk.not_paired_invalid": {"uk": "Ключ пристрою недійсний або відкликаний.",
                                 "en": "The device key is not valid or has been revoked."},
    "kiosk.not_paired_admin": {
        "uk": "Для адміністратора: зареєструйте кіоск командою «reception device add kiosk --office КОД» "
              "і відкрийте на ньому /kiosk?token=ТОКЕН один раз.",
        "en": "For the administrator: register the kiosk with “reception device add kiosk --office CODE” "
              "and open /kiosk?token=TOKEN on it once.",
    },
    "kiosk.qr_alt": {"uk": "QR-код сторінки стану талона", "en": "QR code of the ticket status page"},
}

i18n.register(MESSAGES)


def catalogue() -> dict[str, dict[str, str]]:
    """``{lang: {key: text}}`` for the page's script (keys without the ``kiosk.`` prefix)."""
    return {lang: {key.removeprefix("kiosk."): texts.get(lang) or texts["uk"] for key, texts in MESSAGES.items()}
            for lang in i18n.LANGS}
