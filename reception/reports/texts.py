"""Words of the reports (Ukrainian first) and the small formatting rules they share."""

from __future__ import annotations

from datetime import date

from .. import i18n

i18n.register({
    "error.report_period_order": {
        "uk": "Початок періоду ({date_from}) пізніший за його кінець ({date_to}).",
        "en": "The period starts ({date_from}) after it ends ({date_to})."},
    "error.report_period_range": {
        "uk": "Звіт можна скласти лише за дати з {first} по {last} рік.",
        "en": "Reports cover dates from {first} to {last} only."},
    "error.report_period_long": {
        "uk": "Період звіту — не довше ніж {days} днів.",
        "en": "A report period is at most {days} days long."},
    "error.report_date": {
        "uk": "Дата «{name}» має бути у форматі РРРР-ММ-ДД.",
        "en": "Date {name!s} must be written YYYY-MM-DD."},
    "error.report_no_office": {
        "uk": "Немає жодної установи, звіт якої вам доступний.",
        "en": "There is no office whose report you may see."},
    "rep.title": {"uk": "Звіт про роботу черги", "en": "Queue report"},
    "rep.all_offices": {"uk": "Усі доступні установи", "en": "All offices available to you"},
    "rep.period": {"uk": "Період", "en": "Period"},
    "rep.office": {"uk": "Установа", "en": "Office"},
    "rep.summary": {"uk": "Підсумки", "en": "Totals"},
    "rep.issued": {"uk": "Видано талонів", "en": "Tickets issued"},
    "rep.served": {"uk": "Обслуговано", "en": "Served"},
    "rep.no_show": {"uk": "Не зʼявилися", "en": "No-shows"},
    "rep.cancelled": {"uk": "Скасовано", "en": "Cancelled"},
    "rep.transferred": {"uk": "Переадресовано", "en": "Transferred"},
    "rep.within_target_pct": {"uk": "Викликано в межах цільового очікування, %", "en": "Called within the target wait, %"},
    "rep.suspended_min": {"uk": "Роботу призупинено, хв", "en": "Office suspended, min"},
    "rep.durations": {"uk": "Тривалість, хв", "en": "Durations, min"},
    "rep.wait": {"uk": "Очікування", "en": "Waiting"},
    "rep.service": {"uk": "Обслуговування", "en": "Service"},
    "rep.mean": {"uk": "середнє", "en": "mean"},
    "rep.median": {"uk": "медіана", "en": "median"},
    "rep.p90": {"uk": "90-й процентиль", "en": "90th percentile"},
    "rep.max": {"uk": "найбільше", "en": "maximum"},
    "rep.wait_mean": {"uk": "Очікування, хв (середнє)", "en": "Wait, min (mean)"},
    "rep.service_mean": {"uk": "Обслуговування, хв (середнє)", "en": "Service, min (mean)"},
    "rep.within_short": {"uk": "Вчасно, %", "en": "On time, %"},
    "rep.paused_min": {"uk": "Перерви, хв", "en": "Pauses, min"},
    "rep.by_service": {"uk": "За послугами", "en": "By service"},
    "rep.by_desk": {"uk": "За робочими місцями", "en": "By desk"},
    "rep.by_staff": {"uk": "За працівниками", "en": "By staff member"},
    "rep.by_hour": {"uk": "За годинами", "en": "By hour"},
    "rep.by_day": {"uk": "За днями", "en": "By day"},
    "rep.outcomes": {"uk": "Результати звернень", "en": "Outcomes"},
    "rep.leadership": {"uk": "Особистий прийом керівництвом", "en": "Personal reception by leadership"},
    "rep.booked": {"uk": "Записано на прийом", "en": "Booked"},
    "rep.checked_in": {"uk": "Прибули на прийом", "en": "Checked in"},
    "rep.records": {"uk": "Зареєстровано карток", "en": "Records registered"},
    "rep.overdue": {"uk": "З них прострочено", "en": "Of them overdue"},
    "rep.col_service": {"uk": "Послуга", "en": "Service"},
    "rep.col_desk": {"uk": "Робоче місце", "en": "Desk"},
    "rep.col_staff": {"uk": "Працівник", "en": "Staff member"},
    "rep.col_hour": {"uk": "Година", "en": "Hour"},
    "rep.col_date": {"uk": "Дата", "en": "Date"},
    "rep.col_outcome": {"uk": "Результат", "en": "Outcome"},
    "rep.col_count": {"uk": "Кількість", "en": "Count"},
    "rep.col_figure": {"uk": "Показник", "en": "Figure"},
    "rep.col_value": {"uk": "Значення", "en": "Value"},
    "rep.chart_hour": {"uk": "Видано й обслуговано за годинами доби", "en": "Issued and served by hour of day"},
    "rep.chart_day": {"uk": "Видано й обслуговано за днями", "en": "Issued and served by day"},
    "rep.chart_service": {"uk": "Середнє очікування за послугами, хв", "en": "Mean wait by service, min"},
    "rep.legend_issued": {"uk": "видано", "en": "issued"},
    "rep.legend_served": {"uk": "обслуговано", "en": "served"},
    "rep.none": {"uk": "—", "en": "—"},
    "rep.empty": {"uk": "За цей період даних немає.", "en": "No data for this period."},
    "rep.not_recorded": {"uk": "не обліковується", "en": "not recorded"},
    "rep.generated": {"uk": "Складено {at}", "en": "Generated {at}"},
})

MONTHS_GENITIVE_UK = ("січня", "лютого", "березня", "квітня", "травня", "червня", "липня", "серпня", "вересня",
                      "жовтня", "листопада", "грудня")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")


def long_date(day: date, lang: str) -> str:
    """"1 грудня 2026" / "1 December 2026"."""
    months = MONTHS_GENITIVE_UK if lang == "uk" else MONTHS_EN
    return f"{day.day} {months[day.month - 1]} {day.year}"


def short_date(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def period_text(day_from: date, day_to: date, lang: str) -> str:
    if day_from == day_to:
        return long_date(day_from, lang)
    return f"{long_date(day_from, lang)} — {long_date(day_to, lang)}"


def num(value: float | int | str | None, lang: str) -> str:
    """A figure as text: "—" when there is none, one decimal with a decimal comma in Ukrainian."""
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    text = f"{value:.1f}"
    return text.replace(".", ",") if lang == "uk" else text
