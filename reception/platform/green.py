"""gevent for the production server (decision 029): patched first, before anything else is imported.

`reception serve` and `reception demo` run gunicorn's gevent worker: every connection is a
greenlet, so a slow or silent client holds a few kilobytes, never one of a fixed number of
threads. The standard library is patched in the process that builds the app (gunicorn's master),
before the app's modules are imported, so every lock, socket and thread the app makes is a
gevent one (a native lock held across a yield would freeze the whole worker). Everything else
(the test suite, the other commands, ``--dev``) stays on plain threads. Standard library only here.
"""

from __future__ import annotations

import functools
import importlib
import sys
from collections.abc import Sequence
from typing import Any

SERVING_COMMANDS = frozenset({"serve", "demo"})


def serves_with_gevent(argv: Sequence[str]) -> bool:
    """Whether this command line starts the production server (``--dev`` is Werkzeug's, threaded)."""
    return bool(argv) and argv[0] in SERVING_COMMANDS and "--dev" not in argv and "--help" not in argv


def patch_if_serving(argv: Sequence[str]) -> None:
    if serves_with_gevent(argv):
        from gevent import monkey

        monkey.patch_all()


def patched() -> bool:
    """Whether this process runs on gevent (then Socket.IO must use it too)."""
    if "gevent.monkey" not in sys.modules:
        return False
    from gevent import monkey

    return bool(monkey.is_module_patched("socket"))


@functools.cache  # the process is patched, or not, before anything asks (``patch_if_serving``)
def unpatched(module: str, name: str) -> Any:
    """The standard library's own ``module.name`` where gevent replaced it: for a call that must answer at
    once and never yield (gevent's ``select`` yields, and its ``poll`` with no timeout may miss what is ready)."""
    if patched():
        from gevent import monkey

        return monkey.get_original(module, name)
    return getattr(importlib.import_module(module), name)
