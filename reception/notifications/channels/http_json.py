"""One JSON POST with short timeouts, its failures sorted into :class:`Retryable` and :class:`Permanent`."""

from __future__ import annotations

from typing import Any

import requests

from reception.notifications.channels import Permanent, Retryable


def post_json(url: str, body: dict[str, Any], *, headers: dict[str, str] | None = None,
              timeout: float) -> tuple[int, Any]:
    """(HTTP status, parsed JSON or None). A timeout or a refused connection is Retryable."""
    try:
        response = requests.post(url, json=body, headers=headers or {}, timeout=(timeout, timeout))
    except requests.Timeout:
        raise Retryable("timeout") from None
    except requests.RequestException as exc:
        raise Retryable(f"connection: {type(exc).__name__}") from None
    try:
        data = response.json()
    except ValueError:
        data = None
    return response.status_code, data


def unexpected(status: int, data: Any) -> Retryable | Permanent:
    """An answer the adapter does not know: 5xx and 429 may pass, other 4xx will not."""
    reason = f"HTTP {status}"
    if status >= 500 or status in (408, 429):
        return Retryable(reason)
    return Permanent(reason if status >= 400 else f"unexpected answer: HTTP {status}")
