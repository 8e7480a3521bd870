"""The production password hash, outside the suite's cheap one (tests/conftest.py)."""

from __future__ import annotations

import subprocess
import sys

from argon2 import extract_parameters, profiles

from reception.accounts import auth


def test_production_hashes_use_rfc_9106_parameters() -> None:
    # A fresh interpreter: this process's hasher is the suite's cheap one.
    made = subprocess.run([sys.executable, "-c", "from reception.accounts.auth import hash_password;"
                           "print(hash_password('secret-pass-1'))"], capture_output=True, text=True, check=True)
    stored = made.stdout.strip()
    assert stored.startswith("$argon2id$")
    assert extract_parameters(stored) == profiles.RFC_9106_LOW_MEMORY == auth.PASSWORD_PARAMETERS
    assert auth.verify_password(stored, "secret-pass-1")  # a check reads the stored parameters
    assert not auth.verify_password(stored, "secret-pass-2")
