"""An export recorded from the sandbox (gzip day files in the cassette, scrubbed) replays
offline: the same records, no account, no network."""

from __future__ import annotations

import gzip
from pathlib import Path

import yaml

import twilio_nb as tw
from twilio_nb.sandbox import Sandbox


def test_an_export_records_and_replays_offline(tmp_path: Path) -> None:
    cassette = tmp_path / "export.cassette"
    conn = tw.Connection(sandbox=Sandbox(messages=200), record=cassette)
    recorded = conn.bulk_export("Messages", "2025-01-01", "2025-01-04", create_jobs=False,
                                progress=False)
    conn.close()
    replayed = tw.Connection(replay=cassette).bulk_export(
        "Messages", "2025-01-01", "2025-01-04", create_jobs=False, progress=False)
    assert len(recorded.df) > 0
    assert list(replayed.df["sid"]) == list(recorded.df["sid"])
    assert list(replayed.df.dtypes) == list(recorded.df.dtypes)
    files = [i["response"]["body"]["string"] for i in
             yaml.safe_load(cassette.read_text())["interactions"]
             if "bulkexports-files" in i["request"]["uri"]]
    assert len(files) == 4 and all(isinstance(f, bytes) for f in files)
    text = b"".join(gzip.decompress(f) for f in files).decode()
    for number in recorded.df["to"]:  # the day files' phone numbers were scrubbed (pii)
        assert number not in text
    assert "Signature=%5Bscrubbed%5D" in cassette.read_text()
