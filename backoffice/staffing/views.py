"""GET /backoffice/staffing: for a day and an office, the desks each hour needs (Erlang C over the office's
own history, ``reception.staffing``) beside the desks set up and the desks actually staffed, with a chart."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Blueprint, render_template, request

from backoffice.office.common import current_office, flash_error, install_error_page
from backoffice.reports.charts import Chart, bar_chart
from reception.http.callers import acting, guard
from reception.http.language import request_lang
from reception.http.wiring import wiring
from reception.kernel.bounds import parse_date
from reception.kernel.errors import ValidationFailed
from reception.kernel.permissions import Action
from reception.offices.lookups import office_by_code
from reception.offices.rules import office_day
from reception.platform import i18n
from reception.reports.texts import long_date, num
from reception.staffing.history import DEFAULT_TARGET_PCT, office_staffing

bp = Blueprint("staffing", __name__, url_prefix="/backoffice/staffing")
install_error_page(bp)
TARGETS = (70, 80, 90, 95)


def staffing_chart(plan: dict[str, Any], lang: str) -> tuple[Chart, list[str]]:
    """Needed, set up and (today and past days) staffed desks per hour."""
    rows = plan["by_hour"]
    series: list[tuple[str, list[float | None]]] = [
        (i18n.t("stf.legend_needed", lang), [float(r["desks_needed"]) for r in rows]),
        (i18n.t("stf.legend_planned", lang), [float(r["desks_planned"]) for r in rows])]
    if rows and rows[0]["desks_open"] is not None:
        series.append((i18n.t("stf.legend_open", lang), [r["desks_open"] for r in rows]))
    chart = bar_chart([f"{r['hour']:02d}" for r in rows], series, width=900, height=190,
                      decimal_comma=lang == "uk")
    return chart, [name for name, _values in series]


@bp.get("")
@guard(Action.STAFFING_READ)
def page() -> Any:
    actor = acting()
    w = wiring()
    lang = request_lang()
    office = current_office(actor)
    now = w.clock.now()
    today = office_day(now, office["timezone"])
    day, plan, status = today, None, 200
    try:
        raw_pct = request.args.get("target_pct") or ""
        target = int(raw_pct) if raw_pct.isdigit() else int(DEFAULT_TARGET_PCT)
        if target not in TARGETS:
            raise ValidationFailed("error.staffing_bound", field=i18n.t("stf.target_pct", lang), low=TARGETS[0],
                                   high=TARGETS[-1])
        day = parse_date(request.args.get("date"), i18n.t("stf.date", lang)) or today
        with w.db.read() as s:
            record = office_by_code(s, office["code"])
            actor.require_office(record.id)
            plan = office_staffing(s, record, day, now, target_pct=float(target))
    except ValidationFailed as exc:
        flash_error(exc)
        status = 422
        target = int(DEFAULT_TARGET_PCT)
    chart, legend = staffing_chart(plan, lang) if plan and plan["by_hour"] else (None, [])
    return render_template(
        "staffing/page.html", office=office, plan=plan, day=day, today=today, target=target, targets=TARGETS,
        chart=chart, legend=legend, num=num, long_date=long_date,
        days=[today + timedelta(days=i) for i in range(0, 8)]), status
