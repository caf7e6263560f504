"""The ``drop`` fault: the sandbox processes the request, then hangs up without answering, the
case a batch must call ``unknown`` (the message may exist)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

import twilio_nb as tw
from twilio_nb import ConfigurationError
from twilio_nb.sandbox import ACCOUNT_SID, Sandbox, SandboxServer

MESSAGES = 0  # the module's sandbox (conftest's box) starts empty
ACCT = f"/2010-04-01/Accounts/{ACCOUNT_SID}"


def sent_to(client: httpx.Client, to: str) -> list[dict[str, str]]:
    page = client.get(f"{ACCT}/Messages.json", params={"To": to, "PageSize": 1000})
    return [m for m in page.json()["messages"] if m["to"] == to]


@pytest.fixture
def local() -> Iterator[tuple[Sandbox, httpx.Client]]:
    sandbox = Sandbox(messages=0, clock="manual")  # the message stays queued: no race with time
    with httpx.Client(transport=sandbox.transport(), base_url="https://api.twilio.com",
                      auth=sandbox.auth()) as c:
        yield sandbox, c


def test_in_process_the_message_is_created_and_httpx_sees_the_server_hang_up(
        local: tuple[Sandbox, httpx.Client]) -> None:
    sandbox, api = local
    fault = sandbox.faults.add("drop", path="/Messages.json", method="POST", count=1)
    form = {"From": "+14155550100", "To": "+14155550101", "Body": "one"}
    with pytest.raises(httpx.RemoteProtocolError, match="without sending a response"):
        api.post(f"{ACCT}/Messages.json", data=form)
    assert fault.fired == 1
    made = sent_to(api, "+14155550101")
    assert len(made) == 1 and made[0]["body"] == "one" and made[0]["status"] == "queued"
    again = api.post(f"{ACCT}/Messages.json", data=form)  # count=1: the next one answers
    assert again.status_code == 201
    assert len(sent_to(api, "+14155550101")) == 2


def test_on_a_port_the_socket_closes_without_a_byte_after_processing(
        box: Sandbox, client: httpx.Client) -> None:
    box.faults.add("drop", path="/Messages.json", method="POST", count=1)
    with pytest.raises(httpx.RemoteProtocolError, match="without sending a response"):
        client.post(f"{ACCT}/Messages.json",
                    data={"From": "+14155550100", "To": "+14155550102", "Body": "two"})
    made = sent_to(client, "+14155550102")
    assert [m["body"] for m in made] == ["two"]
    # the client opens a fresh connection and goes on
    assert client.get(f"{ACCT}/Messages.json").status_code == 200


def test_a_connection_does_not_send_the_dropped_post_again(
        box: Sandbox, served: SandboxServer, conn: tw.Connection,
        client: httpx.Client) -> None:
    box.faults.add("drop", path="/Messages.json", method="POST", count=1)
    with pytest.raises(tw.TransportError, match="broke before the answer was complete"):
        conn.basic("Message", "Send Message",
                   body={"From": "+14155550100", "To": "+14155550103", "Body": "three"})
    assert len(sent_to(client, "+14155550103")) == 1  # created once, not retried


def test_drop_is_a_known_kind_and_combines_with_a_delay(
        local: tuple[Sandbox, httpx.Client]) -> None:
    sandbox, api = local
    sandbox.faults.add("delay", delay=0.01, path="/Calls.json")
    sandbox.faults.add("drop", path="/Calls.json", every=2)
    form = {"From": "+14155550100", "To": "+14155550104", "Url": "http://127.0.0.1:9/twiml"}
    outcomes: list[int | None] = []
    for _ in range(4):
        try:
            outcomes.append(api.post(f"{ACCT}/Calls.json", data=form).status_code)
        except httpx.RemoteProtocolError:
            outcomes.append(None)
    assert outcomes == [201, None, 201, None]
    calls = api.get(f"{ACCT}/Calls.json", params={"To": "+14155550104"}).json()["calls"]
    assert len(calls) == 4
    with pytest.raises(ConfigurationError, match="drop"):
        sandbox.faults.add("dropped")


def test_a_drop_is_spent_only_on_a_request_the_sandbox_processed(
        local: tuple[Sandbox, httpx.Client]) -> None:
    sandbox, api = local
    drop = sandbox.faults.add("drop", path="/Messages.json", method="POST", count=1)
    form = {"From": "+14155550100", "To": "+14155550105", "Body": "five"}
    assert api.post(f"{ACCT}/Messages.json", data={"Body": "no To"}).status_code == 400
    sandbox.faults.add("status", status=503, path="/Messages.json", method="POST", count=1)
    assert api.post(f"{ACCT}/Messages.json", data=form).status_code == 503
    sandbox.set_rate_limit(0.001, burst=1)
    assert api.get(f"{ACCT}/Messages.json").status_code == 200  # takes the one token
    assert api.post(f"{ACCT}/Messages.json", data=form).status_code == 429
    sandbox.set_rate_limit(None)
    assert drop.fired == 0 and sent_to(api, "+14155550105") == []
    with pytest.raises(httpx.RemoteProtocolError, match="without sending a response"):
        api.post(f"{ACCT}/Messages.json", data=form)  # the first one processed: dropped
    assert drop.fired == 1 and len(sent_to(api, "+14155550105")) == 1
