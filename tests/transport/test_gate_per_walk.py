"""The gate goes with each walk's calls: two concurrent walks at once on one connection, with
different concurrency, each keep their own gate and limit; neither shares nor swaps the
other's (the connection's executor holds no gate)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pandas as pd
import pytest

import twilio_nb as tw
from twilio_nb.paging.slices import _slice_plan
from twilio_nb.sandbox import Sandbox
from twilio_nb.transport.gate import Gate

MESSAGES = 300


@pytest.mark.filterwarnings("ignore::twilio_nb.errors.TwilioWarning")  # calls not dialled yet
def test_two_walks_at_once_on_one_connection_each_keep_their_own_gate(
        monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[CountedGate] = []
    both = threading.Barrier(2, timeout=30)

    class CountedGate(Gate):
        """A gate that counts what passes it; made, it waits for the other walk's, so that
        the two walks hold their gates at once before either sends anything."""

        def __init__(self, limit: int) -> None:
            super().__init__(limit)
            self.passed = 0
            self._count = threading.Lock()
            made.append(self)
            both.wait()

        @contextmanager
        def passage(self) -> Iterator[None]:
            with super().passage():
                with self._count:
                    self.passed += 1
                yield

    monkeypatch.setattr("twilio_nb.session.connection.Gate", CountedGate)
    monkeypatch.setattr(_slice_plan, "PAGE_SIZE", 25)  # many requests per walk
    conn = tw.Connection(sandbox=Sandbox(messages=MESSAGES, latency_ms=5))
    messages = conn.basic("Message", "List Messages", query={"PageSize": 25})
    calls = conn.basic("Call", "List Calls", query={"PageSize": 25})
    sent_before = len(conn.history)
    frames: dict[str, pd.DataFrame] = {}
    failures: list[BaseException] = []

    def walk(name: str, first: tw.Result, concurrency: int) -> None:
        try:
            frames[name] = first.all(concurrency=concurrency, progress=False)
        except BaseException as exc:  # shown by the assertion below
            failures.append(exc)

    threads = [threading.Thread(target=walk, args=("messages", messages, 2)),
               threading.Thread(target=walk, args=("calls", calls, 5))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not failures, failures
    assert len(frames["messages"]) == MESSAGES and frames["messages"]["sid"].is_unique
    assert len(frames["calls"]) and frames["calls"]["sid"].is_unique

    by_limit = {gate.limit: gate for gate in made}
    assert sorted(by_limit) == [2, 5]  # one gate per walk, each with its own limit
    assert all(gate.closed for gate in made)
    history = conn.history.iloc[sent_before:]
    # every request of a walk went through its own gate, and no other's
    assert by_limit[2].passed == history["url"].str.contains("/Messages").sum() > 2
    assert by_limit[5].passed == history["url"].str.contains("/Calls").sum() > 5
    assert by_limit[2].peak <= 2 and by_limit[5].peak <= 5
