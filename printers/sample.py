"""A sample slip for ``reception print-test``: exercises every letter that breaks on cheap printers."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from reception.kernel.ports import TicketSlip

_SAMPLES = {
    "uk": dict(
        office_name="Відкритий офіс Міністерства юстиції України",
        service_name="Державна реєстрація шлюбу; видача довідок",
        priority_label="Пріоритет: особа з інвалідністю",
        appointment_label="Запис на 10:30, каб. 412",
        note="Тестовий талон. Єдине вікно ліворуч, ґанок з пандусом. Її, їжак, Ґудзик, ІЄЇ, п’ять «лапок» — так.",
        labels={"people_ahead": "Перед вами", "eta": "Орієнтовне очікування", "minutes": "хв",
                "issued_at": "Видано", "qr_hint": "Відскануйте, щоб стежити за чергою"},
    ),
    "en": dict(
        office_name="Open Office of the Ministry of Justice of Ukraine",
        service_name="Marriage registration; certificates",
        priority_label="Priority: person with a disability",
        appointment_label="Appointment 10:30, room 412",
        note="Test ticket. Київ, Ґ Є І Ї — Cyrillic check.",
        labels={"people_ahead": "People ahead of you", "eta": "Estimated wait", "minutes": "min",
                "issued_at": "Issued", "qr_hint": "Scan to follow the queue"},
    ),
}


def sample_slip(lang: str = "uk", now: datetime | None = None) -> TicketSlip:
    """A realistic slip in ``lang`` ("uk" or "en"); ``now`` defaults to the current Kyiv time."""
    data = _SAMPLES.get(lang, _SAMPLES["uk"])
    return TicketSlip(
        code="А-017",
        issued_at=now or datetime.now(ZoneInfo("Europe/Kyiv")).replace(second=0, microsecond=0),
        people_ahead=4,
        eta_min=18,
        status_url="https://queue.example.gov.ua/t/7Hq2mXw9Lc",
        lang=lang if lang in _SAMPLES else "uk",
        **data,  # type: ignore[arg-type]
    )
