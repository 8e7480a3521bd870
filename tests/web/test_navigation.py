"""The staff header lists exactly the pages its user may open: the permission table decides both."""

from __future__ import annotations

import re

import pytest

from backoffice.assets import NAV
from reception.kernel.identity import ROLES
from tests.fakes import add_user, build_office, signed_in

LINK = re.compile(r'<a[^>]*href="([^"?#]+)[^"]*"')


@pytest.mark.parametrize("role", sorted(ROLES))
def test_header_links_are_the_pages_the_role_may_open(app, client, db, clock, role: str) -> None:
    build_office(db)
    user_id = add_user(db, clock, f"user_{role}", [role], ["T1"])
    signed_in(client, db, clock, user_id)
    with app.test_request_context():
        from flask import url_for
        urls = {url_for(entry.endpoint) for entry in NAV}
    pages = {url: client.get(url) for url in sorted(urls)}
    opens = {url for url, page in pages.items() if page.status_code == 200}
    assert opens, f"{role} may open no page at all"
    for url in opens:  # every page's header says the same
        html = pages[url].get_data(as_text=True)
        nav = html.split('class="bo-nav"', 1)[1].split("</nav>", 1)[0]
        assert set(LINK.findall(nav)) & urls == opens, (role, url)
