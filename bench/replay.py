"""The kiosk ticket's and call-next's commands replaying their first answer: what is left of such a
request is its shell (bench/replay_serve.py over HTTP, ``bench/profile_floor.py --shell`` in process).

Patches ``Services.run`` (which ``value`` calls too): every unit of work but the two stays real, and the
first of each is real too, so its answer has every field the view reads. For measuring only.
"""

from __future__ import annotations

from typing import Any

from reception.kernel import service_layer

REPLAYED = {"_issue_and_tell", "call_next"}  # the kiosk ticket's and call-next's unit of work and bus


def replay_commands() -> None:
    """From now on, in this process, the two commands answer what they answered the first time."""
    real_run = service_layer.Services.run
    if getattr(real_run, "replaying", False):
        return
    first: dict[str, Any] = {}

    def replaying_run(self: service_layer.Services, command: Any, *args: Any, **kwargs: Any) -> Any:
        name = getattr(command, "__name__", "")
        if name not in REPLAYED:
            return real_run(self, command, *args, **kwargs)
        if name not in first:
            first[name] = real_run(self, command, *args, **kwargs)
        return first[name]

    replaying_run.replaying = True  # type: ignore[attr-defined]
    service_layer.Services.run = replaying_run  # type: ignore[method-assign]
