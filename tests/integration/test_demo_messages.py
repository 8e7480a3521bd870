"""The demo without any gateway: its messages are shown in the back office as not sent, with the reason."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reception.notifications.channels import configured_channels
from reception.notifications.delivery import deliver_due
from reception.ops.demo import SAMPLE_MESSAGES, seed
from tests.fakes import make_test_app, signed_in


def test_demo_messages_are_visible_in_the_back_office_without_gateways(db: Any, db_url: str, clock: Any,
                                                                        tmp_path: Path) -> None:
    seed(db, clock, str(tmp_path))
    app = make_test_app(db_url, clock)
    try:
        job = app.extensions["reception.notify_scheduler"]
        assert job.job.name == "notifications.deliver"
        assert job.tick()  # what the serving process's job does every few seconds
        client = app.test_client()
        from sqlalchemy import select

        from reception.accounts.models import User

        with db.read() as s:
            manager = s.scalar(select(User.id).where(User.username == "manager"))
        assert manager is not None
        signed_in(client, db, clock, manager)
        html = client.get("/backoffice/messages").get_data(as_text=True)
        assert html.count("Канал не налаштовано на сервері") == len(SAMPLE_MESSAGES)
        assert "d•••@example.com" in html and "Не надіслано" in html
    finally:
        app.extensions["reception"].db.dispose()


def test_demo_messages_with_a_gateway_configured(db: Any, clock: Any, tmp_path: Path,
                                                 telegram_server: Any, smtp_server: Any) -> None:
    seed(db, clock, str(tmp_path))
    outcome = deliver_due(db, clock, configured_channels({**telegram_server.config, **smtp_server.config}))
    # e-mail to example.com is taken by the (local) SMTP server; Telegram refuses chat 0; SMS is not configured
    assert (outcome.sent, outcome.failed) == (1, 2)
    assert [m["To"] for m in smtp_server.messages] == ["demo@example.com"]
