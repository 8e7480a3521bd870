"""Messages of leadership reception, Ukrainian first (registered on import)."""

from __future__ import annotations

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
FORMS = {
    "personal_reception": ("На особистому прийомі (усне)", "At personal reception (oral)"),
    "phone": ("Телефоном (усне)", "By phone (oral)"),
    "email": ("Електронною поштою (письмове)", "By e-mail (written)"),
    "letter": ("Листом (письмове)", "By letter (written)"),
}
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
