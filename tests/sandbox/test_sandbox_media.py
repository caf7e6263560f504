"""Media a notebook can show: message media downloads as a real PNG, a recording as real WAV
audio (and a silent MP3), over a real port."""

from __future__ import annotations

import io
import struct
import wave
import zlib

import httpx

from twilio_nb.sandbox import ACCOUNT_SID, SandboxServer, media

A = f"/2010-04-01/Accounts/{ACCOUNT_SID}"


def decode_png(data: bytes) -> tuple[int, int, bytes, dict[bytes, bytes]]:
    """(width, height, raw scanlines, chunks) of an 8-bit RGB PNG, checking every CRC."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks, idat = 8, {}, b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        assert zlib.crc32(kind + body) & 0xFFFFFFFF == crc
        if kind == b"IDAT":
            idat += body
        chunks[kind] = body
        pos += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    assert (depth, colour) == (8, 2)
    return width, height, zlib.decompress(idat), chunks


def test_png_decodes_and_says_sandbox() -> None:
    width, height, raw, chunks = decode_png(media.png("ME" + "a" * 32))
    assert (width, height) == (320, 200)
    assert len(raw) == height * (1 + width * 3)
    assert all(raw[y * (1 + width * 3)] == 0 for y in range(height))  # filter: none
    assert b"sandbox" in chunks[b"tEXt"]
    assert b"\xff\xff\xff" in raw  # the white SANDBOX lettering
    assert media.png("ME" + "b" * 32) != media.png("ME" + "a" * 32)


def test_message_media_downloads_as_png_and_describes_itself_as_json(
        client: httpx.Client) -> None:
    msgs = client.get(f"{A}/Messages.json", params={"PageSize": 300}).json()["messages"]
    with_media = next(m for m in msgs if m["num_media"] != "0")
    assert with_media["sid"].startswith("MM")
    listed = client.get(f"{A}/Messages/{with_media['sid']}/Media.json").json()["media_list"]
    assert len(listed) == int(with_media["num_media"])
    item = listed[0]
    described = client.get(item["uri"]).json()
    assert described["content_type"] == "image/png"
    content = client.get(item["uri"].removesuffix(".json"))
    assert content.status_code == 200 and content.headers["content-type"] == "image/png"
    assert decode_png(content.content)[:2] == (320, 200)


def test_media_content_needs_no_credentials_like_twilio(served: SandboxServer,
                                                        client: httpx.Client) -> None:
    msgs = client.get(f"{A}/Messages.json", params={"PageSize": 300}).json()["messages"]
    mm = next(m for m in msgs if m["num_media"] != "0")
    item = client.get(f"{A}/Messages/{mm['sid']}/Media.json").json()["media_list"][0]
    plain = httpx.get(served.url + item["uri"].removesuffix(".json"))
    assert plain.status_code == 200 and plain.content[:4] == b"\x89PNG"
    assert httpx.get(served.url + item["uri"]).status_code == 401


def test_recording_downloads_as_wav_audio(client: httpx.Client) -> None:
    rec = client.get(f"{A}/Recordings.json", params={"PageSize": 1}).json()["recordings"][0]
    assert rec["media_url"].startswith(str(client.base_url).rstrip("/") + A + "/Recordings/")
    for url in (rec["media_url"] + ".wav", rec["media_url"]):
        r = client.get(url)
        assert r.status_code == 200 and r.headers["content-type"] == "audio/x-wav"
        with wave.open(io.BytesIO(r.content)) as w:
            assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 1, 4000)
            seconds = w.getnframes() / w.getframerate()
            frames = w.readframes(800)
        assert seconds == float(rec["duration"])  # the player lasts the recording
        assert set(frames) != {128}  # not silence
    mp3 = client.get(rec["media_url"] + ".mp3")
    assert mp3.headers["content-type"] == "audio/mpeg"
    assert mp3.content[:2] == b"\xff\xfb" and len(mp3.content) % 144 == 0


def test_recording_of_an_unknown_sid_is_404(client: httpx.Client) -> None:
    r = client.get(f"{A}/Recordings/RE{'0' * 32}.wav")
    assert r.status_code == 404 and r.json()["code"] == 20404


def test_a_long_recording_plays_its_whole_duration() -> None:
    """A recording of 543 s gives 543 s of audio (not 30), at 4,000 bytes a second."""
    data = media.wav("RE" + "5" * 32, 543)
    with wave.open(io.BytesIO(data)) as w:
        assert w.getnframes() / w.getframerate() == 543
        start = w.readframes(4000)
    assert set(start) != {128}  # the chime
    assert 543 * 4000 < len(data) < 543 * 4000 + 200
    assert media.wav("RE" + "5" * 32, 0)[:4] == b"RIFF"  # at least a second
    mp3 = media.mp3(543)
    assert len(mp3) // 144 * 1152 / 32000 >= 543  # the MP3 too
