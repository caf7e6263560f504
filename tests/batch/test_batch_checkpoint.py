"""A batch never sends a row twice: its checkpoint survives SIGKILL, a lost answer is
reconciled, another batch's checkpoint is refused."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from batch_rows import BODY, customers, sent_per_recipient

import twilio_nb as tw
from twilio_nb.sandbox import AUTH_TOKEN, FAULT_KINDS, Sandbox, SandboxServer

MESSAGES = 0
ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import sys
sys.path.insert(0, sys.argv[4])
import twilio_nb as tw
from batch_rows import BODY, customers
conn = tw.Connection(sys.argv[1], credential="sandbox")
conn.batch("Message", "Send Message", customers(40, token=sys.argv[3]), body=BODY,
           concurrency=3, checkpoint=sys.argv[2], progress=False)
"""


def _events(path: Path, kind: str) -> int:
    """Whole lines of ``kind`` (intent, outcome) in a checkpoint (a torn last line is not)."""
    count = 0
    for line in path.read_text().splitlines()[1:] if path.exists() else []:
        with contextlib.suppress(json.JSONDecodeError):
            count += kind in json.loads(line)
    return count


def _outcomes(path: Path) -> int:
    return _events(path, "outcome")


def test_a_batch_killed_with_sigkill_and_run_again_sends_every_row_exactly_once(
        conn: tw.Connection, box: Sandbox, served: SandboxServer, tmp_path: Path) -> None:
    ck = tmp_path / "campaign.batch"
    token = "kill9run"
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}" + os.environ.get(
        "PYTHONPATH", "")}
    box.latency_ms = 150
    try:
        proc = subprocess.Popen([sys.executable, "-c", SCRIPT, served.url, str(ck), token,
                                 str(Path(__file__).parents[1] / "support")], env=env)
        deadline = time.monotonic() + 60
        while _outcomes(ck) < 10 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    finally:
        box.latency_ms = 0
    done_before = _outcomes(ck)
    assert 10 <= done_before < 40, "the kill came in the middle of the batch"
    intents = _events(ck, "intent")
    rows = customers(40, token=token)
    b = conn.batch("Message", "Send Message", rows, body=BODY, concurrency=3,
                   checkpoint=str(ck), progress=False)
    notes = b.df["note"].astype(str)
    assert notes.str.startswith("from the checkpoint").sum() == done_before
    out = b.df["outcome"].astype(str)
    # the rows that were out when the process died were looked up: found, or (killed before
    # their request left) still unknown and not sent
    assert (notes.str.startswith("reconciled") | (out == "unknown")).sum() \
        == intents - done_before
    unknown = list(out[out == "unknown"].index)
    held = sent_per_recipient(conn, token)
    assert held == {p: 1 for p in rows.drop(index=unknown)["phone"]}
    if unknown:  # the user says so: those rows are sent now, once
        b = conn.batch("Message", "Send Message", rows, body=BODY, checkpoint=str(ck),
                       progress=False, resend_unknown=True)
    assert set(b.df["outcome"]) == {"sent"}
    assert sent_per_recipient(conn, token) == {p: 1 for p in rows["phone"]}
    again = conn.batch("Message", "Send Message", customers(40, token=token), body=BODY,
                       checkpoint=str(ck), progress=False)  # a third run sends nothing
    assert set(again.df["outcome"]) == {"sent"}
    assert sent_per_recipient(conn, token) == {p: 1 for p in rows["phone"]}


class DropAfterProcessing(httpx.BaseTransport):
    """Forwards to the sandbox, then loses the answer of the ``lose``-th Send Message: the
    message exists, the client never hears of it (the sandbox's own fault when it has one)."""

    def __init__(self, lose: set[int]) -> None:
        self.inner = httpx.HTTPTransport()
        self.lose, self.seen = lose, 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        if request.method == "POST" and request.url.path.endswith("/Messages.json"):
            self.seen += 1
            if self.seen in self.lose:
                response.read()
                response.close()
                raise httpx.ReadError("connection lost after the request was processed")
        return response


def _dropping_connection(served: SandboxServer, box: Sandbox) -> tw.Connection:
    drop = next((k for k in FAULT_KINDS if "drop" in k or "after" in k), None)
    if drop is not None:  # the sandbox's own fault: the connection dropped after processing
        box.faults.add(drop, path="/Messages.json", method="POST", after=1, count=2)
        return tw.Connection(served.url, credential="sandbox", backoff_base_s=0.01)
    return tw.Connection(served.url, credential="sandbox", backoff_base_s=0.01,
                         transport=DropAfterProcessing({2, 3}))


