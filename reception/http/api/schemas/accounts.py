"""Sign-in, one's own password and the user accounts (administration)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from reception.accounts.service import MIN_PASSWORD_LEN
from reception.http.api.schemas.common import Strict, optional
from reception.kernel.bounds import trimmed_text
from reception.kernel.identity import ROLES

Role = Annotated[str, Field(json_schema_extra={"enum": list(ROLES)})]
# Trimmed like every field here (Strict), then MIN_PASSWORD_LEN to 512 characters (the account service).
Password = Field(min_length=1, max_length=512,
                 json_schema_extra={"minLength": MIN_PASSWORD_LEN, "pattern": trimmed_text(MIN_PASSWORD_LEN, 512)})


class TokenIn(Strict):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=512)


class TokenOut(BaseModel):
    token: str
    expires_at: str


class UserIn(Strict):
    username: str = Field(min_length=1, max_length=64,
                          json_schema_extra={"maxLength": 64, "pattern": r"^[A-Za-z0-9._-]+$"})
    password: str = Password
    roles: list[Role] = Field(min_length=1, max_length=6)
    offices: list[str] = Field(default_factory=list, max_length=100)
    full_name: str = Field(default="", max_length=200)
    position: str = Field(default="", max_length=200)
    lang: Literal["uk", "en"] = "uk"
    temporary: bool = True  # the owner must change this password at first sign-in (decision 017)


class UserPatch(Strict):
    full_name: str | None = Field(default=None, max_length=200)  # null or "": cleared
    position: str | None = Field(default=None, max_length=200)
    roles: list[Role] | None = optional(max_length=6, schema={"minItems": 1})
    offices: list[str] | None = optional(max_length=100)
    disabled: bool | None = optional()


class PasswordIn(Strict):
    password: str = Password
    temporary: bool = True  # the owner must change it before anything else


class OwnPasswordIn(Strict):
    current_password: str = Field(min_length=1, max_length=512)
    new_password: str = Password


class UserOut(BaseModel):
    id: int
    username: str
    full_name: str
    position: str
    roles: list[str]
    offices: list[str]
    disabled: bool
    lang: str
    must_change_password: bool
