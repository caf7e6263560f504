"""Result: records as dicts, the Response Headers rule, the status line."""

from __future__ import annotations

import httpx

import twilio_nb as tw
from twilio_nb.answers.headers import filter_headers
from twilio_nb.sandbox import Sandbox


def test_records_are_the_pages_records_as_dicts_in_every_format() -> None:
    conn = tw.Connection(sandbox=Sandbox(messages=20))
    as_json = conn.basic("Message", "List Messages", query="PageSize=3")
    assert [r["sid"] for r in as_json.records] == as_json.df["sid"].tolist()
    assert isinstance(as_json.records[0]["subresource_uris"], dict)  # JSON's own values
    as_xml = conn.basic("Message", "List Messages", query="PageSize=3", response_format="xml")
    assert [r["sid"] for r in as_xml.records] == as_json.df["sid"].tolist()
    balance = conn.basic("Balance", "Get Balance")
    assert len(balance.records) == 1 and balance.records[0]["currency"] == "USD"


def test_response_headers_rule_keeps_named_headers_and_never_protocol_ones() -> None:
    headers = httpx.Headers({"Date": "Thu", "Content-Length": "9", "Connection": "keep-alive",
                             "Twilio-Request-Id": "RQ1", "X-Other": "x"})
    assert set(filter_headers(headers, "*")) == {"date", "twilio-request-id", "x-other"}
    assert filter_headers(headers, "Twilio-Request-Id|DATE") == {"date": "Thu",
                                                                  "twilio-request-id": "RQ1"}


def test_status_line_says_status_records_and_sandbox() -> None:
    r = tw.Connection(sandbox=Sandbox(messages=5)).basic("Message", "list", query="PageSize=2")
    line = r.status_line()
    assert "HTTP 200" in line and "2 records" in line and "SANDBOX" in line
    assert "next page" in line
