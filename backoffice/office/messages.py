"""Texts of the leadership-reception and records pages (Ukrainian first)."""

from __future__ import annotations

from reception.leadership.texts import WEEKDAYS, rule_phrase, rule_phrases  # noqa: F401  (the pages use them)


