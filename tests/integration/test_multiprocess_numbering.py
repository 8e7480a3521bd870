"""Two server processes sharing one database never hand out the same number."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import requests

from tests.fakes import add_device, build_office
from tests.servers import servers


def test_two_processes_number_without_duplicate_or_gap(db, db_url, clock) -> None:
    build_office(db)
    kiosk = add_device(db, clock, "kiosk", "T1")
    threads, per_thread = 16, 20
    with servers(db_url, 2) as (a, b):
        def kiosk_loop(i: int) -> list[int]:
            base = (a, b)[i % 2].url
            with requests.Session() as http:
                http.headers["Authorization"] = f"Bearer {kiosk}"
                out = []
                for _ in range(per_thread):
                    r = http.post(f"{base}/api/v1/kiosk/tickets", json={"service": "consult"}, timeout=30)
                    assert r.status_code == 201, r.text
                    out.append(r.json()["number"])
                return out

        with ThreadPoolExecutor(threads) as pool:
            numbers = [n for chunk in pool.map(kiosk_loop, range(threads)) for n in chunk]
    assert sorted(numbers) == list(range(1, threads * per_thread + 1))
