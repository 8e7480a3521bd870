"""Reports that arrive: the subscription on the reports page, and the daily job that on Mondays (the past
week) and on the 1st (the past month) writes the PDF and XLSX and queues one e-mail per subscription and
period, however often it runs; on SQLite and PostgreSQL."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from sqlalchemy import select

from reception.audit.models import AuditLog
from reception.notifications.models import Message, Subscription
from reception.reports.delivery import deliver, due_periods
from tests.fakes import signed_in
from tests.web.leadership.test_leadership_pages import sign_in

PAGE = "/backoffice/reports"


def kyiv(month: int, day: int, hh: int, mm: int = 0) -> datetime:
    return datetime(2026, month, day, hh - 2, mm, tzinfo=UTC)


def _subscribe(client: Any, csrf: str, period: str, address: str = "boss@example.org") -> Any:
    return client.post(f"{PAGE}/subscriptions", data={"csrf_token": csrf, "office": "T1", "period": period,
                                                      "address": address})


def test_a_manager_subscribes_and_unsubscribes_on_the_reports_page(client, db, clock, office) -> None:
    csrf = sign_in(client, db, clock, "mgr", ["manager"])
    html = client.get(PAGE).get_data(as_text=True)
    assert "Звіт на електронну пошту" in html and "Підписок поки немає." in html
    assert client.post(f"{PAGE}/subscriptions", data={"office": "T1", "period": "week",
                                                      "address": "a@example.org"}).status_code == 403  # no CSRF
    assert _subscribe(client, csrf, "week").status_code == 302
    assert _subscribe(client, csrf, "week").status_code == 302  # the same again: still one
    html = client.get(PAGE).get_data(as_text=True)
    assert "Підписку оформлено." in html and "щотижня, на boss@example.org" in html
    _subscribe(client, csrf, "daily")
    assert "Оберіть, як часто надсилати звіт" in client.get(PAGE).get_data(as_text=True)
    _subscribe(client, csrf, "month", "not-an-address")
    assert "Потрібна правильна адреса електронної пошти." in client.get(PAGE).get_data(as_text=True)
    with db.read() as s:
        (sub,) = s.scalars(select(Subscription)).all()
        assert (sub.topic, sub.channel, sub.address, sub.data) == ("reports", "email", "boss@example.org",
                                                                   {"period": "week"})
        sub_id, mgr_id = sub.id, sub.user_id
    other = sign_in(client, db, clock, "mgr2", ["manager"])  # someone else's subscription: refused
    client.post(f"{PAGE}/subscriptions/{sub_id}/delete", data={"csrf_token": other})
    with db.read() as s:
        assert s.get(Subscription, sub_id).revoked_at is None
    signed_in(client, db, clock, mgr_id)
    assert client.post(f"{PAGE}/subscriptions/{sub_id}/delete", data={"csrf_token": csrf}).status_code == 302
    html = client.get(PAGE).get_data(as_text=True)
    assert "Підписку скасовано." in html and "Підписок поки немає." in html
    with db.read() as s:
        assert s.get(Subscription, sub_id).revoked_at is not None
        actions = [a.action for a in s.scalars(select(AuditLog).where(AuditLog.object_type == "subscription"))]
        assert actions == ["reports.subscribe", "reports.unsubscribe"]
    assert client.post(f"{PAGE}/subscriptions/{sub_id}/delete", data={"csrf_token": csrf}).status_code == 302


def test_operators_cannot_subscribe(client, db, clock, office) -> None:
    csrf = sign_in(client, db, clock, "op", ["operator"])
    assert _subscribe(client, csrf, "week").status_code == 403


def test_the_periods_due() -> None:
    from datetime import date

    assert due_periods(date(2026, 11, 23)) == {"week": (date(2026, 11, 16), date(2026, 11, 22))}  # a Monday
    assert due_periods(date(2026, 12, 1)) == {"month": (date(2026, 11, 1), date(2026, 11, 30))}
    assert due_periods(date(2027, 3, 1)) == {"week": (date(2027, 2, 22), date(2027, 2, 28)),
                                              "month": (date(2027, 2, 1), date(2027, 2, 28))}
    assert due_periods(date(2026, 11, 24)) == {}


def test_the_job_queues_each_period_once_with_files_that_open(api, db, clock, tmp_path: Path) -> None:
    kiosk = api.device("kiosk")
    csrf = sign_in(api.client, db, clock, "mgr", ["manager"])
    _subscribe(api.client, csrf, "week")
    _subscribe(api.client, csrf, "month", "monthly@example.org")
    for day in (17, 18, 30):  # two in the week 16-22 November, one more on the 30th (the month only)
        clock.set(kyiv(11, day, 10))
        assert api.call("POST", "/kiosk/tickets", kiosk, json={"service": "consult"}).status_code == 201
    folder = tmp_path / "reports"
    clock.set(kyiv(11, 23, 6))  # Monday 06:00
    assert deliver(db, clock, folder) == 1
    assert deliver(db, clock, folder) == 0  # a second run (or a second process): nothing new
    clock.set(kyiv(11, 24, 6))
    assert deliver(db, clock, folder) == 0  # a Tuesday: nothing due
    clock.set(kyiv(12, 1, 6))
    assert deliver(db, clock, folder) == 1  # the 1st: November
    assert deliver(db, clock, folder) == 0
    with db.read() as s:
        week, month = s.scalars(select(Message).order_by(Message.id)).all()
    assert week.idempotency_key.startswith("report:") and week.idempotency_key.endswith(":week:2026-11-16")
    assert (week.channel, week.address, week.kind) == ("email", "boss@example.org", "report")
    assert week.subject == "Звіт за тиждень 16 листопада 2026 — 22 листопада 2026: Тестова установа T1"
    assert "Видано талонів: 2;" in week.body
    assert month.idempotency_key.endswith(":month:2026-11-01") and month.address == "monthly@example.org"
    assert "Видано талонів: 3;" in month.body
    for message in (week, month):
        pdf, xlsx = message.attachments
        assert (pdf["content_type"], xlsx["content_type"]) == (
            "application/pdf", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        assert Path(pdf["path"]).read_bytes().startswith(b"%PDF-") and pdf["filename"].endswith(".pdf")
        assert Path(pdf["path"]).parent == folder / "T1"
        book = load_workbook(io.BytesIO(Path(xlsx["path"]).read_bytes()))
        assert "Завантаженість працівників" in book.sheetnames
    summary = load_workbook(Path(week.attachments[1]["path"])).worksheets[0]
    assert [c.value for c in summary[3]][:2] == ["Видано талонів", 2]


def test_nothing_goes_to_whom_lost_the_right_or_unsubscribed(api, db, clock, tmp_path: Path) -> None:
    from reception.accounts.models import User

    csrf = sign_in(api.client, db, clock, "mgr", ["manager"])
    _subscribe(api.client, csrf, "week")
    with db.write() as s:
        user = s.scalar(select(User).where(User.username == "mgr"))
        user.roles = ["operator"]
    clock.set(kyiv(11, 23, 6))
    assert deliver(db, clock, tmp_path) == 0
    with db.write() as s:
        s.scalar(select(User).where(User.username == "mgr")).roles = ["manager"]
        s.scalar(select(Subscription)).revoked_at = clock.now()
    assert deliver(db, clock, tmp_path) == 0


def test_the_server_schedules_the_job(app) -> None:
    from reception.ops.server import scheduled_jobs, start_jobs

    scheduler = app.extensions["reception.report_scheduler"]
    assert scheduler.job.name == "reports.deliver" and scheduler.job.hour == 6
    assert scheduler.job.run() == 0  # the test clock's Tuesday: nothing due, nothing written
    started: list[str] = []
    for job in scheduled_jobs(app):  # none really starts: a job's thread would outlive this test
        job.start = lambda job=job: started.append(job.job.name)
    start_jobs(app)
    assert "reports.deliver" in started  # the serving process starts it with the others


def test_one_failing_subscription_does_not_hold_up_the_others(api, db, clock, tmp_path: Path, caplog) -> None:
    from tests.fakes import CSRF_TOKEN, add_user, build_office

    build_office(db, "T2")
    signed_in(api.client, db, clock, add_user(db, clock, "mgr", ["manager"], ["T1", "T2"]))
    _subscribe(api.client, CSRF_TOKEN, "week", "first@example.org")
    api.client.post(f"{PAGE}/subscriptions", data={"csrf_token": CSRF_TOKEN, "office": "T2", "period": "week",
                                                   "address": "second@example.org"})
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "T1").write_text("a file where T1's folder should be")  # T1's files cannot be written
    clock.set(kyiv(11, 23, 6))
    assert deliver(db, clock, folder) == 1  # T2's report goes; T1's is logged
    assert "not queued" in caplog.text
    with db.read() as s:
        assert [m.address for m in s.scalars(select(Message))] == ["second@example.org"]
    (folder / "T1").unlink()
    assert deliver(db, clock, folder) == 1  # the next run sends T1's, and T2's not again
