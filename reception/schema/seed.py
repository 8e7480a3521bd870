"""Reference data seeded into every installation; editable afterwards (it is configuration)."""

from __future__ import annotations

# Priority categories: who is commonly received first. code, uk, en.
PRIORITY_CATEGORIES: list[tuple[str, str, str]] = [
    ("hero_ua", "Герой України", "Hero of Ukraine"),
    ("hero_ussr", "Герой Радянського Союзу / Соціалістичної Праці", "Hero of the Soviet Union / of Socialist Labour"),
    ("mother_heroine", "Мати-героїня", "Mother-Heroine"),
    ("war_disability", "Особа з інвалідністю внаслідок війни", "Person with a war-related disability"),
    ("disability", "Особа з інвалідністю або її супровідник", "Person with a disability or their companion"),
    ("fallen_family", "Член сімʼї загиблого (померлого) захисника", "Family of a fallen defender"),
    ("serviceman", "Військовослужбовець або член його сімʼї", "Serving soldier or their family"),
    ("pregnant_child", "Вагітна жінка або особа з дитиною до 3 років", "Pregnant woman or person with a child under 3"),
    ("elderly", "Особа віком понад 75 років", "Person over 75"),
]

# Outcomes per service kind: kind, code, uk, en, opens a reception record.
OUTCOMES: list[tuple[str, str, str, str, bool]] = [
    ("specialist", "consulted", "Надано консультацію", "Consultation given", False),
    ("specialist", "appeal_accepted", "Прийнято звернення (заяву, клопотання)", "Appeal (application) accepted", True),
    ("specialist", "complaint_accepted", "Прийнято скаргу", "Complaint accepted", True),
    ("specialist", "proposal_accepted", "Прийнято пропозицію (зауваження)", "Proposal accepted", True),
    ("specialist", "explained", "Надано розʼяснення", "Explained", False),
    ("specialist", "referred", "Направлено до компетентного органу", "Referred to the competent body", False),
    ("specialist", "documents_accepted", "Прийнято документи", "Documents accepted", False),
    ("specialist", "refused", "Відмовлено з поясненням причин", "Refused with reasons", False),
    ("leadership", "resolved_on_spot", "Питання вирішено на місці", "Resolved on the spot", True),
    ("leadership", "appeal_registered", "Звернення зареєстровано для розгляду", "Appeal registered for consideration", True),
    ("leadership", "explained", "Надано розʼяснення", "Explained", True),
    ("leadership", "referred", "Направлено до компетентного органу", "Referred to the competent body", True),
    ("leadership", "refused", "Відмовлено з поясненням причин", "Refused with reasons", True),
]
