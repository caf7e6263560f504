"""``Sandbox(clock="manual")``: the sandbox's clock stands still until ``advance`` moves it, so
a notebook or a test steps through a message's life exactly; the default clock is real time."""

from __future__ import annotations

import gc
import time
import weakref

import pytest
from sandbox_http import in_process

from twilio_nb import ConfigurationError
from twilio_nb.sandbox import ACCOUNT_SID, Sandbox

MESSAGES = f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages"


def test_a_manual_clock_moves_only_by_advance_one_state_at_a_time() -> None:
    sandbox = Sandbox(messages=0, clock="manual")
    assert sandbox.clock == "manual" and "manual clock" in repr(sandbox)
    start = sandbox.now
    with in_process(sandbox) as api:
        sid = api.post(f"{MESSAGES}.json", data={"From": "+14155550100", "To": "+14155550199",
                                                 "Body": "hi"}).json()["sid"]

        def status() -> str:
            return str(api.get(f"{MESSAGES}/{sid}.json").json()["status"])

        time.sleep(0.2)  # real time passes; the sandbox's clock does not
        assert (sandbox.now, status()) == (start, "queued")
        seen = []
        for step in (0.1, 0.15, 0.15, 0.39, 0.01):  # sending at 0.1, sent at 0.4, delivered 0.8
            sandbox.advance(step)
            seen.append(status())
    assert seen == ["sending", "sending", "sent", "sent", "delivered"]
    assert sandbox.now == pytest.approx(start + 0.8)


def test_a_state_falls_due_at_its_step_whatever_the_clock_read_when_it_was_made() -> None:
    sandbox = Sandbox(messages=0, clock="manual")
    seen = []
    with in_process(sandbox) as api:
        for i in range(1, 16):  # epoch floats round: t0 + 0.1 can come out above now + 0.1
            sandbox.advance(0.05 * i)
            sid = api.post(f"{MESSAGES}.json", data={
                "From": "+14155550100", "To": "+14155550199", "Body": "hi"}).json()["sid"]
            for step in (0.1, 0.3, 0.4):
                sandbox.advance(step)
                seen.append(api.get(f"{MESSAGES}/{sid}.json").json()["status"])
    assert seen == ["sending", "sent", "delivered"] * 15


def test_a_manual_clock_is_a_call_step_by_step_and_reset_keeps_it_manual() -> None:
    sandbox = Sandbox(messages=0, clock="manual")
    calls = MESSAGES.replace("Messages", "Calls")
    with in_process(sandbox) as api:
        sid = api.post(f"{calls}.json", data={"From": "+14155550100", "To": "+14155550199",
                                              "Url": "http://demo.invalid/twiml"}).json()["sid"]
        seen = []
        for step in (0.6, 1.0, 3.99, 0.01):  # ringing 0.6, in-progress 1.6, completed 5.6
            sandbox.advance(step)
            seen.append(api.get(f"{calls}/{sid}.json").json()["status"])
        assert seen == ["ringing", "in-progress", "in-progress", "completed"]
        sandbox.reset()
        assert sandbox.clock == "manual"


def test_the_default_clock_is_real_time_and_a_wrong_clock_is_refused() -> None:
    sandbox = Sandbox(messages=0)
    assert sandbox.clock == "real" and "clock" not in repr(sandbox)
    before = sandbox.now
    time.sleep(0.01)
    assert sandbox.now > before
    with pytest.raises(ConfigurationError, match="clock must be 'real'") as caught:
        Sandbox(messages=0, clock="frozen")
    assert caught.value.field == "clock"


def _dropped_manual_sandbox() -> weakref.ref[object]:
    """A manual sandbox with a message and a call left mid-life, dropped: a ref to its state."""
    sandbox = Sandbox(messages=0, clock="manual")
    calls = MESSAGES.replace("Messages", "Calls")
    with in_process(sandbox) as api:
        api.post(f"{MESSAGES}.json", data={"From": "+14155550100", "To": "+14155550199",
                                           "Body": "hi"}).raise_for_status()
        api.post(f"{calls}.json", data={"From": "+14155550100", "To": "+14155550199",
                                        "Url": "http://demo.invalid/twiml"}).raise_for_status()
        sandbox.advance(0.1)  # sending: the rest of both lives is still scheduled
    return weakref.ref(sandbox._app)  # what a parked clock thread would hold on to


def test_a_dropped_manual_sandbox_leaves_no_clock_thread_holding_it() -> None:
    refs = [_dropped_manual_sandbox() for _ in range(3)]
    deadline = time.monotonic() + 10  # the queued states run at once, then the thread ends
    while any(ref() is not None for ref in refs) and time.monotonic() < deadline:
        gc.collect()
        time.sleep(0.01)
    assert [ref() for ref in refs] == [None, None, None]
