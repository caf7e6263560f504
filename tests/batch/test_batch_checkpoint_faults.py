"""Faults on the checkpoint file: a full disk while the batch runs (a real process with a
file-size limit), bytes that are not text, a device, hand edits. Each is a clear twilio_nb
error; nothing is sent on a file that cannot be trusted, and what was sent is never lost."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from batch_rows import BODY, customers

import twilio_nb as tw
from twilio_nb.sandbox import Sandbox

ROOT = Path(__file__).resolve().parents[2]

FULL_DISK = """
import json, resource, signal, sys, warnings
from collections import Counter
sys.path.insert(0, sys.argv[2])
import threading
import twilio_nb as tw
from twilio_nb.sandbox import Sandbox
from batch_rows import BODY, customers
warnings.simplefilter("ignore")
box = Sandbox(messages=0)
conn = tw.Connection(sandbox=box)
rows, ck = customers(20), sys.argv[1]
stopped = threading.Event(); stopped.set()  # a run that sends nothing: the header written
conn.batch("Message", "Send Message", rows, body=BODY, checkpoint=ck, progress=False,
           cancel=stopped)
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # past the limit: EFBIG, as a full disk's ENOSPC
size = len(open(ck, "rb").read())
resource.setrlimit(resource.RLIMIT_FSIZE, (size + 1500, resource.RLIM_INFINITY))
out = {}
try:
    conn.batch("Message", "Send Message", rows, body=BODY, checkpoint=ck, progress=False,
               concurrency=3)
except tw.TwilioError as exc:
    out["error"] = type(exc).__name__
    out["message"] = str(exc)
    out["counts"] = exc.batch.counts
    out["sids"] = len(exc.batch.sids)
out["held_after_fault"] = box.stats.count("POST", "/Messages.json")
resource.setrlimit(resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
b = conn.batch("Message", "Send Message", rows, body=BODY, checkpoint=ck, progress=False)
out["rerun"] = b.counts
listed = conn.basic("Message", "List Messages", query={"PageSize": 100}).df
out["per_recipient"] = sorted(set(Counter(listed["to"]).values()))
out["recipients"] = len(set(listed["to"]))
print(json.dumps(out))
"""


def test_a_full_disk_stops_the_batch_keeps_what_was_sent_and_the_rerun_sends_each_once(
        tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1",
           "PYTHONPATH": f"{ROOT}{os.pathsep}" + os.environ.get("PYTHONPATH", "")}
    done = subprocess.run([sys.executable, "-c", FULL_DISK, str(tmp_path / "full.batch"),
                           str(ROOT / "tests" / "support")], env=env, capture_output=True,
                          text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["error"] == "CheckpointError"
    assert "could not be written" in out["message"] and "err.batch" in out["message"]
    assert 0 < out["counts"]["sent"] < 20 and out["sids"] == out["counts"]["sent"]
    assert out["held_after_fault"] >= out["counts"]["sent"]
    assert out["rerun"]["sent"] == 20
    assert out["per_recipient"] == [1] and out["recipients"] == 20


@pytest.fixture
def conn() -> tw.Connection:
    return tw.Connection(sandbox=Sandbox(messages=0))


def _send(conn: tw.Connection, ck: Path | str, n: int = 3) -> tw.Batch:
    return conn.batch("Message", "Send Message", customers(n, token="faults"), body=BODY,
                      checkpoint=ck, progress=False)


def _nothing_sent(conn: tw.Connection) -> bool:
    assert conn.sandbox is not None
    return conn.sandbox.stats.count("POST", "/Messages.json") == 0  # type: ignore[attr-defined]


def test_bytes_that_are_not_text_are_refused(conn: tw.Connection, tmp_path: Path) -> None:
    ck = tmp_path / "binary.batch"
    ck.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(tw.ConfigurationError, match="not UTF-8"):
        _send(conn, ck)
    assert _nothing_sent(conn) and ck.read_bytes() == b"\xff\xfe\x00garbage"


def test_a_device_is_refused(conn: tw.Connection) -> None:
    with pytest.raises(tw.ConfigurationError, match="not a regular file"):
        _send(conn, "/dev/null")
    assert _nothing_sent(conn)


@pytest.mark.parametrize("edit", [
    '{"row": true, "outcome": "sent"}',
    '{"row": 1, "outcome": "sent", "sid": "SMx", "http_status": 201, "error_code": null, '
    '"error_message": null, "sent_at": null}',
    '{"row": 7, "intent": "2026-01-01T00:00:00Z"}',
    '{"twilio_nb_batch": 2}',
    'not json at all',
], ids=["bool row", "outcome without intent", "row out of range", "second header", "text"])
def test_hand_edits_that_break_the_format_are_refused(conn: tw.Connection, tmp_path: Path,
                                                      edit: str) -> None:
    ck = tmp_path / "edited.batch"
    stopped = __import__("threading").Event()
    stopped.set()
    conn.batch("Message", "Send Message", customers(3, token="faults"), body=BODY,
               checkpoint=ck, progress=False, cancel=stopped)  # the header, no row sent
    with ck.open("a") as f:
        f.write(edit + "\n{\"run\": \"2026-01-01\", \"pid\": 1, \"host\": \"h\"}\n")
    with pytest.raises(tw.ConfigurationError, match="cannot be trusted: line 3"):
        _send(conn, ck)
    assert _nothing_sent(conn)


def test_a_line_cut_short_by_a_kill_is_not_a_hand_edit(conn: tw.Connection,
                                                       tmp_path: Path) -> None:
    ck = tmp_path / "torn.batch"
    stopped = __import__("threading").Event()
    stopped.set()
    conn.batch("Message", "Send Message", customers(3, token="faults"), body=BODY,
               checkpoint=ck, progress=False, cancel=stopped)
    with ck.open("a") as f:
        f.write('{"row": 0, "inte')  # killed while writing row 0's intent
    b = _send(conn, ck)
    assert b.counts["sent"] == 3
    assert _send(conn, ck).df["note"].str.startswith("from the checkpoint").all()
