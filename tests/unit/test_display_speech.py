"""Server speech: espeak-ng gets the apostrophe it reads as Ukrainian (it spells ʼ out as a letter name)."""

from __future__ import annotations

import shutil
import subprocess
from typing import Any

import pytest

from display.speech import Speech


def test_the_modifier_apostrophe_reaches_espeak_as_the_one_it_reads(monkeypatch) -> None:
    sent: list[bytes] = []

    def fake_run(args: list[str], **kw: Any) -> None:
        sent.append(kw["input"])
        raise subprocess.CalledProcessError(1, args)

    monkeypatch.setattr(subprocess, "run", fake_run)
    assert Speech(binary="espeak-ng").wav("Талон С-5, до кабінету пʼять", "uk") is None
    assert sent == ["Талон С-5, до кабінету п\u2019ять".encode()]


@pytest.mark.skipif(not shutil.which("espeak-ng"), reason="espeak-ng is not installed")
def test_espeak_says_the_word_the_same_with_either_apostrophe() -> None:
    modifier = Speech().wav("пʼять", "uk")
    typed = Speech().wav("п\u2019ять", "uk")
    assert modifier is not None and modifier == typed
