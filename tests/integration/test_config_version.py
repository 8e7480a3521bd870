"""The office's configuration version (decision 036): every change of the configuration moves it, in the
change's own transaction, whoever makes it; the kiosk's snapshot of it is never used stale, even when
the change was made by another process."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.orm import Session

from reception.bootstrap import bootstrap
from reception.kernel.errors import DomainError, NotFound, OfficeSuspended
from reception.kernel.service_layer import Services
from reception.offices.administration import update_service
from reception.offices.lookups import bump_version
from reception.offices.models import Desk, DeskService, Office, Service, ServiceCategory, Suspension
from reception.offices.snapshot import office_config
from reception.offices.suspension import resume_office, suspend_office
from reception.platform.db import Database, connect
from reception.queue.commands import issue_ticket
from tests.fakes import ROOT

ROOT_DIR = Path(__file__).resolve().parents[2]


def _version(db: Database, code: str = "T1") -> int:
    with db.write_engine.connect() as conn:
        return int(conn.execute(select(Office.config_version).where(Office.code == code)).scalar_one())


def _ids(s: Session) -> dict[str, int]:
    office = s.scalars(select(Office).where(Office.code == "T1")).one()
    consult = s.scalars(select(Service).where(Service.office_id == office.id, Service.code == "consult")).one()
    desk = s.scalars(select(Desk).where(Desk.office_id == office.id, Desk.code == "2")).one()
    return {"office": office.id, "service": consult.id, "desk": desk.id}


# Per table: steps of (what, change, whether it is configuration). Each runs in its own transaction.
Step = tuple[str, Callable[[Session, dict[str, int]], Any], bool]


def _office_steps() -> list[Step]:
    def settings(s: Session, ids: dict[str, int]) -> None:
        office = s.get(Office, ids["office"])
        assert office is not None
        office.settings = {**office.settings, "refuse_unserved": True}

    def hours(s: Session, ids: dict[str, int]) -> None:
        s.execute(update(Office).where(Office.id == ids["office"]).values(opening_hours={"1": [["09:00", "18:00"]]}))

    return [("settings (ORM)", settings, True), ("hours (bulk update)", hours, True),
            ("the live version", lambda s, ids: bump_version(s, ids["office"]), False)]


def _service_steps() -> list[Step]:
    def add(s: Session, ids: dict[str, int]) -> None:
        s.add(Service(office_id=ids["office"], code="extra", prefix="Е", name_uk="Ще", name_en="More"))

    def rename(s: Session, ids: dict[str, int]) -> None:
        service = s.get(Service, ids["service"])
        assert service is not None
        service.name_uk = "Консультація юриста"

    def remove(s: Session, ids: dict[str, int]) -> None:
        s.execute(delete(Service).where(Service.code == "extra"))

    return [("insert", add, True), ("update", rename, True), ("delete", remove, True),
            ("plain SQL", lambda s, ids: s.execute(text("UPDATE services SET daily_limit = 5")), True)]


def _category_steps() -> list[Step]:
    def add(s: Session, ids: dict[str, int]) -> None:
        s.add(ServiceCategory(office_id=ids["office"], code="c", name_uk="К", name_en="C"))

    def rename(s: Session, ids: dict[str, int]) -> None:
        s.execute(update(ServiceCategory).values(sort_order=3))

    return [("insert", add, True), ("update", rename, True),
            ("delete", lambda s, ids: s.execute(delete(ServiceCategory)), True)]


def _desk_steps() -> list[Step]:
    def add(s: Session, ids: dict[str, int]) -> None:
        s.add(Desk(office_id=ids["office"], code="9", name_uk="Вікно 9", name_en="Window 9"))

    def rename(s: Session, ids: dict[str, int]) -> None:
        desk = s.get(Desk, ids["desk"])
        assert desk is not None
        desk.zone, desk.allow_call_specific = "east", True

    def opens(s: Session, ids: dict[str, int]) -> None:  # live state: who sits there, open, paused, streak
        desk = s.get(Desk, ids["desk"])
        assert desk is not None
        desk.status, desk.priority_streak, desk.pause_reason = "open", 2, "break"

    def remove(s: Session, ids: dict[str, int]) -> None:
        s.execute(delete(Desk).where(Desk.code == "9"))

    return [("insert", add, True), ("update", rename, True), ("the live status", opens, False),
            ("delete", remove, True)]


def _link_steps() -> list[Step]:
    def link(s: Session, ids: dict[str, int]) -> None:
        appeal = s.scalar(select(Service.id).where(Service.code == "appeal"))
        assert appeal is not None
        s.add(DeskService(desk_id=ids["desk"], service_id=appeal))

    def weigh(s: Session, ids: dict[str, int]) -> None:
        s.execute(update(DeskService).where(DeskService.desk_id == ids["desk"]).values(weight=2.0))

    def unlink(s: Session, ids: dict[str, int]) -> None:
        desk = s.get(Desk, ids["desk"])
        assert desk is not None
        desk.services = [ds for ds in desk.services if ds.service_id == ids["service"]]

    return [("insert", link, True), ("update", weigh, True), ("delete (ORM orphan)", unlink, True)]


def _suspension_steps() -> list[Step]:
    def start(s: Session, ids: dict[str, int]) -> None:
        from datetime import UTC, datetime

        s.add(Suspension(office_id=ids["office"], reason="air_raid", since=datetime(2026, 1, 1, tzinfo=UTC)))

    def end(s: Session, ids: dict[str, int]) -> None:
        from datetime import UTC, datetime

        s.execute(update(Suspension).values(ended_at=datetime(2026, 1, 1, 1, tzinfo=UTC)))

    return [("insert", start, True), ("update (bulk)", end, True),
            ("delete", lambda s, ids: s.execute(delete(Suspension)), True)]


TABLES = {"offices": _office_steps, "services": _service_steps, "service_categories": _category_steps,
          "desks": _desk_steps, "desk_services": _link_steps, "suspensions": _suspension_steps}


def test_every_configuration_table_is_watched() -> None:
    from reception.offices.config_version import WATCHED

    assert {w.table.name for w in WATCHED} == set(TABLES)


@pytest.mark.parametrize("table", sorted(TABLES))
def test_every_change_of_the_configuration_moves_the_version(db: Database, office: str, table: str) -> None:
    for what, change, is_configuration in TABLES[table]():
        before = _version(db)
        with db.write() as s:
            change(s, _ids(s))
        after = _version(db)
        assert (after > before) is is_configuration, f"{table}: {what} {'did not move' if is_configuration else 'moved'} it"


def test_a_rolled_back_change_leaves_the_version(db: Database, office: str) -> None:
    before = _version(db)
    with pytest.raises(RuntimeError), db.write() as s:
        s.execute(update(Service).values(name_uk="Ні"))
        raise RuntimeError("rolled back")
    assert _version(db) == before


def _services(db: Database, clock: Any) -> Services:
    return bootstrap(db, clock).services


def _ticket(services: Services, code: str = "consult") -> str:
    result = services.value(issue_ticket, office_code="T1", service_code=code)
    assert result.ticket is not None
    return str(result.ticket["code"])


def test_a_service_closed_by_another_process_refuses_the_very_next_ticket(db: Database, db_url: str, clock: Any,
                                                                          office: str) -> None:
    kiosk = _services(db, clock)
    assert _ticket(kiosk).startswith("К")  # the snapshot is warm
    script = ("from reception.bootstrap import bootstrap\n"
              "from reception.platform.db import connect\n"
              "from reception.offices.administration import update_service\n"
              "from tests.fakes import ROOT\n"
              "import sys\n"
              "db = connect(sys.argv[1])\n"
              "bootstrap(db).services.value(update_service, ROOT, 'T1', 'consult', {'is_active': False})\n"
              "db.dispose()\n")
    env = os.environ | {"PYTHONPATH": str(ROOT_DIR)}
    subprocess.run([sys.executable, "-c", script, db_url], check=True, env=env, cwd=ROOT_DIR, timeout=120)
    with pytest.raises(NotFound) as refused:
        _ticket(kiosk)
    assert refused.value.key == "error.unknown_service"
    assert _ticket(kiosk, "appeal").startswith("С")  # the rest of the office still works


def test_a_suspension_made_through_another_engine_refuses_the_very_next_ticket(db: Database, db_url: str, clock: Any,
                                                                              office: str) -> None:
    kiosk = _services(db, clock)
    _ticket(kiosk)
    other = connect(db_url)  # another pool and another snapshot cache: as another process
    try:
        _services(other, clock).value(suspend_office, ROOT, "T1", "air_raid")
        with pytest.raises(DomainError) as refused:
            _ticket(kiosk)
        assert isinstance(refused.value, OfficeSuspended)
        _services(other, clock).value(resume_office, ROOT, "T1")
        _ticket(kiosk)  # and the resume is seen as soon
    finally:
        other.dispose()


def test_the_snapshot_is_reused_while_the_version_stands(db: Database, office: str) -> None:
    with db.write() as s:
        first = office_config(s, "T1")
    with db.write() as s:
        assert office_config(s, "T1") is first
    with db.write() as s:
        s.execute(text("UPDATE services SET name_en = 'Advice' WHERE code = 'consult'"))
    with db.write() as s:
        fresh = office_config(s, "T1")
        assert fresh is not first and fresh.version > first.version
        assert fresh.services["consult"]["name_en"] == "Advice"
        assert fresh.office_in(s) is s.get(Office, fresh.office_id)  # one object per row in a session


def test_a_ticket_numbered_by_a_stale_snapshot_gives_its_number_back(db: Database, db_url: str, clock: Any,
                                                                      office: str) -> None:
    """The kiosk ticket checks its snapshot by the version its number came with (one statement): another
    process's change of the service's letter makes this process number, find the version moved, give the
    number back, and number again by the new configuration: the next number, with the new letter."""
    kiosk = _services(db, clock)
    assert _ticket(kiosk) == "К-001"  # the snapshot is warm
    other = connect(db_url)  # another pool and another snapshot cache: as another process
    try:
        _services(other, clock).value(update_service, ROOT, "T1", "consult", {"prefix": "Ж"})
    finally:
        other.dispose()
    assert _ticket(kiosk) == "Ж-002"  # not 003: the number the stale snapshot took went back
    assert _ticket(kiosk) == "Ж-003"
