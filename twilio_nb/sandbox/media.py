"""Real media bytes, generated here: a PNG for message media, WAV and MP3 for recordings.

Each is deterministic in the SID it belongs to, small, and says it comes from the sandbox:
the image shows the word SANDBOX (and carries a PNG ``tEXt`` comment), the WAV carries a
``LIST/INFO`` comment. The MP3 is silent (valid MPEG-1 Layer III frames with no audio data);
WAV is the format with sound.
"""

from __future__ import annotations

import hashlib
import io
import math
import struct
import wave
import zlib
from functools import lru_cache

__all__ = ["MAX_AUDIO_SECONDS", "mp3", "png", "wav"]

MAX_AUDIO_SECONDS = 30
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
    period = [int(32767 * volume * math.sin(2 * math.pi * i / (rate / freq)))
              for i in range(rate // freq)]
    one = struct.pack(f"<{len(period)}h", *period)
    count = rate * ms // 1000 // len(period)
    return one * count


@lru_cache(maxsize=64)
def wav(sid: str, seconds: float) -> bytes:
    """8 kHz 16-bit mono WAV of ``seconds`` (1 to 30): a three-note chime, then a soft hum."""
    rate = 8000
    secs = max(1.0, min(float(seconds), MAX_AUDIO_SECONDS))
    notes = (400, 500, 800) if hashlib.sha256(sid.encode()).digest()[0] % 2 else (500, 400, 800)
    chime = b"".join(_tone(f, rate, 200) for f in notes)
    total = int(secs * rate) * 2
    hum = _tone(250, rate, 1000, volume=0.05)
    pcm = chime + hum * (total // len(hum) + 1)
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm[:total])
    info = b"INFO" + b"ICMT" + struct.pack("<I", len(COMMENT) + 1) + COMMENT.encode() + b"\x00"
    if len(info) % 2:
        info += b"\x00"
    data = bytearray(buf.getvalue() + b"LIST" + struct.pack("<I", len(info)) + info)
    data[4:8] = struct.pack("<I", len(data) - 8)
    return bytes(data)


def mp3(seconds: float) -> bytes:
    """Silent MPEG-1 Layer III, 32 kHz mono 32 kbit/s: 144-byte frames of 36 ms each."""
    secs = max(1.0, min(float(seconds), MAX_AUDIO_SECONDS))
    frame = b"\xff\xfb\x18\xc0" + bytes(140)
    return frame * math.ceil(secs * 32000 / 1152)