def test_a_connection_dropped_after_processing_is_unknown_then_reconciled_not_resent(
        box: Sandbox, served: SandboxServer, tmp_path: Path) -> None:
    box.faults.clear()
    rows = customers(5)
    ck = tmp_path / "lost.batch"
    with _dropping_connection(served, box) as conn:
        b = conn.batch("Message", "Send Message", rows, body=BODY, checkpoint=str(ck),
                       progress=False)
        box.faults.clear()
        df = b.df
        assert set(df["outcome"]) == {"sent"}
        looked_up = df[df["note"].astype(str).str.startswith("reconciled")]
        assert len(looked_up) == 2 and looked_up["sid"].str.startswith("SM").all()
        assert sent_per_recipient(conn, rows["token"].iloc[0]) == {p: 1 for p in rows["phone"]}
        log = [json.loads(line) for line in ck.read_text().splitlines()[1:]]
        assert [e["outcome"] for e in log if "outcome" in e].count("unknown") == 2


class LoseOneBeforeSending(httpx.BaseTransport):
    """Forwards to the sandbox, except the Send Message to ``to``: the connection is lost as
    it goes out (the client cannot tell whether Twilio got it; it did not)."""

    def __init__(self, to: str) -> None:
        self.inner, self.to = httpx.HTTPTransport(), to

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST" and self.to.replace("+", "%2B") in request.content.decode():
            raise httpx.ReadError("connection lost while the request was out")
        return self.inner.handle_request(request)


def test_an_unknown_row_not_found_stays_unknown_unless_resend_unknown(
        conn: tw.Connection, served: SandboxServer, tmp_path: Path) -> None:
    rows = customers(3)
    ck = tmp_path / "half.batch"
    lossy = tw.Connection(served.url, credential="sandbox", backoff_base_s=0.01,
                          transport=LoseOneBeforeSending(rows.loc["c1", "phone"]))
    with pytest.warns(tw.TwilioWarning, match="1 row.s. unknown"):
        first = lossy.batch("Message", "Send Message", rows, body=BODY, checkpoint=str(ck),
                            progress=False)
    assert list(first.df["outcome"]) == ["sent", "unknown", "sent"]
    with pytest.warns(tw.TwilioWarning, match="1 row.s. unknown"):
        b = conn.batch("Message", "Send Message", rows, body=BODY, checkpoint=str(ck),
                       progress=False)
    assert list(b.df["outcome"]) == ["sent", "unknown", "sent"]
    assert "no message to +14155560001" in b.df.loc["c1", "note"]
    assert sent_per_recipient(conn, rows["token"].iloc[0]) == {
        rows.loc["c0", "phone"]: 1, rows.loc["c2", "phone"]: 1}
    b = conn.batch("Message", "Send Message", rows, body=BODY, checkpoint=str(ck),
                   progress=False, resend_unknown=True)
    assert list(b.df["outcome"]) == ["sent", "sent", "sent"]
    assert sent_per_recipient(conn, rows["token"].iloc[0]) == {p: 1 for p in rows["phone"]}


def test_a_checkpoint_of_another_batch_is_refused_before_sending(
        conn: tw.Connection, box: Sandbox, tmp_path: Path) -> None:
    ck = tmp_path / "one.batch"
    rows = customers(2)
    conn.batch("Message", "Send Message", rows, body=BODY, checkpoint=str(ck), progress=False)
    box.stats.clear()
    with pytest.raises(tw.ConfigurationError, match=r"another batch: row 'c0': the field 'Body'"):
        conn.batch("Message", "Send Message", rows, body={**BODY, "Body": "Bye {name}"},
                   checkpoint=str(ck))
    with pytest.raises(tw.ConfigurationError,
                       match=r"another batch: row 'c0': column 'token' differs"):
        conn.batch("Message", "Send Message", customers(3), body=BODY, checkpoint=str(ck))
    with pytest.raises(tw.ConfigurationError, match=r"another batch.*operation"):
        conn.batch("Call", "Create Call", rows, checkpoint=str(ck),
                   body={"From": "+14155550100", "To": "{phone}", "Url": "https://x.example/t"})
    assert box.stats.total_requests == 0
    assert AUTH_TOKEN not in ck.read_text()
