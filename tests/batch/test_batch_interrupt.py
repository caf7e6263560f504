"""Ctrl-C in the middle of a batch: the requests out finish, rows not started stay `not sent`,
the Batch comes back, and every row sent is sent once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from batch_rows import BODY, customers, sent_per_recipient

import twilio_nb as tw
from twilio_nb.sandbox import Sandbox, SandboxServer

MESSAGES = 0
ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import json, sys, warnings
sys.path.insert(0, sys.argv[4])
import twilio_nb as tw
from batch_rows import BODY, customers
conn = tw.Connection(sys.argv[1], credential="sandbox")
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    b = conn.batch("Message", "Send Message", customers(30, token=sys.argv[3]), body=BODY,
                   concurrency=2, checkpoint=sys.argv[2], progress=False)
print(json.dumps({"counts": b.counts, "cancelled": b.cancelled,
                  "sent": sorted(b.sids.values())}))
"""


def test_ctrl_c_stops_taking_rows_and_gives_the_batch_back(
        conn: tw.Connection, box: Sandbox, served: SandboxServer, tmp_path: Path) -> None:
    ck = tmp_path / "stop.batch"
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}" + os.environ.get(
        "PYTHONPATH", "")}
    box.latency_ms = 150
    try:
        proc = subprocess.Popen([sys.executable, "-c", SCRIPT, served.url, str(ck), "ctrlc",
                                 str(Path(__file__).parents[1] / "support")], env=env,
                                stdout=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while (not ck.exists() or ck.read_text().count('"outcome"') < 4) \
                and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGINT)
        out, _ = proc.communicate(timeout=30)
    finally:
        box.latency_ms = 0
    assert proc.returncode == 0
    got = json.loads(out.strip().splitlines()[-1])
    counts = got["counts"]
    assert got["cancelled"] and counts["unknown"] == 0 and counts["failed"] == 0
    assert counts["sent"] >= 4 and counts["not sent"] >= 1
    assert counts["sent"] + counts["not sent"] == 30
    held = sent_per_recipient(conn, "ctrlc")
    assert set(held.values()) == {1} and sum(held.values()) == counts["sent"]
    rows = customers(30, token="ctrlc")  # the same batch again sends the rest, once each
    b = conn.batch("Message", "Send Message", rows, body=BODY, checkpoint=str(ck),
                   progress=False)
    assert set(b.df["outcome"]) == {"sent"}
    assert sent_per_recipient(conn, "ctrlc") == {p: 1 for p in rows["phone"]}
