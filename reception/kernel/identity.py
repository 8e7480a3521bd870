"""Who is acting: the roles a person may hold and the caller's identity every command takes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from reception.kernel.errors import Forbidden

ROLES = ("admin", "manager", "operator", "leader", "call_centre", "auditor")

# Roles nest: admin may do all that a manager may.  Who may do what: reception.kernel.permissions.
IMPLIED_ROLES: dict[str, frozenset[str]] = {"admin": frozenset({"manager"})}


@dataclass(frozen=True)
class Actor:
    """The authenticated caller of a service: a staff user or a paired device."""

    user_id: int | None = None
    username: str | None = None
    roles: frozenset[str] = field(default_factory=frozenset)
    office_ids: frozenset[int] = field(default_factory=frozenset)
    device_id: int | None = None
    device_kind: str | None = None  # kiosk | display
    must_change_password: bool = False  # set by an admin's create or reset: nothing else until changed

    @property
    def is_admin(self) -> bool:
        return "admin" in self.roles

    @property
    def effective_roles(self) -> frozenset[str]:
        roles = set(self.roles)
        for role in self.roles:
            roles |= IMPLIED_ROLES.get(role, frozenset())
        return frozenset(roles)

    def has_any(self, roles: Iterable[str]) -> bool:
        return bool(self.effective_roles & set(roles))

    def can_access_office(self, office_id: int) -> bool:
        return self.is_admin or office_id in self.office_ids

    def require_office(self, office_id: int) -> None:
        if not self.can_access_office(office_id):
            raise Forbidden("error.other_office")
