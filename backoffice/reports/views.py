"""GET /backoffice/reports: the queue report of a period for an office (or all the caller may see)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for

from backoffice.office.common import field_label, flash_error, install_error_page, pick_office
from backoffice.reports.charts import Chart, bar_chart
from reception.http.callers import acting, guard
from reception.http.language import request_lang
from reception.http.wiring import wiring
from reception.kernel.errors import DomainError, ValidationFailed
from reception.kernel.permissions import Action
from reception.offices.rules import office_day
from reception.platform import i18n
from reception.reports import delivery
from reception.reports import service as reports
from reception.reports.tables import sections
from reception.reports.texts import long_date, num, period_text

bp = Blueprint("reports", __name__, url_prefix="/backoffice/reports")
install_error_page(bp)


def quick_periods(today: date) -> list[tuple[str, date, date]]:
    """(label key, from, to) of the common periods around ``today``."""
    month = today.replace(day=1)
    last_month_end = month - timedelta(days=1)
    return [("rep.today", today, today), ("rep.this_week", today - timedelta(days=today.weekday()), today),
            ("rep.this_month", month, today), ("rep.last_month", last_month_end.replace(day=1), last_month_end),
            ("rep.this_year", today.replace(month=1, day=1), today)]


def report_charts(report: dict[str, Any], lang: str) -> list[tuple[str, Chart, list[str]]]:
    """(title, chart, legend) for the page: issued/served by hour and by day, mean wait by service."""
    comma = lang == "uk"
    issued, served = i18n.t("rep.legend_issued", lang), i18n.t("rep.legend_served", lang)
    hours, days = report["by_hour"], report["by_day"]
    out = [(i18n.t("rep.chart_hour", lang),
            bar_chart([f"{h['hour']:02d}" for h in hours],
                      [(issued, [h["issued"] for h in hours]), (served, [h["served"] for h in hours])],
                      decimal_comma=comma), [issued, served])]
    if len(days) > 1:
        out.append((i18n.t("rep.chart_day", lang),
                    bar_chart([d["date"][8:10] + "." + d["date"][5:7] for d in days],
                              [(issued, [d["issued"] for d in days]), (served, [d["served"] for d in days])],
                              label_every=max(1, len(days) // 12), decimal_comma=comma), [issued, served]))
    if report["by_service"]:
        names = [r.get(f"name_{lang}") or r["name_uk"] for r in report["by_service"]]
        wait = i18n.t("rep.wait", lang)
        out.append((i18n.t("rep.chart_wait_service", lang),
                    bar_chart(names, [(wait, [r["wait_min"] for r in report["by_service"]])],
                              decimal_comma=comma), [wait]))
    return out


@bp.get("")
@guard(Action.REPORTS_READ)
def page() -> Any:
    """The pickers, then the figures of the chosen period (this month by default)."""
    actor = acting()
    w = wiring()
    lang = request_lang()
    pick = pick_office(actor)
    office, offices = pick.code, pick.offices
    today = office_day(w.clock.now(), offices[0]["timezone"])
    report, status = None, 200
    try:
        day_from = reports.parse_day(request.args.get("from"), field_label("from"))
        day_to = reports.parse_day(request.args.get("to"), field_label("to"))
        report = reports.summary(w.db, w.clock, actor, office or None, day_from, day_to)
    except ValidationFailed as exc:
        flash_error(exc)
        status = 422
    query = {"office": office, "from": report["from"], "to": report["to"]} if report else {}
    with w.db.read() as s:
        subscriptions = delivery.subscriptions_of(s, actor.user_id) if actor.user_id else []
    return render_template(
        "reports/report.html", offices=offices, office=office, args=request.args, report=report, query=query,
        subscriptions=subscriptions, sub_office=office or offices[0]["code"], sub_periods=delivery.PERIODS,
        tables=sections(report, lang, reports.outcome_names(w.db, lang))[2:] if report else [],
        charts=report_charts(report, lang) if report else [], quick=quick_periods(today), num=num,
        period=period_text(date.fromisoformat(report["from"]), date.fromisoformat(report["to"]), lang)
        if report else "", long_date=long_date), status


# --- the report by e-mail (decision 041) -----------------------------------------------------------


def _back_to_page(message_key: str | None = None) -> Any:
    if message_key:
        flash(i18n.t(message_key, request_lang()), "info")
    return redirect(url_for(".page", office=request.form.get("office") or None) + "#subscriptions")


@bp.post("/subscriptions")
@guard(Action.REPORTS_READ)
def subscribe() -> Any:
    """Subscribe the caller to an office's weekly or monthly report by e-mail."""
    actor = acting()
    form = request.form
    try:
        wiring().services.value(delivery.subscribe, actor, (form.get("office") or "").strip(),
                                (form.get("period") or "").strip(), (form.get("address") or "")[:400])
    except DomainError as exc:
        flash_error(exc)
        return _back_to_page()
    return _back_to_page("rep.sub.done")


@bp.post("/subscriptions/<int(min=1, max=2147483647):subscription_id>/delete")
@guard(Action.REPORTS_READ)
def unsubscribe(subscription_id: int) -> Any:
    actor = acting()
    try:
        wiring().services.value(delivery.unsubscribe, actor, subscription_id)
    except DomainError as exc:
        flash_error(exc)
        return _back_to_page()
    return _back_to_page("rep.sub.removed")
