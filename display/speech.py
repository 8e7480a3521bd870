"""Server-made announcement audio for displays whose browser has no Ukrainian voice.

espeak-ng, when installed, renders the core's announcement text to WAV
(``espeak-ng -v uk -w out.wav``).  The text goes through standard input, never the command
line, so nothing in it can become an option.  Results are kept in a small LRU cache: a
display asks for each call's audio once, and a recall asks for the same text again.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import subprocess
import tempfile
import threading
from collections import OrderedDict

log = logging.getLogger(__name__)

VOICES = {"uk": "uk", "en": "en-gb"}
MAX_TEXT = 300
WORDS_PER_MINUTE = 145  # a little slower than the default 175: a hall echoes
TIMEOUT_S = 10
# espeak-ng spells the official apostrophe ʼ (U+02BC) out as a letter name; it reads ’ as a silent
# separator, the way the apostrophe sounds in Ukrainian.
_FOR_ESPEAK = str.maketrans({"\u02bc": "\u2019"})


class Speech:
    """Text -> WAV bytes with espeak-ng, cached; ``available`` is False without the binary."""

    def __init__(self, binary: str | None = None, cache_size: int = 64) -> None:
        self.binary = binary if binary is not None else shutil.which("espeak-ng")
        self.cache_size = cache_size
        self._cache: OrderedDict[tuple[str, str], bytes] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def available(self) -> bool:
        return bool(self.binary)

    @staticmethod
    def clean(text: str) -> str | None:
        """The text with control characters dropped; None when empty or too long."""
        text = " ".join("".join(c if c.isprintable() else " " for c in text).split())
        return text if 0 < len(text) <= MAX_TEXT else None

    def wav(self, text: str, lang: str) -> bytes | None:
        """The spoken text as WAV, or None when espeak-ng is missing or fails."""
        voice = VOICES.get(lang)
        if voice is None or not self.binary:
            return None
        key = (lang, text)
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        audio = self._render(text, voice)
        if audio is not None:
            with self._lock:
                self._cache[key] = audio
                while len(self._cache) > self.cache_size:
                    self._cache.popitem(last=False)
        return audio

    def _render(self, text: str, voice: str) -> bytes | None:
        assert self.binary
        fd, path = tempfile.mkstemp(suffix=".wav", prefix="announce-")
        os.close(fd)
        try:
            subprocess.run(
                [self.binary, "-v", voice, "-s", str(WORDS_PER_MINUTE), "-w", path, "--stdin"],
                input=text.translate(_FOR_ESPEAK).encode(), capture_output=True, timeout=TIMEOUT_S, check=True,
            )
            with open(path, "rb") as fh:
                data = fh.read()
            return data if data[:4] == b"RIFF" else None
        except (OSError, subprocess.SubprocessError) as exc:
            log.warning("espeak-ng failed: %s", exc)
            return None
        finally:
            with contextlib.suppress(OSError):
                os.unlink(path)
