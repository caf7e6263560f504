"""Cassettes go both ways between vcrpy and twilio_nb.

* A cassette vcrpy records around twilio-python (which sends with ``requests``), pointed at
  the sandbox on a loopback port, replays in twilio_nb to the frames twilio_nb gets live
  from the same sandbox.
* A cassette twilio_nb records is one vcrpy writes byte for byte (read with vcrpy's
  deserializer, written again with its serializer: the same bytes), and vcrpy replays it for
  a plain httpx client with no server at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pandas as pd
import pytest
import vcr
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client
from vcr import serialize
from vcr.serializers import yamlserializer

import twilio_nb as tw
from twilio_nb.cassette import PLACEHOLDER_ACCOUNT
from twilio_nb.sandbox import ACCOUNT_SID, API_KEY_SECRET, API_KEY_SID, Sandbox, SandboxServer

MESSAGES = 90


class LoopbackHttpClient(TwilioHttpClient):
    """twilio-python's own HTTP client (``requests``), its requests for api.twilio.com sent to
    the sandbox's port instead."""

    def __init__(self, base_url: str) -> None:
        super().__init__()
        self.base_url = base_url

    def request(self, method: str, url: str, params: Any = None, data: Any = None,
                headers: Any = None, auth: Any = None, timeout: Any = None,
                allow_redirects: bool = False) -> Response:
        parts = urlsplit(url)
        local = self.base_url + parts.path + (f"?{parts.query}" if parts.query else "")
        return super().request(method, local, params=params, data=data, headers=headers,
                               auth=auth, timeout=timeout, allow_redirects=allow_redirects)


@pytest.fixture(scope="module")
def server() -> Iterator[SandboxServer]:
    with Sandbox(messages=MESSAGES).serve() as running:
        yield running


def session(conn: tw.Connection) -> dict[str, pd.DataFrame]:
    """The twilio_nb calls that send what twilio-python sends below."""
    first = conn.basic("Message", "List Messages", query={"PageSize": 30})
    sid = first.df["sid"].iloc[0]
    return {"page": first.df, "next page": first.next_page().df,
            "fetch": conn.basic("Message", "Get Message", params={"Sid": sid}).df,
            "calls": conn.basic("Call", "List Calls", query={"PageSize": 10}).df}


@pytest.fixture(scope="module")
def vcrpy_cassette(server: SandboxServer, tmp_path_factory: pytest.TempPathFactory
                   ) -> tuple[Path, dict[str, pd.DataFrame]]:
    """vcrpy recording twilio-python (a page of messages, the next page, a fetch, a page of
    calls, a send), and twilio_nb's live frames of the same sandbox before it."""
    live = session(tw.Connection(server.url, credential="sandbox"))
    path = tmp_path_factory.mktemp("vcrpy") / "twilio_python.yaml"
    client = Client(API_KEY_SID, API_KEY_SECRET, ACCOUNT_SID,
                    http_client=LoopbackHttpClient(server.url))
    with vcr.use_cassette(str(path), record_mode="all"):
        page = client.messages.page(page_size=30)
        nxt = page.next_page()
        assert nxt is not None and len(list(nxt)) == 30
        client.messages(next(iter(page)).sid).fetch()
        client.calls.page(page_size=10)
        client.messages.create(from_="+14155552671", to="+14155550199", body="From vcrpy")
    assert "Authorization" in path.read_text()  # vcrpy keeps what twilio_nb never writes
    return path, live


def test_a_vcrpy_cassette_of_twilio_python_replays_to_the_live_frames(
        vcrpy_cassette: tuple[Path, dict[str, pd.DataFrame]]) -> None:
    path, live = vcrpy_cassette
    conn = tw.Connection(replay=path)
    assert conn.account_sid == ACCOUNT_SID  # the account the cassette names
    replayed = session(conn)
    for name, frame in live.items():
        pd.testing.assert_frame_equal(replayed[name], frame, obj=name)
    assert replayed["page"].attrs["replay"] == str(path)
    sent = conn.basic("Message", "Send Message",
                      body={"From": "+14155552671", "To": "+14155550199", "Body": "From vcrpy"})
    assert sent.status_code == 201 and sent.df["body"].iloc[0] == "From vcrpy"


def test_a_twilio_nb_cassette_is_what_vcrpy_writes(tmp_path: Path) -> None:
    path = tmp_path / "ours.yaml"
    with tw.Connection(sandbox=Sandbox(messages=30), record=path) as conn:
        conn.basic("Message", "List Messages", query={"PageSize": 5})
        conn.basic("Message", "List Messages", query={"PageSize": 5}, response_format="xml")
        conn.basic("Message", "List Messages", query={"PageSize": 5}, response_format="csv")
        conn.basic("Message", "Send Message",
                   body={"From": "+14155552671", "To": "+14155550199", "Body": "Hi ünïcode"})
    ours = path.read_text(encoding="utf-8")
    requests, responses = serialize.deserialize(ours, yamlserializer)
    assert len(requests) == 4
    assert serialize.serialize({"requests": requests, "responses": responses},
                               yamlserializer) == ours


def test_vcrpy_replays_a_twilio_nb_cassette_for_a_plain_httpx_client(tmp_path: Path) -> None:
    path = tmp_path / "ours.yaml"
    with tw.Connection(sandbox=Sandbox(messages=30), record=path) as conn:
        json_page = conn.basic("Message", "List Messages", query={"PageSize": 5})
        xml_page = conn.basic("Message", "List Messages", query={"PageSize": 5},
                              response_format="xml")
    with vcr.use_cassette(str(path), record_mode="none"), httpx.Client() as plain:
        got_json = plain.get(_scrubbed(json_page.url))
        got_xml = plain.get(_scrubbed(xml_page.url))
    assert got_json.status_code == 200 and len(got_json.json()["messages"]) == 5
    assert got_json.json()["messages"][0]["account_sid"] == PLACEHOLDER_ACCOUNT
    assert got_xml.status_code == 200 and got_xml.text.count("<Message>") == 5


def _scrubbed(url: str) -> str:
    return url.replace(ACCOUNT_SID, PLACEHOLDER_ACCOUNT)
