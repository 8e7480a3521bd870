"""Pages of the desk console: sign-in/out, language, choosing a desk, the console itself.

The console's actions go straight to the JSON API from the browser (cookie session plus
``X-CSRF-Token``); these views only render, sign in, open a desk, and serve the console's
own read model (``state``).
"""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from werkzeug.wrappers import Response

from backoffice.desk import reads
from backoffice.desk.messages import js_texts
from backoffice.desk.safety import safe_next
from backoffice.entry import role_home
from reception.accounts.service import MIN_PASSWORD_LEN, change_own_password
from reception.http.callers import acting, guard, login_session, logout_session, session_actor, session_user
from reception.http.csrf import check_csrf
from reception.http.language import localized_error, request_lang
from reception.http.problems import from_domain_error
from reception.http.signin import sign_in
from reception.http.wiring import wiring
from reception.kernel.errors import DomainError, Forbidden
from reception.kernel.permissions import Action, permits
from reception.platform import i18n
from reception.queue import commands as queue

bp = Blueprint("desk_console", __name__)

# Another engineer's page; linked by URL so the console works before that page exists.
LEADER_TODAY_URL = "/backoffice/reception/today"
RECORD_NEW_URL = "/backoffice/records/new"


def _home_url() -> str:
    return url_for("desk_console.home")


def _csrf_ok() -> bool:
    try:
        check_csrf()
    except Forbidden:
        return False
    return True


# --- signing in and out --------------------------------------------------------------------------


@bp.route("/login", methods=["GET", "POST"])
@guard(Action.PUBLIC)
def login() -> Any:
    """Sign-in form; rate-limit, lockout and wrong-password messages come from ``signin.sign_in``."""
    lang = request_lang()
    target = safe_next(request.values.get("next"), "")
    if request.method == "GET":
        if session_user() is not None:
            return redirect(target or role_home(session_actor()))
        return render_template("desk/login.html", next=target, username="")
    username = request.form.get("username", "").strip()[:64]
    password = request.form.get("password", "")[:512]
    error: str | None = None
    if not _csrf_ok():
        error = i18n.t("error.csrf", lang)
    elif not username or not password:
        error = i18n.t("desk.login.missing", lang)
    else:
        try:
            user = sign_in(username, password)
        except DomainError as exc:
            error = localized_error(exc, lang)
        else:
            chosen = request.args.get("lang") or session.get("lang")  # a toggle on this browser wins
            login_session(user)
            if chosen:
                session["lang"] = i18n.best_lang([chosen])
            target = target or role_home(session_actor())  # each role lands where its work is
            if user.must_change_password:  # a temporary password: nothing else until it is replaced
                return redirect(url_for("desk_console.change_password", next=target))
            return redirect(target)
    response = render_template("desk/login.html", next=target, username=username, error=error)
    return response, 200 if error is None else 400


@bp.route("/logout", methods=["GET", "POST"])
@guard(Action.PUBLIC)
def logout() -> Any:
    """POST (with the form's token) signs out; GET only asks, so a link elsewhere cannot sign anyone out."""
    if request.method == "GET":
        if session_user() is None:
            return redirect(url_for("desk_console.login"))
        return render_template("desk/logout.html")
    if not _csrf_ok():
        abort(403)
    lang = request_lang()
    logout_session()
    session["lang"] = lang
    flash(i18n.t("desk.logout.done", lang), "info")
    return redirect(url_for("desk_console.login"))


@bp.route("/password", methods=["GET", "POST"])
@guard(Action.PASSWORD_CHANGE)
def change_password() -> Any:
    """One's own new password; the only page a user with a temporary password may open."""
    actor = acting()
    lang = request_lang()
    target = safe_next(request.values.get("next"), _home_url())
    page = {"next": target, "required": actor.must_change_password, "min_len": MIN_PASSWORD_LEN}
    if request.method == "GET":
        return render_template("desk/password.html", **page)
    new = request.form.get("new_password", "")[:512]
    if new != request.form.get("repeat_password", "")[:512]:
        return render_template("desk/password.html", error=i18n.t("error.password_mismatch", lang), **page), 422
    w = wiring()
    assert actor.user_id is not None  # a staff action: never a device
    try:
        user = w.services.value(change_own_password, actor.user_id, request.form.get("current_password", "")[:512],
                                new)
    except DomainError as exc:
        return render_template("desk/password.html", error=localized_error(exc, lang), **page), exc.status
    login_session(user)  # every other session ended with the old password; this browser goes on
    session["lang"] = lang
    flash(i18n.t("desk.password.done", lang), "info")
    return redirect(target)


