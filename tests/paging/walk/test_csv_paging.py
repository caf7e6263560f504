"""Twilio's CSV answers carry no next-page address: a full CSV page from Twilio warns and
names JSON/XML for walking every page; the sandbox's CSV (with its Link header) does not."""

from __future__ import annotations

import warnings

import pytest
from loopback import Loopback

import twilio_nb as tw
from twilio_nb.errors import TwilioWarning
from twilio_nb.session.credentials import UserCredentials

ACCOUNT = "AC" + "1" * 32
HEADER = "Sid,DateCreated,To,From,Status\r\n"


def _csv(records: int) -> bytes:
    rows = "".join(f"SM{i:032x},\"Tue, 01 Apr 2025 09:10:05 +0000\",+14155550100,"
                   f"+14155550199,delivered\r\n" for i in range(records))
    return (HEADER + rows).encode()


def _twilio(server: Loopback, records: int) -> tw.Connection:
    server.route("/2010-04-01", lambda s: (200, {"Content-Type": "text/csv"}, _csv(records)))
    return tw.Connection(server.url, credential=UserCredentials("SK" + "2" * 32, "x" * 32),
                         account_sid=ACCOUNT)


def test_a_full_csv_page_from_twilio_warns_and_names_json_and_xml(server: Loopback) -> None:
    conn = _twilio(server, 3)
    r = conn.basic("Message", "List Messages", query="PageSize=3", response_format="csv")
    with pytest.warns(TwilioWarning, match=r"full page \(PageSize=3\).*JSON.*XML"):
        frame = r.df
    assert len(frame) == 3 and r.next_page_uri is None


def test_a_walk_over_a_full_csv_page_warns_too(server: Loopback) -> None:
    conn = _twilio(server, 3)
    r = conn.basic("Message", "List Messages", query="PageSize=3", response_format="csv")
    with pytest.warns(TwilioWarning, match="CSV answers carry no next-page address"):
        frame = r.all(progress=False)
    assert len(frame) == 3


def test_a_csv_page_that_is_not_full_is_the_whole_list(server: Loopback) -> None:
    conn = _twilio(server, 2)
    r = conn.basic("Message", "List Messages", query="PageSize=3", response_format="csv")
    with warnings.catch_warnings():
        warnings.simplefilter("error", TwilioWarning)
        assert len(r.df) == 2


def test_the_default_page_size_counts(server: Loopback) -> None:
    conn = _twilio(server, 50)
    r = conn.basic("Message", "List Messages", response_format="csv")
    with pytest.warns(TwilioWarning, match="PageSize=50"):
        assert len(r.df) == 50


def test_the_sandbox_csv_does_not_warn(conn: tw.Connection) -> None:
    r = conn.basic("Message", "List Messages", query="PageSize=5", response_format="csv")
    with warnings.catch_warnings():
        warnings.simplefilter("error", TwilioWarning)
        assert len(r.df) == 5 and r.next_page_uri  # the sandbox's Link header
