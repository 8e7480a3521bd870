"""Leadership-reception knobs, read from the office's ``settings`` JSON beside OfficeSettings.

Keys (all optional):

- ``observe_public_holidays`` (OfficeSettings, default False): skip Ukraine's statutory
  holidays.  False is the martial-law default — holidays are working days, nothing is skipped.
- ``holiday_eve_shorten_min`` (0): end receptions this much earlier on the eve of an observed holiday.
- ``booking_cutoff_working_days`` (1): booking closes this many working days before the session.
- ``reception_horizon_days`` (90): sessions are materialised this far ahead.
- ``checkin_early_min`` (60) / ``checkin_late_min`` (30): kiosk check-in window around the slot.
- ``record_index_pattern`` ("{leader_initials}-{seq}/{yy}"): see ``indexes``.
- ``records_retention_years`` (5): storage term of reception records; after it the visitor's personal
  data are anonymised (``retention``; docs/decisions/008-records-retention.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reception.offices.rules import OfficeSettings


@dataclass(frozen=True)
class LeadershipSettings:
    observe_public_holidays: bool = False
    holiday_eve_shorten_min: int = 0
    booking_cutoff_working_days: int = 1
    reception_horizon_days: int = 90
    checkin_early_min: int = 60
    checkin_late_min: int = 30
    record_index_pattern: str = "{leader_initials}-{seq}/{yy}"
    records_retention_years: int = 5
    privacy_contact: str = ""  # whom visitors ask about their data (the notice, decision 018); "" = the desk
    contact_phone: str = ""  # the contact centre that books receptions, E.164 ("" = none given)

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> LeadershipSettings:
        data = data or {}
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        known["observe_public_holidays"] = OfficeSettings.from_json(data).observe_public_holidays
        return cls(**known)
