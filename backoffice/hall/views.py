"""GET /backoffice/hall: the live hall of one office (a picker first when the manager has several).

The page carries the read model it was rendered with and the words the script needs; the script
(static/hall/hall.js) draws the view, refetches ``GET /api/v1/offices/{code}/hall`` on every hint
of the ``/hall`` namespace and ticks the durations between fetches.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template

from backoffice.hall.messages import SCRIPT_KEYS
from backoffice.office.common import install_error_page, pick_office
from reception.hall.view import read_hall
from reception.http.callers import acting, guard
from reception.http.language import request_lang
from reception.http.wiring import wiring
from reception.kernel.permissions import Action
from reception.platform import i18n

bp = Blueprint("hall", __name__, url_prefix="/backoffice/hall")
install_error_page(bp)


@bp.get("")
@guard(Action.HALL_READ)
def page() -> Any:
    """The hall of ``?office=`` (or of the manager's only office); otherwise the list to choose from."""
    actor = acting()
    w = wiring()
    lang = request_lang()
    pick = pick_office(actor)
    code, offices = pick.code, pick.offices
    if not code:
        return render_template("hall/pick.html", offices=offices)
    view = read_hall(w.db, w.clock.now(), actor, code, w.printer_probe)
    words = {key.removeprefix("hall."): i18n.t(key, lang) for key in SCRIPT_KEYS}
    return render_template("hall/hall.html", view=view, offices=offices, office=code,
                           config={"office": code, "lang": lang, "words": words, "view": view})
