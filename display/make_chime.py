"""Generate the display's chime (``static/display/chime.wav``): a soft two-tone "ding-dong".

Made here rather than downloaded, so its licence is ours: ``python -m display.make_chime``.
Deterministic: the same bytes on every run.
"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE = 22_050
OUT = Path(__file__).with_name("static") / "display" / "chime.wav"
# (start s, frequency Hz, length s): E5 then C5, a common public-address interval.
NOTES = ((0.0, 659.25, 1.1), (0.45, 523.25, 1.3))
PARTIALS = ((1.0, 1.0), (2.0, 0.35), (3.0, 0.12))  # a bell-like tone: fundamental plus overtones


def samples() -> list[float]:
    total = int(RATE * max(start + length for start, _f, length in NOTES))
    out = [0.0] * total
    for start, freq, length in NOTES:
        first = int(start * RATE)
        for i in range(int(length * RATE)):
            t = i / RATE
            attack = min(1.0, t / 0.01)  # 10 ms attack: no click
            envelope = attack * math.exp(-3.2 * t)
            tone = sum(amp * math.sin(2 * math.pi * freq * mult * t) for mult, amp in PARTIALS)
            if first + i < total:
                out[first + i] += envelope * tone
    peak = max(abs(s) for s in out) or 1.0
    return [0.6 * s / peak for s in out]


def write(path: Path = OUT) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(b"".join(struct.pack("<h", int(s * 32767)) for s in samples()))
    return path


if __name__ == "__main__":
    print(write())
