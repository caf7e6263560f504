"""The sandbox calls back a batch's messages at once, each message's callbacks in order, and
``advance()`` returns with them delivered."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Mapping
from typing import Any

import httpx
import pytest

import twilio_nb as tw
from twilio_nb.sandbox import ACCOUNT_SID, AUTH_TOKEN, Sandbox
from twilio_nb.sandbox.callbacks import WORKERS

ACCT = f"/2010-04-01/Accounts/{ACCOUNT_SID}"
STATES = ["queued", "sending", "sent", "delivered"]


@pytest.fixture
def sandbox() -> Sandbox:
    return Sandbox(messages=0)


@pytest.fixture
def api(sandbox: Sandbox) -> Iterator[httpx.Client]:
    with httpx.Client(transport=sandbox.transport(), base_url="https://api.twilio.com",
                      auth=sandbox.auth()) as c:
        yield c


@pytest.fixture
def inbox() -> Iterator[tw.Inbox]:
    with tw.inbox(AUTH_TOKEN) as box:
        yield box


def send(api: httpx.Client, n: int, callback: str, to: str = "+14155550199") -> list[str]:
    sids = []
    for i in range(n):
        made = api.post(f"{ACCT}/Messages.json", data={
            "From": "+14155550100", "To": to, "Body": f"hi {i}", "StatusCallback": callback})
        assert made.status_code == 201, made.text
        sids.append(made.json()["sid"])
    return sids


def test_a_batchs_callbacks_are_delivered_signed_and_in_order_when_advance_returns(
        sandbox: Sandbox, api: httpx.Client, inbox: tw.Inbox) -> None:
    sids = send(api, 150, inbox.url + "status")
    sandbox.advance(1)
    df = inbox.df  # no wait: advance returned with every callback attempted
    assert len(df) == 600 and df["signature_valid"].all() and set(df["status"]) == {200}
    for sid, states in df.groupby("MessageSid", sort=False)["MessageStatus"]:
        assert list(states) == STATES, sid
    assert set(df["MessageSid"]) == set(sids)
    assert all(d.ok for d in sandbox.deliveries)


def test_callbacks_of_different_messages_overlap_and_each_message_keeps_its_order(
        sandbox: Sandbox, api: httpx.Client, inbox: tw.Inbox) -> None:
    lock = threading.Lock()
    now = {"in": 0, "peak": 0}

    def slow(fields: Mapping[str, Any]) -> str:
        with lock:
            now["in"] += 1
            now["peak"] = max(now["peak"], now["in"])
        # an endpoint slow on the first callback: the later ones must still come after it
        time.sleep(0.05 if fields.get("MessageStatus") == "queued" else 0.005)
        with lock:
            now["in"] -= 1
        return "<Response/>"

    inbox.reply(slow)
    send(api, 24, inbox.url + "status")
    sandbox.advance(1)
    df = inbox.wait(96, timeout=30)
    assert 2 <= now["peak"] <= WORKERS
    for sid, states in df.groupby("MessageSid", sort=False)["MessageStatus"]:
        assert list(states) == STATES, sid


def test_a_failing_number_calls_back_its_error_in_order(
        sandbox: Sandbox, api: httpx.Client, inbox: tw.Inbox) -> None:
    send(api, 5, inbox.url + "status", to="+15005550010")
    send(api, 5, inbox.url + "status", to="+15005550012")
    sandbox.advance(1)
    df = inbox.df
    ends = df.groupby("MessageSid", sort=False).agg(
        states=("MessageStatus", list), code=("ErrorCode", "last"))
    assert ends["states"].map(tuple).value_counts().to_dict() == {
        ("queued", "sending", "sent", "undelivered"): 5, ("queued", "failed"): 5}
    assert sorted(ends["code"].unique()) == ["30003", "30008"]


def test_a_dead_endpoint_among_live_ones_delays_nothing_else(
        sandbox: Sandbox, api: httpx.Client, inbox: tw.Inbox) -> None:
    with tw.inbox(AUTH_TOKEN) as gone:
        dead = gone.url + "status"
    send(api, 10, dead)
    send(api, 10, inbox.url + "status")
    sandbox.advance(1)
    assert len(inbox.df) == 40
    failed = [d for d in sandbox.deliveries if not d.ok]
    assert len(failed) == 40 and all(d.error and "Connect" in d.error for d in failed)


def test_reset_forgets_callbacks_not_yet_sent(sandbox: Sandbox, api: httpx.Client,
                                              inbox: tw.Inbox) -> None:
    release = threading.Event()
    held = threading.Semaphore(0)

    def hold(fields: Mapping[str, Any]) -> str:
        held.release()
        release.wait(10)
        return "<Response/>"

    inbox.reply(hold)
    send(api, 20, inbox.url + "status")  # the clock queues 20 callbacks at once (queued)
    for _ in range(WORKERS):  # every worker holds one; the others wait in their queues
        assert held.acquire(timeout=10)
    sandbox.reset()
    release.set()
    assert sandbox._app.lifecycle.callbacks.drain(10)
    assert len(inbox) == WORKERS  # those being sent arrived; the rest were forgotten
