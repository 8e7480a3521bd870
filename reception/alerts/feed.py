"""The air-raid feed: polls alerts.in.ua's active alerts and suspends the offices of the regions under
an air-raid alert (decision 040).

``GET {base}/v1/alerts/active.json`` with ``Authorization: Bearer {token}``, conditional
(``If-Modified-Since`` with the last ``Last-Modified``; a 304 is "no change"), backing off on a 429
(``Retry-After``, else doubling). The answer's ``alerts`` are the alerts in force; an ``air_raid`` one
covers its ``location_uid`` and its ``location_oblast_uid``. An office follows the region named by its
``alert_region``.

A *start* (a region that was not under an alert, or under another one) suspends the office by the
feed (:func:`reception.offices.suspension.feed_suspend`); an *end* schedules the resume of the feed's
own suspension by the 10/30-minute rule (:func:`~reception.offices.suspension.feed_all_clear`). The
feed never resumes a manager's suspension, and a manager may resume the feed's at any time: the next
poll sees no start, so it does not suspend again. A feed that is down, refuses the token or answers
garbage changes nothing and raises ``feed_down`` for every office that follows it, until it answers.
The set of regions under an alert, the conditional header and the back-off are kept in the database
(``alert_feed_state``), so whichever server process holds the job's lease goes on from the last poll.
"""

from __future__ import annotations

import contextlib
import json
import logging
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reception.alerts.evaluate import QUIET_MIN, apply
from reception.alerts.models import AlertFeedState
from reception.alerts.rules import FEED_KINDS, feed_condition
from reception.kernel.service_layer import Services
from reception.kernel.unit_of_work import UnitOfWork
from reception.offices.models import Office
from reception.offices.suspension import feed_all_clear, feed_suspend
from reception.platform.clock import Clock

log = logging.getLogger(__name__)

DEFAULT_URL = "https://api.alerts.in.ua"
PATH = "/v1/alerts/active.json"
TIMEOUT_S = 8.0
MAX_BODY = 4 * 1024 * 1024
MAX_BACKOFF_S = 900
REGION_MAX = 12  # a location uid: a few digits (an oblast "14", a hromada "1234")


def valid_region(value: str) -> bool:
    return 0 < len(value) <= REGION_MAX and value.isascii() and value.isdigit()


class FeedError(Exception):
    """The feed did not give a usable answer: down, refused, or garbage."""


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes = b""
    last_modified: str | None = None
    retry_after: str | None = None


Fetch = Callable[[str, str | None, str | None], Answer]  # (url, token, If-Modified-Since) -> answer


