"""Paging over the sandbox's HTTP server: the three styles, faults mid-walk, loops, memory."""

from __future__ import annotations

import gc
import weakref

import pandas as pd
import pytest
from loopback import Loopback, json_reply

import twilio_nb as tw
from twilio_nb.sandbox import Sandbox
from twilio_nb.session.credentials import UserCredentials

MESSAGES = 260


@pytest.mark.parametrize("fmt", ["json", "xml", "csv"])
def test_every_page_of_messages_in_each_format(conn: tw.Connection, fmt: str) -> None:
    first = conn.basic("Message", "List Messages", query="PageSize=50", response_format=fmt)
    pages = list(first.pages())
    assert len(pages) == 6  # 260 at 50 a page: at least 5 pages
    assert all(p.format == fmt for p in pages)
    sids = [s for p in pages for s in p.df["sid"]]
    assert len(sids) == MESSAGES == len(set(sids))
    assert pages[-1].has_next_page is False
    frame = first.all(progress=False)
    assert frame["sid"].tolist() == sids


def test_the_three_formats_give_the_same_frames_over_the_wire(conn: tw.Connection) -> None:
    for entity in ("Message", "Call", "Recording"):
        frames = {fmt: conn.basic(entity, "list", query="PageSize=40",
                                  response_format=fmt).df for fmt in ("json", "xml", "csv")}
        pd.testing.assert_frame_equal(frames["json"], frames["xml"])
        pd.testing.assert_frame_equal(frames["json"], frames["csv"])
        assert len(frames["json"]) == 40


def test_product_api_paging_follows_meta_next_page_url(conn: tw.Connection) -> None:
    services = conn.basic("Service", "List Services (notify: /v1/Services)", query="PageSize=1")
    n_services = len(services.all(progress=False))
    conv = conn.basic("Conversation", "List Conversations (conversations: /v1/Conversations)",
                      query="PageSize=2")
    pages = list(conv.pages())
    assert len(pages) >= 5, "the sandbox seeds at least 10 conversations"
    assert pages[0].parsed.key == "conversations"
    assert pages[0].next_page_uri is not None and pages[0].next_page_uri.startswith("http")
    sids = [s for p in pages for s in p.df["sid"]]
    assert len(sids) == len(set(sids))
    assert n_services >= 1


def test_a_failure_on_page_3_keeps_what_was_fetched_and_resumes(conn: tw.Connection,
                                                                box: Sandbox) -> None:
    full = conn.basic("Message", "List Messages", query="PageSize=40").all(progress=False)
    first = conn.basic("Message", "List Messages", query="PageSize=40")
    # page 1 is in hand; page 2 passes, page 3 fails for longer than the retries last
    box.faults.add("status", status=503, path="/Messages", method="GET", after=1, count=50)
    with pytest.raises(tw.PagingError) as err:
        first.all(progress=False)
    e = err.value
    assert e.records_fetched == 80
    assert e.partial["sid"].tolist() == full["sid"].tolist()[:80]
    assert "503" in str(e)
    box.faults.clear()
    resumed = e.resume(progress=False)
    pd.testing.assert_frame_equal(resumed, full)


def test_a_malformed_page_mid_walk_is_a_paging_error_too(conn: tw.Connection,
                                                         box: Sandbox) -> None:
    first = conn.basic("Message", "List Messages", query="PageSize=60")
    box.faults.add("malformed", path="/Messages", method="GET", count=1)
    with pytest.raises(tw.PagingError) as err:
        first.all(progress=False)
    assert err.value.records_fetched == 60
    assert isinstance(err.value.cause, tw.ResponseFormatError)
    frame = err.value.resume(progress=False)
    assert len(frame) == MESSAGES and frame["sid"].is_unique


def test_limit_stops_early(conn: tw.Connection) -> None:
    frame = conn.basic("Message", "List Messages", query="PageSize=30").all(limit=75,
                                                                            progress=False)
    assert len(frame) == 75 and frame["sid"].is_unique


def test_next_page_on_the_last_page_says_so(conn: tw.Connection) -> None:
    r = conn.basic("Message", "List Messages", query="PageSize=1000")
    assert not r.has_next_page
    with pytest.raises(tw.TwilioError, match="no next page"):
        r.next_page()


def test_iterating_pages_keeps_no_page_alive(conn: tw.Connection) -> None:
    refs: list[weakref.ref[object]] = []
    for page in conn.basic("Message", "List Messages", query="PageSize=20").pages():
        refs.append(weakref.ref(page))
        _ = page.df
        del page
        gc.collect()
        assert sum(r() is not None for r in refs) <= 2
    assert len(refs) == 13


def test_a_next_uri_seen_twice_stops_the_walk(server: Loopback) -> None:
    account = "AC" + "1" * 32
    uri = f"/2010-04-01/Accounts/{account}/Calls.json?Page=1&PageToken=PAloop"
    body = '{"calls": [{"sid": "CA' + "0" * 32 + '"}], "next_page_uri": "' + uri + '"}'
    server.route("/2010-04-01", lambda s: json_reply(200, body))
    conn = tw.Connection(server.url, credential=UserCredentials("SK" + "2" * 32, "x" * 32),
                         account_sid=account)
    with pytest.raises(tw.PagingError, match="second time") as err:
        conn.basic("Call", "List Calls").all(progress=False)
    assert err.value.records_fetched == 2


@pytest.mark.parametrize("enabled", [True, False])
def test_a_walk_leaves_the_cycle_collector_as_it_found_it(conn: tw.Connection, box: Sandbox,
                                                          enabled: bool) -> None:
    # the collector is paused while each page is decoded (see twilio_nb.paging.walk._gc_pause)
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        frame = conn.basic("Message", "List Messages", query="PageSize=40").all(progress=False)
        assert len(frame) > 40
        assert gc.isenabled() is enabled
        first = conn.basic("Message", "List Messages", query="PageSize=40")
        box.faults.add("malformed", path="/Messages", method="GET", count=1)
        with pytest.raises(tw.PagingError):  # page 2 cannot be decoded
            first.all(progress=False)
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
