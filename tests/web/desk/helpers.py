"""Helpers for the desk console's page tests: sign in through the real form, read CSRF tokens."""

from __future__ import annotations

import re
from typing import Any

PASSWORD = "secret-pass-1"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def csrf_from(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "no csrf_token field on the page"
    return match.group(1)


class Staff:
    """A browser-like session: signs in through /login and posts forms with the page's token."""

    def __init__(self, app: Any) -> None:
        self.client = app.test_client()

    def login(self, username: str, password: str = PASSWORD, **extra: Any) -> Any:
        token = csrf_from(self.client.get("/login").get_data(as_text=True))
        return self.client.post("/login", data={"username": username, "password": password, "csrf_token": token,
                                                **extra})

    def csrf(self) -> str:
        """The session's token, read from a rendered page like a browser would."""
        html = self.client.get("/desk", follow_redirects=True).get_data(as_text=True)  # other roles: their page
        match = _META.search(html)
        assert match, html[:500]
        return match.group(1)

    def open_desk(self, desk: str, office: str = "T1") -> Any:
        return self.client.post("/desk/open", data={"office": office, "desk": desk, "csrf_token": self.csrf()})

    def api(self, method: str, path: str, *, csrf: bool = True, **kw: Any) -> Any:
        headers = {"X-CSRF-Token": self.csrf()} if csrf else {}
        return self.client.open(f"/api/v1{path}", method=method, headers=headers, **kw)


