"""Visitor satisfaction in the report: the feedback scores of the period's visits (decision 039).

Read from the feedback table on every report rather than kept in the roll-ups: a visit may be rated for
days after it ended (the feedback window), longer than a day takes to become final. Attributed, as every
other figure, to the visit's office-local day; per service, desk and staff member of the visit's end.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from reception.feedback.reads import by_group, scores
from reception.feedback.rules import SCORES, satisfaction
from reception.platform.i18n import t
from reception.reports.tables import Section
from reception.reports.texts import short_date

EMPTY = satisfaction(())
GROUPS = (("by_service", "service"), ("by_desk", "desk"), ("by_staff", "staff"))


def read(s: Session, office_ids: Iterable[int], day_from: date, day_to: date) -> dict[str, Any]:
    """The total and per service, desk, staff member (ids) and day (ISO dates)."""
    return by_group(scores(s, office_ids, day_from, day_to))


def attach(figures: dict[str, Any], found: dict[str, Any]) -> None:
    """Give every group row of the figures (keyed by ids, before labelling) and every day its satisfaction."""
    for section, group in GROUPS:
        for key, row in figures[section].items():
            row["satisfaction"] = found[group].get(key, EMPTY)
    for row in figures["by_day"]:
        row["satisfaction"] = found["day"].get(row["date"], EMPTY)


def _sat(row: dict[str, Any]) -> dict[str, Any]:
    return row.get("satisfaction") or EMPTY


def _name(row: dict[str, Any], lang: str) -> str:
    return str(row.get(f"name_{lang}") or row.get("name_uk") or row.get("name") or "")


def summary_rows(report: dict[str, Any], lang: str) -> list[tuple[str, Any]]:
    """(figure, value): responses, mean, then how many gave each score, 5 first."""
    sat = _sat(report)
    rows: list[tuple[str, Any]] = [(t("rep.sat_responses", lang), sat["responses"]), (t("rep.sat_mean", lang), sat["mean"])]
    rows += [(t("rep.sat_score", lang, score=score), sat["by_score"][str(score)]) for score in reversed(SCORES)]
    return rows


def sections(report: dict[str, Any], lang: str) -> list[Section]:
    """The summary, then per service, desk, staff member and day (groups without responses left out)."""
    if "satisfaction" not in report:
        return []
    multi = report["office"] is None
    counts = (t("rep.sat_responses", lang), t("rep.sat_mean", lang))

    def group(key: str, title: str, column: str, name: Any) -> Section:
        office_col = (t("rep.office", lang),) if multi and key != "by_staff" else ()
        rows = tuple(((r.get("office", ""),) if office_col else ()) + (name(r),)
                     + (_sat(r)["responses"], _sat(r)["mean"]) for r in report[key] if _sat(r)["responses"])
        return Section(f"satisfaction_{key}", t(title, lang), office_col + (t(column, lang),) + counts, rows,
                       len(office_col) + 1)

    return [
        Section("satisfaction", t("rep.satisfaction", lang), (t("rep.col_figure", lang), t("rep.col_value", lang)),
                tuple(summary_rows(report, lang))),
        group("by_service", "rep.sat_by_service", "rep.col_service", lambda r: _name(r, lang)),
        group("by_desk", "rep.sat_by_desk", "rep.col_desk", lambda r: _name(r, lang)),
        group("by_staff", "rep.sat_by_staff", "rep.col_staff", lambda r: r["name"]),
        Section("satisfaction_by_day", t("rep.sat_by_day", lang), (t("rep.col_date", lang),) + counts,
                tuple((short_date(date.fromisoformat(r["date"])), _sat(r)["responses"], _sat(r)["mean"])
                      for r in report["by_day"] if _sat(r)["responses"])),
    ]


def csv_rows(report: dict[str, Any], lang: str) -> list[tuple[Any, ...]]:
    """The CSV's tidy rows (section, office, code, name, measure, value) of satisfaction."""
    if "satisfaction" not in report:
        return []
    title = t("rep.satisfaction", lang)
    out: list[tuple[Any, ...]] = [(title, "", "", "", figure, value) for figure, value in summary_rows(report, lang)]
    measures = (("rep.sat_responses", "responses"), ("rep.sat_mean", "mean"))
    for section, code_key, title_key in (("by_service", "service", "rep.sat_by_service"),
                                         ("by_desk", "desk", "rep.sat_by_desk"),
                                         ("by_staff", "user", "rep.sat_by_staff")):
        for row in report[section]:
            for label, key in measures:
                out.append((t(title_key, lang), row.get("office", ""), row[code_key], _name(row, lang), t(label, lang),
                            _sat(row)[key]))
    for row in report["by_day"]:
        for label, key in measures:
            out.append((t("rep.sat_by_day", lang), "", short_date(date.fromisoformat(row["date"])), "", t(label, lang),
                        _sat(row)[key]))
    return out
