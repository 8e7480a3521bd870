"""Words of the hall view, Ukrainian first (the script gets the ``SCRIPT_KEYS`` in the page's language)."""

from __future__ import annotations

SCRIPT_KEYS: tuple[str, ...] = ("hall.minutes", "hall.hours", "hall.seconds", "hall.over_target", "hall.within_target", "hall.no_target", "hall.nobody",
               "hall.state_open", "hall.state_paused", "hall.state_called", "hall.state_serving", "hall.state_closed",
               "hall.for", "hall.ticket_called", "hall.ticket_serving", "hall.unserved", "hall.kind_kiosk",
               "hall.kind_display",
               "hall.kiosk_ok", "hall.problem_offline", "hall.problem_paper_out", "hall.problem_paper_low",
               "hall.problem_printer_offline", "hall.problem_print_failed", "hall.last_seen", "hall.ago",
               "hall.never", "hall.no_printer", "hall.no_devices", "hall.mae", "hall.inside", "hall.samples",
               "hall.no_samples", "hall.attention", "hall.all_well", "hall.suspended", "hall.offline_link",
               "hall.alerts", "hall.no_alerts", "hall.alert_since", "hall.alert_critical", "hall.alert_warning",
               "hall.suspended_by_feed", "hall.sat_responses", "hall.sat_mean", "hall.sat_none")
# Today's appeals of every form (decision 042).
SCRIPT_KEYS += ("hall.ap_total", "hall.ap_phone", "hall.ap_email", "hall.ap_letter", "hall.ap_personal_reception",
                "hall.ap_consultations", "hall.ap_on_spot", "hall.ap_repeat", "hall.ap_overdue")
