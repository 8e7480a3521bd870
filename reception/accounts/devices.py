"""Administration of kiosks and displays: list, rename, revoke, and pairing a new one by a short code.

Commands of the core's shape ``(uow, clock, actor, ...)``, audited and hinted like every
administration command (``reception.offices.administration``).  No Flask here.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reception.accounts.auth import new_device_token, token_digest
from reception.accounts.models import Device, DevicePairing
from reception.audit.writer import audit
from reception.kernel.bounds import clean_name, invalid
from reception.kernel.errors import NotFound, ValidationFailed
from reception.kernel.events import DeviceRevoked
from reception.kernel.identity import Actor
from reception.kernel.permissions import Action, authorize
from reception.kernel.unit_of_work import UnitOfWork
from reception.offices.administration import clean_desk_changes, config_changed, managed_office
from reception.offices.lookups import bump_version
from reception.offices.models import Office
from reception.platform.clock import Clock


def device_admin_view(d: Device) -> dict[str, Any]:
    return {"id": d.id, "kind": d.kind, "name": d.name, "zone": d.zone, "office": d.office.code,
            "active": d.is_active, "created_at": d.created_at.isoformat(),
            "last_seen_at": d.last_seen_at.isoformat() if d.last_seen_at else None}


def list_devices(session: Session, actor: Actor, office_code: str | None = None) -> list[dict[str, Any]]:
    authorize(actor, Action.DEVICES_ADMIN)
    query = select(Device).join(Office).order_by(Office.code, Device.kind, Device.id)
    if office_code:
        query = query.where(Office.code == office_code)
    return [device_admin_view(d) for d in session.scalars(query) if actor.can_access_office(d.office_id)]


def _device_in_scope(session: Session, actor: Actor, device_id: int) -> Device:
    authorize(actor, Action.DEVICES_ADMIN)
    device = session.get(Device, device_id)
    if device is None or not actor.can_access_office(device.office_id):
        raise NotFound("admin.unknown_device", id=device_id)
    return device


def rename_device(uow: UnitOfWork, clock: Clock, actor: Actor, device_id: int, name: str) -> dict[str, Any]:
    device = _device_in_scope(uow.session, actor, device_id)
    clean = clean_name(name, "device_name", 100)
    before = device.name
    device.name = clean
    if before != clean:
        audit(uow.session, clock.now(), actor.user_id, "device.rename", "device", str(device.id),
              {"office": device.office.code, "before": {"name": before}, "after": {"name": clean}})
        config_changed(uow, device.office, "device")
    return device_admin_view(device)


def revoke_device(uow: UnitOfWork, clock: Clock, actor: Actor, device_id: int) -> dict[str, Any]:
    """The device's token stops working at once: HTTP looks ``is_active`` up on every request and
    the display's socket hears ``revoked`` (``reception.http.realtime``) and reloads into "not paired"."""
    device = _device_in_scope(uow.session, actor, device_id)
    if device.is_active:
        device.is_active = False
        audit(uow.session, clock.now(), actor.user_id, "device.revoke", "device", str(device.id),
              {"office": device.office.code, "before": {"active": True}, "after": {"active": False}})
        version = bump_version(uow.session, device.office_id)
        uow.collect(DeviceRevoked(office_code=device.office.code, version=version, device_id=device.id))
    return device_admin_view(device)


PAIRING_CODE_DIGITS = 6
PAIRING_VALID_MIN = 10


def _pairing_digest(code: str) -> str:
    return token_digest(f"pairing:{code}")


def create_pairing(uow: UnitOfWork, clock: Clock, actor: Actor, office_code: str, *, kind: str, name: str,
                   zone: str | None = None) -> dict[str, Any]:
    """A 6-digit code, valid 10 minutes, that a new kiosk or display enters on its "not paired"
    page (``/pair``); only its digest is stored, and no two live codes are alike."""
    session = uow.session
    office = managed_office(session, actor, office_code)
    if kind not in ("kiosk", "display"):
        raise invalid("device_kind")
    label = clean_name(name, "device_name", 100)
    clean_zone = clean_desk_changes({"zone": zone})["zone"] if zone else None
    now = clock.now()
    live = set(session.scalars(select(DevicePairing.code_hash).where(
        DevicePairing.expires_at > now, DevicePairing.device_id.is_(None))))
    code = _fresh_code(live)
    pairing = DevicePairing(office_id=office.id, kind=kind, name=label, zone=clean_zone,
                            code_hash=_pairing_digest(code), created_at=now,
                            expires_at=now + timedelta(minutes=PAIRING_VALID_MIN), created_by=actor.user_id)
    session.add(pairing)
    session.flush()
    audit(session, now, actor.user_id, "device.pairing", "device", f"pairing-{pairing.id}",
          {"office": office.code, "before": None, "after": {"kind": kind, "name": label, "zone": clean_zone}})
    return {"code": code, "expires_at": pairing.expires_at.isoformat(), "kind": kind, "name": label}


def _fresh_code(taken: set[str]) -> str:
    while True:
        code = "".join(secrets.choice("0123456789") for _ in range(PAIRING_CODE_DIGITS))
        if _pairing_digest(code) not in taken:
            return code


def redeem_pairing(uow: UnitOfWork, clock: Clock, code: str) -> tuple[str, str]:
    """Pair the device that entered ``code``: (kind, its new long-lived token). The code dies here."""
    digits = "".join(ch for ch in str(code) if ch.isdigit())
    session = uow.session
    now = clock.now()
    pairing = session.scalar(select(DevicePairing).where(
        DevicePairing.code_hash == _pairing_digest(digits), DevicePairing.expires_at > now,
        DevicePairing.device_id.is_(None))) if len(digits) == PAIRING_CODE_DIGITS else None
    if pairing is None:
        raise ValidationFailed("admin.bad.pairing_code")
    token = new_device_token()
    device = Device(office_id=pairing.office_id, kind=pairing.kind, name=pairing.name, zone=pairing.zone,
                    token_hash=token_digest(token), created_at=now)
    session.add(device)
    session.flush()
    pairing.device_id = device.id
    office = session.get(Office, pairing.office_id)
    assert office is not None
    audit(session, now, pairing.created_by, "device.create", "device", str(device.id),
          {"office": office.code, "before": None,
           "after": {"kind": device.kind, "name": device.name, "zone": device.zone, "paired_by_code": True}})
    config_changed(uow, office, "device")
    return device.kind, token

