"""Who is calling: bearer token (device or user) or the signed-in session, and the guards that
check the caller against the permission table for API routes and pages.

Flask-Login resolves the caller once per request: its request loader reads bearer tokens, its user
loader the server-side session the cookie names.  Everything else (``current_actor``, ``require``,
``page_actor``, the socket handshakes) reads that one answer."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

from flask import Flask, current_app, g, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_login import LoginManager, current_user, login_user, logout_user
from itsdangerous import URLSafeTimedSerializer

from reception.accounts.auth import read_user_token
from reception.accounts.credentials import PairedDevice, paired_device, token_actor
from reception.accounts.models import User
from reception.accounts.service import close_staff_session, open_staff_session, staff_session_user
from reception.http.csrf import check_csrf
from reception.http.wiring import wiring
from reception.kernel.errors import DomainError, Forbidden, Unauthorized
from reception.kernel.identity import Actor
from reception.kernel.permissions import Action, authorize, rule

MAX_DEVICE_TOKEN_LEN = 200  # anything longer is not a token we issued: never looked up


def _actor_for_user(user: User) -> Actor:
    return Actor(
        user_id=user.id,
        username=user.username,
        roles=frozenset(user.roles or []),
        office_ids=frozenset(o.id for o in user.offices),
        must_change_password=bool(user.must_change_password),
    )


def device_by_token(token: str) -> PairedDevice | None:
    """The active device a token pairs (its office's code with it: the kiosk's ticket needs it)."""
    return wiring().db.lookup(lambda conn: paired_device(conn, token))


def _actor_of_parsed_token(parsed: tuple[int, str]) -> Actor | None:
    return wiring().db.lookup(lambda conn: token_actor(conn, *parsed))


class Caller:
    """Flask-Login's user object: whom the request speaks for, and how it proved it.

    One per request (Flask-Login caches it): a bearer device token (``device``), a bearer user
    token (``user``), or a signed-in browser (``user`` and the server-side ``session_key``).
    """

    is_authenticated = True
    is_active = True
    is_anonymous = False

    def __init__(self, actor: Actor, *, user: User | None = None, device: PairedDevice | None = None,
                 session_key: str | None = None) -> None:
        self.actor, self.user, self.device, self.session_key = actor, user, device, session_key

    @property
    def via_session(self) -> bool:
        return self.session_key is not None

    def get_id(self) -> str | None:
        """What Flask-Login keeps in the cookie: the key of the server-side session, never a user id."""
        return self.session_key


class _LoginManager(LoginManager):
    def _session_protection_failed(self) -> bool:
        """Off (see below): not even the hash of the address and user agent it would compare, which
        Flask-Login computes on every request before it looks whether protection is on."""
        if current_app.config.get("SESSION_PROTECTION", self.session_protection):
            return bool(super()._session_protection_failed())
        return False


# The cookie names a server-side session (12 h, ended by sign-out and by a password change), so
# Flask-Login's own session protection (IP and user agent hashing) would only sign out staff whose
# laptop changes network; remember-me cookies are not used.
login_manager = _LoginManager()
login_manager.session_protection = None


class _CookieSessions(SecureCookieSessionInterface):
    """Flask's signed cookie, its signer made once per key set (Flask's makes one when it opens the
    session and again when it saves it, on every request)."""

    _made: tuple[tuple[Any, ...], URLSafeTimedSerializer | None] | None = None

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, *(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        made = self._made
        if made is None or made[0] != keys:  # one pair, replaced whole: threads never see a mix
            made = self._made = (keys, super().get_signing_serializer(app))
        return made[1]


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    app.session_interface = _CookieSessions()


def _bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    return header[7:].strip() if header.lower().startswith("bearer ") else None


@login_manager.user_loader
def _caller_from_session(key: str) -> Caller | None:
    """The signed-in browser: the cookie's key must name an unexpired server-side session.

    A request that sends a bearer token is decided by that token alone (the request loader below),
    whatever cookie comes along.
    """
    if _bearer_token() is not None or not isinstance(key, str) or not 0 < len(key) <= MAX_DEVICE_TOKEN_LEN:
        return None
    w = wiring()
    user = staff_session_user(w.db, w.clock.now(), key)
    return Caller(_actor_for_user(user), user=user, session_key=key) if user is not None else None


@login_manager.request_loader
def _caller_from_bearer(_request: Any) -> Caller | None:
    """A bearer token: a staff member's API token or a paired device's; any other is a 401."""
    token = _bearer_token()
    if token is None:
        return None
    # A staff token carries our signature (checked without the database); a device token is random.
    # So a signed token is looked up as a user only, anything else as a device only: one read each.
    parsed = read_user_token(current_app.config["SECRET_KEY"], token) if token else None
    if parsed is not None:
        actor = _actor_of_parsed_token(parsed)
        if actor is None:
            raise Unauthorized()
        return Caller(actor)
    device = device_by_token(token) if token else None
    if device is None:
        raise Unauthorized()
    return Caller(device.actor, device=device)


def current_caller() -> Caller | None:
    """Flask-Login's ``current_user`` when someone is signed in or sent a valid token; None otherwise."""
    caller = current_user._get_current_object()  # a LocalProxy; the object itself
    return caller if isinstance(caller, Caller) else None