@bp.post("/lang")
@guard(Action.PUBLIC)
def set_lang() -> Response:
    """The Ukrainian/English toggle in the staff header."""
    if not _csrf_ok():
        abort(403)
    session["lang"] = i18n.best_lang([request.form.get("lang")])
    return redirect(safe_next(request.form.get("next"), _home_url()))


# --- choosing a desk -------------------------------------------------------------------------------


@bp.get("/desk")
@guard(Action.STAFF_HOME)
def home() -> Any:
    """Desk staff choose (or return to) their desk; other staff see what they can reach."""
    actor = acting()
    lang = request_lang()
    if not permits(actor, Action.DESK_OPERATE):
        return redirect(role_home(actor))  # no desk to choose: their own work
    choices = reads.desk_choices(wiring().db, actor, lang)
    return render_template("desk/pick.html", offices=choices, mine=reads.my_open_desk(choices),
                           leader="leader" in actor.roles, leader_url=LEADER_TODAY_URL)


@bp.post("/desk/open")
@guard(Action.DESK_OPERATE)
def open_desk() -> Response:
    """Bind the signed-in user to a desk (form with CSRF token), then show its console."""
    actor = acting()
    office, desk = request.form.get("office", "")[:32], request.form.get("desk", "")[:32]
    w = wiring()
    try:
        w.services.value(queue.open_desk, actor, desk, office_code=office or None)
    except DomainError as exc:
        flash(localized_error(exc), "error")
        return redirect(_home_url())
    return redirect(url_for("desk_console.console", office=office, desk=desk))


# --- the console -------------------------------------------------------------------------------------


@bp.before_request
def _no_such_desk() -> None:
    """A desk that does not exist is 404 to any signed-in user, before whether they may open one (403)."""
    if request.endpoint == "desk_console.console" and session_user() is not None:
        args = request.view_args or {}
        if not reads.desk_exists(wiring().db, str(args.get("office")), str(args.get("desk"))):
            abort(404)


@bp.get("/desk/<office>/<desk>")
@guard(Action.DESK_OPERATE)
def console(office: str, desk: str) -> Any:
    """The working screen. A desk that is not open by the caller sends them back to choose."""
    actor = acting()
    lang = request_lang()
    try:
        config = reads.console_config(wiring().db, actor, office, desk, lang)
    except DomainError as exc:
        flash(localized_error(exc), "error")
        return redirect(_home_url())
    if not config["open_by_me"]:
        flash(i18n.t("desk.open_first", lang, desk=config["desk"]["name"]), "error")
        return redirect(_home_url())
    config |= {
        "lang": lang,
        "texts": js_texts(lang),
        "urls": {
            "state": url_for("desk_console.state", office=office, desk=desk),
            "home": _home_url(),
            "login": url_for("desk_console.login", next=request.path),
            "record_new": RECORD_NEW_URL,
        },
    }
    warnings = reads.printer_warnings(wiring().db, actor, office, desk, wiring().clock.now(), lang)
    return render_template("desk/console.html", config=config, desk_name=config["desk"]["name"],
                           leader="leader" in actor.roles, leader_url=LEADER_TODAY_URL, printer_warnings=warnings)


@bp.get("/desk/<office>/<desk>/state")
@guard(Action.DESK_OPERATE, json=True)
def state(office: str, desk: str) -> Response:
    """The console's live state as JSON (problem+json on refusal, like the API)."""
    try:
        actor = acting()
        w = wiring()
        return jsonify(reads.desk_state(w.db, actor, office, desk, w.clock.now(), request_lang()))
    except DomainError as exc:
        return from_domain_error(exc)
