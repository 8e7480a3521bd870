"""Make the repository root importable when pytest is run as ``.venv/bin/pytest``.

The project is not installed into the venv and pyproject sets no ``pythonpath``; this is a no-op
once either is done.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[3])
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)