def session_user() -> User | None:
    """The user signed in through /login (not a bearer token); None when signed out.

    For pages and sockets, which never act on a bearer token: a bad one is simply nobody here.
    """
    try:
        caller = current_caller()
    except Unauthorized:
        return None
    return caller.user if caller is not None and caller.via_session else None


def session_actor() -> Actor | None:
    """The signed-in user (cookie session) as an Actor, e.g. for Socket.IO handshakes; None if signed out."""
    user = session_user()
    return _actor_for_user(user) if user is not None else None


def current_actor() -> Actor | None:
    """Bearer token (device or user) first, then the signed-in session (Flask-Login's loaders)."""
    caller = current_caller()
    return caller.actor if caller is not None else None


def current_kiosk() -> PairedDevice:
    """The kiosk that authenticated this request, as loaded then (not read again)."""
    caller = current_caller()
    device = caller.device if caller is not None else None
    if device is None or device.kind != "kiosk":
        raise Forbidden("error.device_kind", kind="kiosk")
    return device


def require(action: Action) -> Actor:
    """For the API: the caller, if the permission table lets them perform ``action``.

    Raises Unauthorized (nobody signed in) or Forbidden; unsafe methods on a cookie session need CSRF.
    """
    caller = current_caller()
    if caller is None:
        raise Unauthorized()
    authorize(caller.actor, action)
    if caller.via_session and request.method not in ("GET", "HEAD", "OPTIONS"):
        check_csrf()
    g.actor = caller.actor
    return caller.actor


def acting() -> Actor:
    """The caller a route's guard has already let through (``api_route(action=...)`` or ``@guard``)."""
    actor = g.get("actor")
    if actor is None:
        raise Unauthorized()
    return cast(Actor, actor)


def login_session(user: User) -> None:
    """Start a server-side session (lifetime PERMANENT_SESSION_LIFETIME) and put its key in the cookie."""
    w = wiring()
    key = open_staff_session(w.db, w.clock.now(), user.id, current_app.permanent_session_lifetime)
    session.clear()
    login_user(Caller(_actor_for_user(user), user=user, session_key=key))
    session["lang"] = user.lang
    session.permanent = True
    g.pop("actor", None)


def logout_session() -> None:
    """End the server-side session, so a copy of the cookie taken before is refused too."""
    key = session.get("_user_id")
    if isinstance(key, str):
        close_staff_session(wiring().db, key)
    logout_user()
    session.clear()
    g.pop("actor", None)


def page_actor(action: Action) -> Actor:
    """For HTML pages: the signed-in staff member the permission table lets perform ``action``.

    Not signed in -> redirect to /login (with ``next``); signed in but refused -> 403 page (a user who
    must change their password is told so there).  Unsafe methods also need the form's CSRF token.
    """
    from flask import abort, redirect, url_for

    user = session_user()
    if user is None:
        abort(redirect(url_for("desk_console.login", next=request.full_path.rstrip("?"))))
    actor = _actor_for_user(user)
    g.actor = actor
    authorize(actor, action)  # Forbidden -> the 403 page with its message (backoffice.entry)
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        check_csrf()
    return actor


F = TypeVar("F", bound=Callable[..., Any])

STATIC_ENDPOINT = "static"  # Flask's own file views (``static``, ``<blueprint>.static``): public files only


def declared_permissions(view: Callable[..., Any], endpoint: str) -> dict[str, Action] | None:
    """The permission-table action per HTTP method a view declared; None when it declared none."""
    if endpoint.rsplit(".", 1)[-1] == STATIC_ENDPOINT:
        return {"GET": Action.PUBLIC}
    return getattr(view, "permission", None)


def guard(action: Action, *, post: Action | None = None, json: bool = False) -> Callable[[F], F]:
    """Declare (and check) the permission-table action of a page; ``post`` for its form submissions.

    Anyone-actions need nobody; device actions are checked by the page itself from its device cookie
    (kiosk, display); staff actions go through ``page_actor`` (``json=True``: through ``require``,
    refusals as problem+json, for a page's own JSON endpoints).  The declared action is kept on the
    view (``view.permission``) for the route-matrix test and the docs.
    """

    def decorator(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            wanted = post if post is not None and request.method == "POST" else action
            if json and rule(wanted).roles:
                from reception.http.problems import from_domain_error

                try:
                    require(wanted)
                except DomainError as exc:
                    return from_domain_error(exc)
            elif rule(wanted).roles:
                page_actor(wanted)
            return view(*args, **kwargs)

        wrapper.permission = {"GET": action, "POST": post or action}  # type: ignore[attr-defined]
        return cast(F, wrapper)

    return decorator
