"""The shared static assets (design tokens, fonts, the vendored Socket.IO client) are served from
reception/static wherever the module that serves them sits."""

from __future__ import annotations

from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parents[2] / "reception" / "static"
ASSETS = sorted(p.relative_to(STATIC).as_posix() for p in STATIC.rglob("*") if p.is_file() and p.suffix in {".css", ".js"})


def test_there_are_shared_assets_to_serve() -> None:
    assert "css/tokens.css" in ASSETS and len(ASSETS) > 3


@pytest.mark.parametrize("asset", ASSETS)
def test_every_shared_asset_is_served(client, asset: str) -> None:
    response = client.get(f"/static/{asset}")
    assert response.status_code == 200
    assert response.data == (STATIC / asset).read_bytes()
