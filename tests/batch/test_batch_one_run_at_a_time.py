"""One run at a time per checkpoint: while a batch runs, a second run on its checkpoint (a
thread, another process) is refused at once, naming the holder; no recipient gets two
messages, and the file keeps one header."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pytest
from batch_rows import BODY, customers, sent_per_recipient

import twilio_nb as tw
from twilio_nb.sandbox import Sandbox

ROOT = Path(__file__).resolve().parents[2]
SECOND_PROCESS = """
import sys
sys.path.insert(0, sys.argv[3])
import twilio_nb as tw
from batch_rows import BODY, customers
conn = tw.Connection(sys.argv[1], credential="sandbox")
try:
    conn.batch("Message", "Send Message", customers(20, token=sys.argv[4]), body=BODY,
               checkpoint=sys.argv[2], progress=False)
except tw.ConfigurationError as exc:
    print("REFUSED", exc)
"""


class HoldFirstSend(httpx.BaseTransport):
    """The sandbox, except that the first Send Message waits for ``release``: the batch is
    running (and holding its checkpoint) for as long as the test wants."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.arrived, self.release = threading.Event(), threading.Event()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST" and not self.arrived.is_set():
            self.arrived.set()
            self.release.wait(30)
        return self.inner.handle_request(request)


def test_a_second_run_while_one_runs_is_refused_naming_the_holder(tmp_path: Path) -> None:
    box = Sandbox(messages=0)
    ck, rows = tmp_path / "twice.batch", customers(20)
    hold = HoldFirstSend(box.transport())
    first = tw.Connection(sandbox=box, transport=hold)
    done: list[object] = []
    runner = threading.Thread(target=lambda: done.append(first.batch(
        "Message", "Send Message", rows, body=BODY, checkpoint=ck, concurrency=4,
        progress=False)))
    runner.start()
    try:
        assert hold.arrived.wait(30), "the first run sent its first row"
        second = tw.Connection(sandbox=box)
        with pytest.raises(tw.ConfigurationError, match="in use by another run") as err:
            second.batch("Message", "Send Message", rows, body=BODY, checkpoint=ck,
                         concurrency=4, progress=False)  # another thread: a double click
        assert f"pid {os.getpid()} on {socket.gethostname()}" in str(err.value)
        with box.serve() as served:  # another process: a second kernel
            env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}"
                   + os.environ.get("PYTHONPATH", "")}
            out = subprocess.run(
                [sys.executable, "-c", SECOND_PROCESS, served.url, str(ck),
                 str(ROOT / "tests" / "support"), str(rows["token"].iloc[0])],
                env=env, capture_output=True, text=True, timeout=120)
        assert "REFUSED" in out.stdout and f"pid {os.getpid()}" in out.stdout, out.stderr
    finally:
        hold.release.set()
        runner.join(60)
    assert len(done) == 1 and done[0].counts["sent"] == 20  # type: ignore[attr-defined]
    assert sent_per_recipient(second, rows["token"].iloc[0]) == {p: 1 for p in rows["phone"]}
    assert ck.read_text().count('"twilio_nb_batch"') == 1
    again = second.batch("Message", "Send Message", rows, body=BODY, checkpoint=ck,
                         progress=False)  # the lock went with the run: resumed, nothing sent
    assert again.df["note"].str.startswith("from the checkpoint").all()


def test_two_runs_started_together_send_no_recipient_two_messages(tmp_path: Path) -> None:
    box = Sandbox(messages=0, latency_ms=5)
    ck, rows = tmp_path / "together.batch", customers(20)
    start = threading.Barrier(2)
    results: list[object] = []

    def run() -> None:
        conn = tw.Connection(sandbox=box)
        start.wait()
        try:
            results.append(conn.batch("Message", "Send Message", rows, body=BODY,
                                      checkpoint=ck, concurrency=4, progress=False))
        except tw.ConfigurationError as exc:
            results.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(results) == 2
    with tw.Connection(sandbox=box) as conn:
        assert sent_per_recipient(conn, rows["token"].iloc[0]) == {p: 1 for p in rows["phone"]}
    refused = [r for r in results if isinstance(r, tw.ConfigurationError)]
    assert all("in use by another run" in str(r) for r in refused)
    assert ck.read_text().count('"twilio_nb_batch"') == 1
