"""Reports: the summary as JSON, CSV, XLSX and PDF, for managers and auditors."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Response, jsonify, request
from flask.typing import ResponseReturnValue

from reception.http.api import bp
from reception.http.api.registry import Param, api_route
from reception.http.callers import acting
from reception.http.language import request_lang
from reception.http.wiring import wiring
from reception.kernel.permissions import Action
from reception.reports import service as reports
from reception.reports.exports import to_csv, to_xlsx
from reception.reports.pdf import to_pdf

WHO = "manager, auditor (their offices); admin (all)"
PARAMS = (Param("office", "query", str, False, "office code; left out: every office the caller may see"),
          Param("from", "query", date, False, "first office-local date, YYYY-MM-DD (default: 1st of this month)"),
          Param("to", "query", date, False, "last office-local date, included, YYYY-MM-DD (default: today)"))
PROBLEMS = {401: None, 403: None, 404: None, 422: None}
FORMATS = {
    "csv": ("text/csv; charset=utf-8", to_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", to_xlsx),
    "pdf": ("application/pdf", to_pdf),
}


def _report() -> dict[str, Any]:
    actor = acting()
    w = wiring()
    args = request.args
    return reports.summary(w.db, w.clock, actor, args.get("office") or None,
                           reports.parse_day(args.get("from"), "from"), reports.parse_day(args.get("to"), "to"))


@api_route(bp, "GET", "/reports/summary", summary="Queue report for a period", tag="reports", action=Action.REPORTS_READ,
           params=PARAMS, responses={200: "ReportOut", **PROBLEMS})
def report_summary() -> ResponseReturnValue:
    return jsonify(_report())


def _download(fmt: str) -> Response:
    report = _report()
    mimetype, render = FORMATS[fmt]
    lang = "uk" if fmt == "pdf" else request_lang()  # the PDF is always in Ukrainian (decision 015)
    body = render(report, lang, reports.outcome_names(wiring().db, lang))
    filename = f"report-{report['office'] or 'all'}-{report['from']}-{report['to']}.{fmt}"
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})


@api_route(bp, "GET", "/reports/summary.csv", summary="The queue report as CSV (one figure per row)",
           tag="reports", action=Action.REPORTS_READ, params=PARAMS, responses={200: "text/csv", **PROBLEMS})
def report_csv() -> ResponseReturnValue:
    return _download("csv")


@api_route(bp, "GET", "/reports/summary.xlsx", summary="The queue report as an Excel workbook",
           tag="reports", action=Action.REPORTS_READ, params=PARAMS, responses={200: FORMATS["xlsx"][0], **PROBLEMS})
def report_xlsx() -> ResponseReturnValue:
    return _download("xlsx")


@api_route(bp, "GET", "/reports/summary.pdf", summary="The queue report as an A4 PDF with charts (Ukrainian)",
           tag="reports", action=Action.REPORTS_READ, params=PARAMS, responses={200: "application/pdf", **PROBLEMS})
def report_pdf() -> ResponseReturnValue:
    return _download("pdf")


@api_route(bp, "GET", "/reports/arrivals", summary="Booked, remote and walk-in visitors: wait, no-show, lateness",
           tag="reports", action=Action.REPORTS_READ, params=PARAMS, responses={200: "ArrivalsReport", **PROBLEMS})
def report_arrivals() -> ResponseReturnValue:
    from reception.reports.arrivals import arrivals

    w, args = wiring(), request.args
    return jsonify(arrivals(w.db, w.clock, acting(), args.get("office") or None,
                            reports.parse_day(args.get("from"), "from"), reports.parse_day(args.get("to"), "to")))
