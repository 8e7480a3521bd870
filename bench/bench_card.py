"""Record card (A4 PDF) render time by question size, up to the schema's limits.

Run: .venv/bin/python bench/bench_card.py

The cases are the ones that once could not be printed (one question of 2,500 characters,
30 of 54) and the largest record the schema accepts (30 questions of 4,000 characters).
Prints a table; not a test.
"""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pypdf import PdfReader  # noqa: E402

from reception.leadership.card import render_card  # noqa: E402
from reception.leadership.record_values import MAX_QUESTION_CHARS, MAX_QUESTIONS  # noqa: E402

RECORD: dict[str, Any] = dict(
    reg_index="АБ-1/26", reg_date="2026-11-24", reception_date="2026-11-24", received_by_name="Андрій Бондаренко",
    received_by_position="Заступник Міністра", surname="Шевченко", name="Тарас", patronymic="Григорович",
    authorship="individual", conceal_name=False, address="м. Київ", phone="", email="", social_status="",
    category=None, is_repeat=False, form="personal_reception", kind="complaint", questions=[], resolution="",
    resolution_author="", executor="", needs_study=True, due_date="2026-12-24", extended_to=None,
    extension_reason="", applicant_informed=False, result="", answer_method="", removed_from_control=None)


def question(chars: int) -> str:
    return ("Невиконання рішення суду про стягнення аліментів " * (chars // 50 + 1))[:chars]


def main() -> None:
    cases = {
        "2 short questions": [question(60)] * 2,
        "1 of 2,500 chars": [question(2500)],
        "30 of 54 chars": [question(54)] * 30,
        f"1 of {MAX_QUESTION_CHARS:,} chars": [question(MAX_QUESTION_CHARS)],
        f"{MAX_QUESTIONS} of {MAX_QUESTION_CHARS:,} chars (limit)": [question(MAX_QUESTION_CHARS)] * MAX_QUESTIONS,
    }
    print(f"{'questions':<32}{'pages':>6}{'ms':>10}{'KB':>8}")
    for name, questions in cases.items():
        start = time.perf_counter()
        pdf = render_card(RECORD | {"questions": questions}, "Відкритий офіс")
        elapsed = (time.perf_counter() - start) * 1000
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        print(f"{name:<32}{pages:>6}{elapsed:>10.0f}{len(pdf) // 1024:>8}")


if __name__ == "__main__":
    main()
