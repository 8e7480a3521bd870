"""The phone page (/t/<token>) renders the feedback block in the state the visit is in."""

from __future__ import annotations

import re
from typing import Any


def block(client: Any, token: str) -> str:
    r = client.get(f"/t/{token}")
    assert r.status_code == 200
    page = r.get_data(as_text=True)
    found = re.search(r'<section class="fb" id="feedback".*?</section>', page, re.S)
    assert found, "the block is on the page"
    return found.group(0)


def test_the_block_follows_the_visit(visits, client, app, clock) -> None:
    waiting = visits.issue()
    assert re.search(r'data-state="not_finished" hidden', block(client, waiting["token"]))
    visits.call()
    visits.finish(waiting["id"])
    html = block(client, waiting["token"])
    assert 'data-state="open"' in html and 'id="fb-form" novalidate>' in html  # the form is shown
    assert html.count('type="radio" name="score"') == 5 and "Як пройшов візит?" in html
    assert '<label class="fb-comment-label" for="fb-comment">' in html and 'maxlength="1000"' in html
    assert "style=" not in html and "<script>" not in html  # the strict CSP: nothing inline
    assert visits.rate(waiting["token"], score=5).status_code == 201
    html = block(client, waiting["token"])
    assert 'data-state="given"' in html and 'id="fb-thanks" role="status">' in html
    other = visits.finished()
    clock.advance(hours=73)
    html = block(client, other["token"])
    assert 'data-state="closed"' in html and 'id="fb-closed">' in html


def test_the_block_speaks_english_when_asked(visits, client) -> None:
    ticket = visits.finished()
    page = client.get(f"/t/{ticket['token']}?lang=en").get_data(as_text=True)
    assert "How did your visit go?" in page and "Excellent" in page
