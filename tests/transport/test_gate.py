"""A walk's gate: at most N in flight, and a 429 storm across workers settles (every
request answered once, the workers slowed together); closed when its walk ends, it stops the
requests still out from trying again. The gate goes with each call (``execute(built,
gate=...)``): two walks at once on one connection each keep their own."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

import twilio_nb as tw
from twilio_nb.errors import TwilioApiError
from twilio_nb.sandbox import Sandbox
from twilio_nb.transport.gate import Gate, GateClosedError


def test_a_429_storm_across_workers_slows_all_of_them() -> None:
    box = Sandbox(messages=100, latency_ms=15, concurrency_limit=3, retry_after=0.02)
    conn = tw.Connection(sandbox=box, max_retries=8)
    barrier = threading.Barrier(8)

    built = conn.build_basic("Message", "List Messages", query={"PageSize": 5})

    def get(_: int) -> int:
        barrier.wait()
        return conn.execute(built, gate=gate).status_code

    with conn.gated(8) as gate, ThreadPoolExecutor(8) as pool:
        codes = list(pool.map(get, range(40)))
    assert codes == [200] * 40
    limit = box.concurrency_limit
    assert limit is not None and limit.refused > 0  # there was a storm ...
    assert gate.pauses == limit.refused  # ... each 429 paused everyone ...
    assert gate.limit <= 3  # ... and the walk settled under the account's limit
    history = conn.history
    assert (history["retries"] > 0).sum() <= limit.refused


def test_the_gate_never_lets_more_than_its_limit_through() -> None:
    box = Sandbox(messages=10, latency_ms=20, concurrency_limit=32)
    conn = tw.Connection(sandbox=box)
    built = conn.build_basic("Message", "List Messages")
    with conn.gated(3) as gate, ThreadPoolExecutor(10) as pool:
        list(pool.map(lambda _: conn.execute(built, gate=gate), range(20)))
    assert gate.peak == 3
    assert box.concurrency_limit is not None and box.concurrency_limit.peak == 3


def test_a_pause_holds_every_attempt() -> None:
    now = [0.0]
    gate = Gate(2, clock=lambda: now[0])
    gate.pause(5.0)
    entered = threading.Event()

    def attempt() -> None:
        with gate.passage():
            entered.set()

    thread = threading.Thread(target=attempt)
    thread.start()
    assert not entered.wait(0.05)  # paused
    now[0] = 6.0
    gate.pause(0.0)  # wakes the waiters (the clock moved)
    thread.join(2)
    assert entered.is_set() and gate.limit == 1


def test_a_429_lets_one_fewer_through_not_the_few_the_client_sees_in_flight() -> None:
    # the server counts a request until its answer is written: at a 429 the client may see
    # only two in flight while the account's limit is near eight
    gate = Gate(8, clock=lambda: 0.0)
    with gate.passage(), gate.passage():
        gate.pause(0.0)
    assert gate.limit == 7
    for _ in range(10):
        gate.pause(0.0)
    assert gate.limit == 1  # never below one


def test_a_request_still_out_when_its_walk_ends_is_not_tried_again() -> None:
    box = Sandbox(messages=10, latency_ms=50)
    box.faults.add("status", path="Messages.json", status=503, count=1)
    conn = tw.Connection(sandbox=box, max_retries=5, backoff_base_s=5.0)
    with ThreadPoolExecutor(1) as pool:
        with conn.gated(2) as gate:
            out = pool.submit(conn.execute, conn.build_basic("Message", "List Messages"),
                              gate=gate)
            while not box.stats.total_requests:  # the attempt is out
                threading.Event().wait(0.005)
        # the walk ended while its 503 was on its way: no retry after it (and no 5 s wait)
        with pytest.raises(TwilioApiError, match="its walk ended"):
            out.result(timeout=4)
    assert len(conn.history) == 1 and conn.history["retries"].iloc[0] == 0


def test_a_closed_gate_lets_nothing_through_and_cuts_a_rest_short() -> None:
    gate = Gate(2)
    gate.close()
    with pytest.raises(GateClosedError), gate.passage():
        pass
    done = threading.Event()
    threading.Thread(target=lambda: (gate.rest(30), done.set())).start()
    assert done.wait(5)
