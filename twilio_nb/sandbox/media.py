"""Real media bytes, generated here: a PNG for message media, WAV and MP3 for recordings.

Each is deterministic in the SID it belongs to, small, and says it comes from the sandbox:
the image shows the word SANDBOX (and carries a PNG ``tEXt`` comment), the WAV carries a
``LIST/INFO`` comment. Audio lasts the recording's ``duration``. The MP3 is silent (valid
MPEG-1 Layer III frames with no audio data); WAV is the format with sound.
"""

from __future__ import annotations

import hashlib
import math
import struct
import zlib
from functools import lru_cache

__all__ = ["AUDIO_RATE", "MAX_AUDIO_SECONDS", "mp3", "png", "wav"]

MAX_AUDIO_SECONDS = 4 * 3600  # Twilio ends a call after 4 hours
AUDIO_RATE = 4000
COMMENT = "twilio_nb sandbox: generated media, not a real Twilio recording or attachment"

# 5x7 glyphs of the letters of SANDBOX, one string of 5 cells per row.
_GLYPHS = {
    "S": (".###.", "#...#", "#....", ".###.", "....#", "#...#", ".###."),
    "A": (".###.", "#...#", "#...#", "#####", "#...#", "#...#", "#...#"),
    "N": ("#...#", "##..#", "#.#.#", "#.#.#", "#..##", "#...#", "#...#"),
    "D": ("####.", "#...#", "#...#", "#...#", "#...#", "#...#", "####."),
    "B": ("####.", "#...#", "#...#", "####.", "#...#", "#...#", "####."),
    "O": (".###.", "#...#", "#...#", "#...#", "#...#", "#...#", ".###."),
    "X": ("#...#", "#...#", ".#.#.", "..#..", ".#.#.", "#...#", "#...#"),
}


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def _text_mask(word: str, scale: int) -> list[list[bool]]:
    rows: list[list[bool]] = []
    for r in range(7):
        row: list[bool] = []
        for ch in word:
            row.extend(c == "#" for c in _GLYPHS[ch][r])
            row.append(False)
        rows.extend([[cell for cell in row for _ in range(scale)]] * scale)
    return rows


@lru_cache(maxsize=256)
def png(sid: str, width: int = 320, height: int = 200) -> bytes:
    """An RGB PNG: a vertical gradient in colours derived from ``sid``, with SANDBOX on it."""
    digest = hashlib.sha256(sid.encode()).digest()
    top, bottom = digest[0:3], digest[3:6]
    text = _text_mask("SANDBOX", max(1, min(width // 45, height // 10)))
    tw, th = len(text[0]), len(text)
    x0, y0 = max(0, (width - tw) // 2), max(0, (height - th) // 2)
    raw = bytearray()
    for y in range(height):
        f = y / max(1, height - 1)
        colour = bytes(int(a + (b - a) * f) // 2 + 40 for a, b in zip(top, bottom, strict=True))
        row = bytearray(colour * width)
        ty = y - y0
        if 0 <= ty < th:
            for tx, on in enumerate(text[ty]):
                if on and x0 + tx < width:
                    row[(x0 + tx) * 3:(x0 + tx) * 3 + 3] = b"\xff\xff\xff"
        raw += b"\x00" + row
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header)
            + _chunk(b"tEXt", b"Comment\x00" + COMMENT.encode("latin-1"))
            + _chunk(b"IDAT", zlib.compress(bytes(raw), 6)) + _chunk(b"IEND", b""))


def _tone(freq: int, rate: int, ms: int, volume: float = 0.3) -> bytes:
    """Unsigned 8-bit samples (silence is 128) of a sine at ``freq`` for about ``ms``."""
    period = bytes(128 + int(127 * volume * math.sin(2 * math.pi * i / (rate / freq)))
                   for i in range(rate // freq))
    return period * (rate * ms // 1000 // len(period))


@lru_cache(maxsize=4)
def _chime(sid: str) -> bytes:
    notes = (400, 500, 800) if hashlib.sha256(sid.encode()).digest()[0] % 2 else (500, 400, 800)
    return b"".join(_tone(f, AUDIO_RATE, 200) for f in notes)


_HUM = _tone(250, AUDIO_RATE, 1000, volume=0.05)


def wav(sid: str, seconds: float) -> bytes:
    """A WAV as long as the recording: ``seconds`` (1 s to :data:`MAX_AUDIO_SECONDS`) of 4 kHz
    8-bit mono, a three-note chime then a soft hum.

    Twilio serves 8 kHz 16-bit; half the rate and half the width make a quarter of the bytes
    (4,000 a second: a 543 s recording is 2.2 MB, built in milliseconds by repeating one
    second of hum), and it plays the same length in a browser's player.
    """
    secs = max(1.0, min(float(seconds), MAX_AUDIO_SECONDS))
    total = int(secs * AUDIO_RATE)
    chime = _chime(sid)[:total]
    rest = total - len(chime)
    pcm = chime + _HUM * (rest // len(_HUM)) + _HUM[:rest % len(_HUM)]
    info = b"INFO" + b"ICMT" + struct.pack("<I", len(COMMENT) + 1) + COMMENT.encode() + b"\x00"
    if len(info) % 2:
        info += b"\x00"
    fmt = struct.pack("<HHIIHH", 1, 1, AUDIO_RATE, AUDIO_RATE, 1, 8)  # PCM, mono, 8 bits
    body = (b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt
            + b"data" + struct.pack("<I", len(pcm)) + pcm + (b"\x00" if len(pcm) % 2 else b"")
            + b"LIST" + struct.pack("<I", len(info)) + info)
    return b"RIFF" + struct.pack("<I", len(body)) + body


def mp3(seconds: float) -> bytes:
    """Silent MPEG-1 Layer III, 32 kHz mono 32 kbit/s: 144-byte frames of 36 ms each."""
    secs = max(1.0, min(float(seconds), MAX_AUDIO_SECONDS))
    frame = b"\xff\xfb\x18\xc0" + bytes(140)
    return frame * math.ceil(secs * 32000 / 1152)
