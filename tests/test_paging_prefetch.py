"""all() with the next pages fetched in the background (prefetch, the default) and without:
the same frames, the same errors and resumes, no request past a limit, no thread left."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pandas as pd
import pytest

import twilio_nb as tw
from twilio_nb.sandbox import Sandbox, SandboxServer

MESSAGES = 230


@pytest.fixture
def conn(served: SandboxServer, box: Sandbox) -> Iterator[tw.Connection]:
    box.faults.clear()
    c = tw.Connection(served.url, credential="sandbox", backoff_base_s=0.01, max_retries=1)
    yield c
    box.faults.clear()
    c.close()


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
