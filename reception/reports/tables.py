"""The report as titled tables (pure): one layout shared by the XLSX sheets, the PDF and the page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from reception.platform.i18n import t
from reception.reports.texts import short_date

Cell = str | int | float | None
TOTALS = ("issued", "served", "no_show", "cancelled", "transferred")
DISTRIBUTION = ("mean", "median", "p90", "max")
LEADERSHIP = ("booked", "checked_in", "no_show", "records", "overdue")


@dataclass(frozen=True)
class Section:
    key: str  # by_service, by_desk …: also the XLSX sheet's role
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    numeric_from: int = 1  # columns from this index hold figures


def _name(row: dict[str, Any], lang: str) -> str:
    return str(row.get(f"name_{lang}") or row.get("name_uk") or row.get("name") or "")


def summary_rows(report: dict[str, Any], lang: str) -> tuple[tuple[Cell, ...], ...]:
    rows = [(t(f"rep.{k}", lang), report["totals"][k]) for k in TOTALS]
    rows.append((t("rep.within_target_pct", lang), report["within_target_pct"]))
    rows.append((t("rep.suspended_min", lang), report["suspended_min"]))
    return tuple(rows)


def sections(report: dict[str, Any], lang: str, outcome_names: dict[str, str] | None = None) -> list[Section]:
    """Every figure of the report, in reading order."""
    multi = report["office"] is None
    office_col: tuple[str, ...] = (t("rep.office", lang),) if multi else ()

    def office_cell(row: dict[str, Any]) -> tuple[Cell, ...]:
        return (row.get("office", ""),) if multi else ()

    n = len(office_col)
    out = [
        Section("summary", t("rep.summary", lang), (t("rep.col_figure", lang), t("rep.col_value", lang)),
                summary_rows(report, lang)),
        Section("durations", t("rep.durations", lang), ("",) + tuple(t(f"rep.{k}", lang) for k in DISTRIBUTION),
                tuple((t(f"rep.{label}", lang),) + tuple(report[key][k] for k in DISTRIBUTION)
                      for label, key in (("wait", "wait_min"), ("service", "service_min")))),
        Section("by_service", t("rep.by_service", lang),
                office_col + (t("rep.col_service", lang),) + tuple(t(f"rep.{k}", lang) for k in TOTALS)
                + (t("rep.wait_mean", lang), t("rep.service_mean", lang), t("rep.within_short", lang)),
                tuple(office_cell(r) + (_name(r, lang),) + tuple(r[k] for k in TOTALS)
                      + (r["wait_min"], r["service_min"], r["within_target_pct"]) for r in report["by_service"]),
                n + 1),
        Section("by_desk", t("rep.by_desk", lang),
                office_col + (t("rep.col_desk", lang), t("rep.served", lang), t("rep.service_mean", lang),
                              t("rep.paused_min", lang)),
                tuple(office_cell(r) + (_name(r, lang), r["served"], r["service_min"], r["paused_min"])
                      for r in report["by_desk"]), n + 1),
        Section("by_staff", t("rep.by_staff", lang),
                (t("rep.col_staff", lang), t("rep.served", lang), t("rep.service_mean", lang)),
                tuple((r["name"], r["served"], r["service_min"]) for r in report["by_staff"])),
        Section("by_hour", t("rep.by_hour", lang), (t("rep.col_hour", lang), t("rep.issued", lang), t("rep.served", lang)),
                tuple((f"{r['hour']:02d}:00", r["issued"], r["served"]) for r in report["by_hour"])),
        Section("by_day", t("rep.by_day", lang),
                (t("rep.col_date", lang),) + tuple(t(f"rep.{k}", lang) for k in TOTALS) + (t("rep.wait_mean", lang),),
                tuple((short_date(date.fromisoformat(r["date"])),) + tuple(r[k] for k in TOTALS) + (r["wait_min"],)
                      for r in report["by_day"])),
        Section("outcomes", t("rep.outcomes", lang), (t("rep.col_outcome", lang), t("rep.col_count", lang)),
                tuple(((outcome_names or {}).get(code, code), count) for code, count in report["outcomes"].items())),
        Section("leadership", t("rep.leadership", lang), (t("rep.col_figure", lang), t("rep.col_value", lang)),
                tuple((t(f"rep.{k}", lang), report["leadership"][k]) for k in LEADERSHIP)),
    ]
    from reception.reports.satisfaction import sections as satisfaction_sections  # it builds on Section

    out += appeal_sections(report, lang)
    return out + satisfaction_sections(report, lang) + management_sections(report, lang)


# --- the journal of appeals (decision 042) -----------------------------------------------------------
APPEAL_FIGURES = ("total", "consultations", "repeat", "repeat_pct", "overdue", "answered", "median_answer_days")


def appeal_label(group: str, code: str, lang: str) -> str:
    """A form, kind or outcome in words (a topic's name comes with the report, its code otherwise)."""
    return t(f"rep.appeals.{group}.{code}", lang) if code else t("rep.appeals.no_topic", lang)


def appeal_sections(report: dict[str, Any], lang: str) -> list[Section]:
    appeals = report.get("appeals")
    if not appeals:
        return []
    two = (t("rep.col_figure", lang), t("rep.col_count", lang))
    topics = appeals.get("topic_names") or {}
    return [
        Section("appeals", t("rep.appeals", lang), (t("rep.col_figure", lang), t("rep.col_value", lang)),
                tuple((t(f"rep.appeals.{k}", lang), appeals[k]) for k in APPEAL_FIGURES)),
        Section("appeals_by_form", t("rep.appeals.by_form", lang), two,
                tuple((appeal_label("form", k, lang), n) for k, n in appeals["by_form"].items())),
        Section("appeals_by_kind", t("rep.appeals.by_kind", lang), two,
                tuple((appeal_label("kind", k, lang), n) for k, n in appeals["by_kind"].items())),
        Section("appeals_by_topic", t("rep.appeals.by_topic", lang), two,
                tuple((topics.get(k, k) if k else t("rep.appeals.no_topic", lang), n)
                      for k, n in appeals["by_topic"].items())),
        Section("appeals_by_outcome", t("rep.appeals.by_outcome", lang), two,
                tuple((appeal_label("outcome", k, lang), n) for k, n in appeals["by_outcome"].items())),
        Section("appeals_by_day", t("rep.appeals.by_day", lang), (t("rep.col_date", lang), t("rep.col_count", lang)),
                tuple((short_date(date.fromisoformat(r["date"])), r["appeals"]) for r in appeals["by_day"])),
    ]


COMPARED = (*TOTALS, "wait_mean_min", "service_mean_min", "within_target_pct")
COMPARED_LABEL = {**{k: f"rep.{k}" for k in TOTALS}, "wait_mean_min": "rep.wait_mean",
                  "service_mean_min": "rep.service_mean", "within_target_pct": "rep.within_target_pct"}


def _pauses(by_reason: dict[str, float], lang: str) -> str:
    """"перерва 40,0; обід 30,0" (a pause given no reason: its own word)."""
    no_reason = t("rep.no_reason", lang)
    return "; ".join(f"{reason or no_reason} {str(minutes).replace('.', ',') if lang == 'uk' else minutes}"
                     for reason, minutes in by_reason.items())


def management_sections(report: dict[str, Any], lang: str) -> list[Section]:
    """Figures by priority, staff utilisation and the comparison with the previous period (when present)."""
    out = []
    if report.get("by_priority") is not None:
        out.append(Section(
            "by_priority", t("rep.by_priority", lang),
            (t("rep.col_priority", lang),) + tuple(t(f"rep.{k}", lang) for k in TOTALS)
            + (t("rep.wait_mean", lang), t("rep.service_mean", lang), t("rep.within_short", lang)),
            tuple((_name(r, lang),) + tuple(r[k] for k in TOTALS) + (r["wait_min"], r["service_min"],
                                                                      r["within_target_pct"])
                  for r in report["by_priority"])))
    if report.get("utilisation") is not None:
        out.append(Section(
            "utilisation", t("rep.utilisation", lang),
            (t("rep.col_staff", lang), t("rep.open_min", lang), t("rep.serving_min", lang), t("rep.idle_min", lang),
             t("rep.paused_min", lang), t("rep.utilisation_pct", lang), t("rep.paused_by_reason", lang)),
            tuple((r["name"], r["open_min"], r["serving_min"], r["idle_min"], r["paused_min"], r["utilisation_pct"],
                   _pauses(r["paused_by_reason"], lang)) for r in report["utilisation"])))
    previous = report.get("previous")
    if previous:
        now = {**report["totals"], "wait_mean_min": report["wait_min"]["mean"],
               "service_mean_min": report["service_min"]["mean"], "within_target_pct": report["within_target_pct"]}
        span = f"{short_date(date.fromisoformat(previous['from']))} — {short_date(date.fromisoformat(previous['to']))}"
        out.append(Section(
            "previous", t("rep.previous", lang, period=span),
            (t("rep.col_figure", lang), t("rep.col_this_period", lang), t("rep.col_previous", lang),
             t("rep.col_change", lang)),
            tuple((t(COMPARED_LABEL[k], lang), now[k], previous[k], previous["delta"][k]) for k in COMPARED)))
    return out
