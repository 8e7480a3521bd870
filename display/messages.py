"""Texts of the wall display and the phone status page: Ukrainian first, English second."""

from __future__ import annotations