def http_get(url: str, token: str | None, since: str | None, timeout: float = TIMEOUT_S) -> Answer:
    """One GET of the active alerts; a network failure raises :class:`FeedError`."""
    headers = {"Accept": "application/json", "User-Agent": "reception-alert-feed"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if since:
        headers["If-Modified-Since"] = since
    request = urllib.request.Request(url, headers=headers, method="GET")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (an operator's https URL)
            return Answer(response.status, response.read(MAX_BODY + 1), response.headers.get("Last-Modified"))
    except urllib.error.HTTPError as error:  # 304, 429, 4xx, 5xx: an answer, not a failure of the network
        with error:
            return Answer(error.code, b"", error.headers.get("Last-Modified"), error.headers.get("Retry-After"))
    except (OSError, ValueError) as exc:
        raise FeedError(f"unreachable: {type(exc).__name__}: {exc}"[:300]) from exc


def _uid(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    text = str(value).strip()
    return text if valid_region(text) else None


def active_regions(body: bytes) -> dict[str, str]:
    """Region uid -> the started_at of the air-raid alert over it, from an answer of the feed.

    Raises :class:`FeedError` on anything but the documented shape (``{"alerts": [{...}], ...}``)."""
    if len(body) > MAX_BODY:
        raise FeedError("garbage: answer too large")
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise FeedError("garbage: not JSON") from exc
    if not isinstance(data, dict) or not isinstance(data.get("alerts"), list):
        raise FeedError("garbage: no list of alerts")
    regions: dict[str, str] = {}
    for item in data["alerts"]:
        if not isinstance(item, dict) or not isinstance(item.get("alert_type"), str):
            raise FeedError("garbage: an alert without its type")
        if item["alert_type"] != "air_raid" or item.get("finished_at"):
            continue
        started = str(item.get("started_at") or "")
        uids = [_uid(item.get("location_uid")), _uid(item.get("location_oblast_uid"))]
        if uids[0] is None and uids[1] is None:
            raise FeedError("garbage: an alert without its location uid")
        for uid in uids:
            if uid is not None:
                regions[uid] = max(regions.get(uid, ""), started) if uid in regions else started
    return regions


def _state(session: Session) -> AlertFeedState:
    state = session.get(AlertFeedState, 1)
    if state is None:
        state = AlertFeedState(id=1, backoff_s=0, active={})
        session.add(state)
        session.flush()
    return state


def _following(session: Session) -> list[Office]:
    return list(session.scalars(select(Office).where(Office.is_active.is_(True), Office.alert_region.is_not(None))
                                .order_by(Office.id)))


def _feed_down(uow: UnitOfWork, state: AlertFeedState, now: datetime, quiet_min: int) -> None:
    held = feed_condition(state.failing_since, state.error)
    for office in _following(uow.session):
        apply(uow, office, now, held, FEED_KINDS, quiet_min)


def record_failure(uow: UnitOfWork, clock: Clock, error: str, quiet_min: int = QUIET_MIN) -> str:
    """Down, refused or garbage: nothing changes but ``feed_down`` (raised once, for every office that follows)."""
    now = clock.now()
    state = _state(uow.session)
    state.failing_since = state.failing_since or now
    state.error = error[:300]
    _feed_down(uow, state, now, quiet_min)
    return f"feed failing: {state.error}"


def record_backoff(uow: UnitOfWork, clock: Clock, retry_after: str | None, poll_s: int) -> str:
    """429: no request before the feed's ``Retry-After`` (seconds or a date), else twice the last wait."""
    now = clock.now()
    state = _state(uow.session)
    wait = min(max(2 * (state.backoff_s or 0), 2 * poll_s), MAX_BACKOFF_S)
    if retry_after:
        try:
            wait = int(retry_after.strip())
        except ValueError:
            with contextlib.suppress(TypeError, ValueError):
                wait = int((parsedate_to_datetime(retry_after) - now).total_seconds())
        wait = min(max(wait, 1), MAX_BACKOFF_S)
    state.backoff_s = wait
    state.retry_after = now + timedelta(seconds=wait)
    return f"feed asks to slow down: next request in {wait} s"


def record_answer(uow: UnitOfWork, clock: Clock, regions: dict[str, str] | None, last_modified: str | None,
                  quiet_min: int = QUIET_MIN) -> str:
    """A good answer (``regions`` None: 304, nothing changed): suspend where an alert started, schedule
    the resume where one ended, clear ``feed_down``."""
    now = clock.now()
    session = uow.session
    state = _state(session)
    done = []
    if regions is not None:
        before: dict[str, Any] = dict(state.active or {})
        for office in _following(session):
            region = str(office.alert_region)
            if region in regions and before.get(region) != regions[region]:
                if feed_suspend(uow, clock, office.code):
                    done.append(f"{office.code} suspended")
            elif region not in regions and region in before and feed_all_clear(uow, clock, office.code):
                done.append(f"{office.code} resumes")
        state.active = dict(regions)
        if last_modified:
            state.last_modified = last_modified[:64]
    state.ok_at, state.failing_since, state.error = now, None, None
    state.retry_after, state.backoff_s = None, 0
    _feed_down(uow, state, now, quiet_min)
    return ", ".join(done) or ("not modified" if regions is None else "no change")


class FeedPoller:
    """The ``alerts.feed`` periodic job: one conditional GET, then one unit of work with what it said."""

    def __init__(self, services: Services, base_url: str, token: str | None, poll_s: int = 15,
                 quiet_min: int = QUIET_MIN, fetch: Fetch | None = None) -> None:
        self.services, self.token, self.poll_s, self.quiet_min = services, token, poll_s, quiet_min
        self.url = base_url.rstrip("/") + PATH
        self.fetch: Fetch = fetch or http_get

    def poll(self) -> str:
        now = self.services.clock.now()
        with self.services.db.read() as s:
            state = s.get(AlertFeedState, 1)
            retry_after = state.retry_after if state is not None else None
            since = state.last_modified if state is not None else None
        if retry_after is not None and now < retry_after:
            return ""  # backing off: a quiet tick
        run = self.services.value
        try:
            answer = self.fetch(self.url, self.token, since)
        except FeedError as exc:
            return run(record_failure, str(exc), self.quiet_min)
        if answer.status == 429:
            return run(record_backoff, answer.retry_after, self.poll_s)
        if answer.status == 304:
            return run(record_answer, None, None, self.quiet_min)
        if answer.status != 200:
            return run(record_failure, f"HTTP {answer.status}", self.quiet_min)
        try:
            regions = active_regions(answer.body)
        except FeedError as exc:
            return run(record_failure, str(exc), self.quiet_min)
        return run(record_answer, regions, answer.last_modified, self.quiet_min)
