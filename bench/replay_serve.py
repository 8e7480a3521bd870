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

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from reception.platform.green import patch_if_serving  # noqa: E402

patch_if_serving(["serve"])  # as `reception serve` does, before the app's modules load (decision 029)

from replay import replay_commands  # noqa: E402

from reception.ops.cli import main  # noqa: E402

replay_commands()

if __name__ == "__main__":
    main(["serve", *sys.argv[1:]])
