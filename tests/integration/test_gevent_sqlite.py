"""SQLite under gevent (decision 029): writers of one process queue on a gevent-aware lock.

`reception serve` runs on gevent. A greenlet that holds SQLite's write lock and yields (a socket
write inside the transaction) while another greenlet waits in sqlite3's busy handler, which
sleeps in C and never yields, would freeze the whole worker until the busy timeout (30 s): the
holder never gets to commit. The process's writer lock (``Database.write_lock``), made after the
monkey patching, makes the second writer wait as a greenlet instead. Runs in a child process:
patching is for the whole interpreter.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = r"""
from gevent import monkey
monkey.patch_all()

import json, sys, time
import gevent
from sqlalchemy import text
from reception.platform.db import connect

db = connect(sys.argv[1])
with db.write() as s:
    s.execute(text("CREATE TABLE t (greenlet TEXT)"))

ticks = []
def ticker():  # everything else the worker does: it must keep running
    end = time.monotonic() + 0.8
    while time.monotonic() < end:
        ticks.append(time.monotonic())
        gevent.sleep(0.01)

def writer(name, hold):
    with db.write() as s:
        s.execute(text("INSERT INTO t VALUES (:n)"), {"n": name})
        gevent.sleep(hold)  # yields while SQLite's write lock is held (a slow client's socket)

started = time.monotonic()
jobs = [gevent.spawn(ticker), gevent.spawn(writer, "a", 0.3), gevent.spawn_later(0.05, writer, "b", 0)]
gevent.joinall(jobs, timeout=20, raise_error=True)
with db.read() as s:
    rows = [r[0] for r in s.execute(text("SELECT greenlet FROM t ORDER BY rowid"))]
gaps = [b - a for a, b in zip(ticks, ticks[1:])]
print(json.dumps({"rows": rows, "took": time.monotonic() - started, "ticks": len(ticks), "longest_gap": max(gaps),
                  "lock": type(db.write_lock).__module__}))
"""


def test_a_writer_waiting_for_another_never_freezes_the_gevent_worker(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", SCRIPT, f"sqlite:///{tmp_path}/g.db"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-3000:]
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    assert outcome["rows"] == ["a", "b"], outcome
    assert outcome["lock"].startswith("gevent"), "the writer lock is gevent's (made after the patching)"
    assert outcome["took"] < 5, outcome  # not the 30 s busy timeout
    assert outcome["longest_gap"] < 0.25, f"the worker froze while a writer waited: {outcome}"
