"""`reception serve` with the kiosk ticket's and call-next's commands replaying their first answer.

    python bench/replay_serve.py --port P     # the environment as for `reception serve`

What is left is what every such request costs the product around its work: gunicorn, Flask,
Flask-SocketIO's middleware, the caller's token, the rate limit, the strict body parse, spectree's
validation of the request and of the answer, the JSON, the security headers and the request log.
`bench/floor.py --budget` serves it beside the product and the floor. For measuring only.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reception.platform.green import patch_if_serving  # noqa: E402

patch_if_serving(["serve"])  # as `reception serve` does, before the app's modules load (decision 029)

from reception.kernel import service_layer  # noqa: E402
from reception.ops.cli import main  # noqa: E402

REPLAYED = {"_issue_and_tell", "call_next"}  # the kiosk ticket's and call-next's unit of work and bus
_real_run = service_layer.Services.run
_first: dict[str, Any] = {}


def _replaying_run(self: service_layer.Services, command: Any, *args: Any, **kwargs: Any) -> Any:
    """``Services.run`` (which ``value`` calls too): every unit of work but the two is real."""
    name = getattr(command, "__name__", "")
    if name not in REPLAYED:
        return _real_run(self, command, *args, **kwargs)
    if name not in _first:  # the first one is real: its answer has every field the view reads
        _first[name] = _real_run(self, command, *args, **kwargs)
    return _first[name]


service_layer.Services.run = _replaying_run  # type: ignore[method-assign]

if __name__ == "__main__":
    main(["serve", *sys.argv[1:]])
