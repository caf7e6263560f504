"""The one walk (twilio_nb.paging.Walk) as its callers use it: progress, cancel, limit,
resume, the untyped frames seam, big pages for r.all() (its place in the module graph:
test_imports.py)."""

from __future__ import annotations

import threading

import pandas as pd
import pytest

import twilio_nb as tw
from twilio_nb.answers.tables import count_of, table_html, table_text
from twilio_nb.paging import Progress, Walk
from twilio_nb.sandbox import Sandbox

MESSAGES = 230


def first_page(conn: tw.Connection, size: int = 40, fmt: str = "json") -> tw.Result:
    return conn.basic("Message", "List Messages", query=f"PageSize={size}",
                      response_format=fmt)


@pytest.mark.parametrize("prefetch", [True, False])
def test_progress_after_each_page(conn: tw.Connection, prefetch: bool) -> None:
    seen: list[Progress] = []
    frame = Walk(first_page(conn), prefetch=prefetch, on_progress=seen.append).frame()
    assert len(frame) == MESSAGES
    assert [p.pages for p in seen] == [1, 2, 3, 4, 5, 6]
    assert [p.records for p in seen] == [40, 80, 120, 160, 200, 230]
    assert [p.has_next for p in seen] == [True] * 5 + [False]


@pytest.mark.parametrize("prefetch", [True, False])
def test_cancel_keeps_the_records_and_resume_goes_on(conn: tw.Connection, box: Sandbox,
                                                     prefetch: bool) -> None:
    full = first_page(conn).all(progress=False)
    cancel = threading.Event()

    def stop_after_two(p: Progress) -> None:
        if p.pages == 2:
            cancel.set()  # as a Cancel click in another thread would

    walk = Walk(first_page(conn), prefetch=prefetch, on_progress=stop_after_two,
                cancel=cancel)
    box.stats.clear()
    kept = walk.frame()
    assert walk.cancelled and not walk.finished
    assert kept["sid"].tolist() == full["sid"].tolist()[:80]
    rest = walk.resumed()
    pd.testing.assert_frame_equal(rest.frame(), full)
    assert rest.finished and rest.pages == 6
    # page 2, at most 2 pages fetched ahead before the cancel, then pages 3-6 again
    assert 5 <= box.stats.count("GET", "/Messages") <= 1 + 2 + 4


def test_a_limit_stops_the_walk_and_counts_what_it_kept(conn: tw.Connection) -> None:
    walk = Walk(first_page(conn, 50), limit=120)
    frame = walk.frame()
    assert len(frame) == 120 and walk.records == 120 and walk.pages == 3
    with pytest.raises(tw.ConfigurationError, match="limit"):
        Walk(first_page(conn), limit=-1)


def test_frames_stream_untyped_pages_and_a_failure_resumes(conn: tw.Connection,
                                                           box: Sandbox) -> None:
    """The seam a concurrent walk builds on: untyped frames, nothing kept, PagingError."""
    full = first_page(conn).all(progress=False)
    walk = Walk(first_page(conn), keep=False)
    box.faults.add("status", status=503, path="/Messages", method="GET", after=1, count=50)
    got: list[pd.DataFrame] = []
    with pytest.raises(tw.PagingError) as err:
        got.extend(walk.frames())
    box.faults.clear()
    assert [len(f) for f in got] == [40, 40] and walk.kept == []
    assert err.value.partial.empty  # keep=False: the caller holds the frames
    got.extend(walk.resumed().frames())
    typed = walk.first.combine(got)
    pd.testing.assert_frame_equal(typed, full)


def test_pages_iterates_results_through_the_walk(conn: tw.Connection) -> None:
    pages = list(first_page(conn, 100).pages())
    assert [len(p.df) for p in pages] == [100, 100, 30]
    assert all(isinstance(p, tw.Result) for p in pages)


def test_all_from_an_unsized_first_page_asks_for_big_pages() -> None:
    box = Sandbox()  # 2,500 messages
    conn = tw.Connection(sandbox=box)
    first = conn.basic("Message", "List Messages")  # Twilio's default: 50 a page
    assert len(first.df) == 50
    box.stats.clear()
    frame = first.all(progress=False)
    assert len(frame) == 2500 and frame["sid"].is_unique
    assert box.stats.count("GET", "/Messages") == 3  # the first page again at 1,000, then 2
    pd.testing.assert_frame_equal(frame.head(50), first.df, check_like=True,
                                  check_exact=False)
    box.stats.clear()
    assert len(first.all(limit=30, progress=False)) == 30  # in hand: nothing fetched
    assert box.stats.count("GET", "/Messages") == 0
    assert len(first.all(limit=300, progress=False)) == 300
    assert box.stats.count("GET", "/Messages") == 1  # PageSize=300
    second = first.next_page()  # a server's address is never resized
    box.stats.clear()
    assert len(second.all(progress=False)) == 2450
    assert box.stats.count("GET", "/Messages") == 48


def test_text_and_html_tables_leave_missing_values_blank() -> None:
    frame = pd.DataFrame({
        "sid": ["SM1", "SM2"], "price": [float("nan"), -0.0075],
        "date_sent": pd.to_datetime([None, "2025-06-30T10:00:00Z"], utc=True),
        "error_code": pd.array([None, 30003], dtype="Int64"),
        "body": pd.array(["hi", None], dtype="string"), "sub": [None, "x"]})
    text = table_text(frame)
    html = table_html(frame)
    for missing in ("NaN", "NaT", "<NA>", "None", "&lt;NA&gt;", "nan"):
        assert missing not in text and missing not in html
    assert "30003" in text and "2025-06-30 10:00:00+00:00" in text
    assert count_of(1) == "1 record" and count_of(2500) == "2,500 records"
    assert "first 1 of 2 rows" in table_text(frame, 1)


def test_pages_without_prefetch_fetch_only_what_the_loop_asks_for(conn: tw.Connection,
                                                                  box: Sandbox) -> None:
    first = first_page(conn, 20)
    box.stats.clear()
    for number, _page in enumerate(first.pages(prefetch=False), 1):
        if number == 3:
            break
    assert box.stats.count("GET", "/Messages") == 2  # pages 2 and 3
