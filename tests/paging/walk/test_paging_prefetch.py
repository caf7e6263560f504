"""all() with the next pages fetched in the background (prefetch, the default) and without:
the same frames, the same errors and resumes, no request past a limit, no thread left."""

from __future__ import annotations

import json
import threading
import time

import pandas as pd
import pytest
from loopback import Loopback, Seen, json_reply

import twilio_nb as tw
from twilio_nb.sandbox import Sandbox
from twilio_nb.session.credentials import UserCredentials

MESSAGES = 230


def _prefetch_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "twilio_nb-prefetch"]


def _no_prefetch_thread_left(timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while _prefetch_threads() and time.monotonic() < deadline:
        time.sleep(0.01)
    return not _prefetch_threads()


@pytest.mark.parametrize("fmt", ["json", "xml", "csv"])
def test_prefetch_gives_the_frame_of_a_page_by_page_walk(conn: tw.Connection, fmt: str) -> None:
    first = conn.basic("Message", "List Messages", query="PageSize=40", response_format=fmt)
    ahead = first.all(progress=False)
    one_by_one = first.all(progress=False, prefetch=False)
    pd.testing.assert_frame_equal(ahead, one_by_one)
    assert len(ahead) == MESSAGES and ahead["sid"].is_unique
    assert _no_prefetch_thread_left()


@pytest.mark.parametrize("fmt", ["json", "xml", "csv"])
def test_a_limit_fetches_no_page_it_does_not_need(conn: tw.Connection, box: Sandbox,
                                                  fmt: str) -> None:
    first = conn.basic("Message", "List Messages", query="PageSize=30", response_format=fmt)
    box.stats.clear()
    frame = first.all(limit=75, progress=False)
    assert len(frame) == 75
    assert _no_prefetch_thread_left()
    assert box.stats.count("GET", "/Messages") == 2  # pages 2 and 3; page 1 was in hand


def test_a_failed_fetch_ahead_is_raised_where_it_happened(conn: tw.Connection,
                                                         box: Sandbox) -> None:
    full = conn.basic("Message", "List Messages", query="PageSize=50").all(progress=False)
    first = conn.basic("Message", "List Messages", query="PageSize=50")
    box.faults.add("status", status=503, path="/Messages", method="GET", after=2, count=20)
    with pytest.raises(tw.PagingError) as err:
        first.all(progress=False)
    assert err.value.records_fetched == 150  # pages 1-3; page 4 failed
    assert err.value.partial["sid"].tolist() == full["sid"].tolist()[:150]
    assert _no_prefetch_thread_left()
    box.faults.clear()
    pd.testing.assert_frame_equal(err.value.resume(progress=False), full)


def test_a_page_that_fails_to_convert_while_the_next_is_fetched(conn: tw.Connection,
                                                               box: Sandbox) -> None:
    # CSV is read whole when converted: page 2 breaks in this thread, page 3 is on its way
    full = conn.basic("Message", "List Messages", query="PageSize=60",
                      response_format="csv").all(progress=False)
    first = conn.basic("Message", "List Messages", query="PageSize=60", response_format="csv")
    box.faults.add("malformed", path="/Messages", method="GET", count=1)
    with pytest.raises(tw.PagingError) as err:
        first.all(progress=False)
    assert err.value.records_fetched == 60
    assert isinstance(err.value.cause, tw.ResponseFormatError)
    assert _no_prefetch_thread_left()
    pd.testing.assert_frame_equal(err.value.resume(progress=False), full)


def test_the_next_page_address_is_known_before_the_page_is_converted(
        conn: tw.Connection) -> None:
    first = conn.basic("Message", "List Messages", query="PageSize=20")
    assert first.has_next_page
    assert "parsed" not in vars(first)  # not converted to a DataFrame to learn that
    assert len(first.df) == 20


def test_a_peek_the_decoded_page_contradicts_costs_a_request_not_a_page(
        server: Loopback) -> None:
    # page 2 writes its own next_page_uri with an escape the peek does not look for, and one
    # of its records holds a "next_page_uri" field: the thread ahead follows that one
    account = "AC" + "1" * 32
    base = f"/2010-04-01/Accounts/{account}/Calls.json"

    def page(digit: str, tail: str, **more: object) -> str:
        return json.dumps({"calls": [{"sid": "CA" + digit * 32, **more}]})[:-1] + tail + "}"

    def uri(token: str) -> str:
        return f"{base}?Page=1&PageToken={token}"

    pages = {"": page("1", f', "next_page_uri": "{uri("PA2")}"'),
             "PA2": page("2", f', "next\\u005fpage_uri": "{uri("PA3")}"',
                         next_page_uri=uri("PAwrong")),
             "PA3": page("3", ', "next_page_uri": null'),
             "PAwrong": page("9", ', "next_page_uri": null')}

    def reply(seen: Seen) -> tuple[int, dict[str, str], bytes]:
        return json_reply(200, pages[seen.path.partition("PageToken=")[2]])

    server.route("/2010-04-01", reply)
    conn = tw.Connection(server.url, credential=UserCredentials("SK" + "2" * 32, "x" * 32),
                         account_sid=account)
    frame = conn.basic("Call", "List Calls").all(progress=False)
    assert frame["sid"].tolist() == ["CA" + d * 32 for d in "123"]
    assert _no_prefetch_thread_left()
    assert server.count("GET", uri("PAwrong")) == 1  # followed ahead, then let go
    assert server.count("GET", uri("PA3")) == 1
