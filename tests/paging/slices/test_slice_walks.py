"""Slices split while they are walked: a slice much denser than the rest is split and the
frame is still the sequential one (SIDs and order, no duplicate), at a cut with several
records in its second, for open-below and date-only slices, with limit, cancel, a failure
resumed and a 429 storm across the split slices."""

from __future__ import annotations

import calendar
import threading
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pandas as pd
import pytest
from sandbox_http import in_process

import twilio_nb as tw
from twilio_nb.errors import PagingError
from twilio_nb.paging import ConcurrentWalk
from twilio_nb.paging.slices import _slice_plan as bulk
from twilio_nb.paging.slices import _slice_scheduler as slice_walks
from twilio_nb.paging.slices import _slice_splits
from twilio_nb.paging.slices._slice_dates import units
from twilio_nb.sandbox import ACCOUNT_SID, Sandbox
from twilio_nb.sandbox.lifecycle import Lifecycle

MESSAGES = f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
DAY = 86_400
START = calendar.timegm((2025, 3, 1, 0, 0, 0))
DENSE = START + 10 * DAY + 3600  # day 10, 01:00: 60 records, three in each second
SAME = DENSE + 10  # a second in the middle of the dense stretch (three records)


def _times() -> list[int]:
    sparse = [START + d * DAY + 7200 for d in range(20) if d != 10]
    dense = [DENSE + i // 3 for i in range(60)]
    return sorted(sparse + dense)


def _box(monkeypatch: pytest.MonkeyPatch, **options: Any) -> Sandbox:
    box = Sandbox(messages=0, latency_ms=20, **options)  # slow enough for idle workers
    with in_process(box) as client:
        for i, at in enumerate(_times()):
            # made at ``at`` and sent within the same second: date_sent is ``at``
            monkeypatch.setattr(Lifecycle, "now", lambda self, at=at: float(at))
            client.post(MESSAGES, data={"To": "+15005550006", "From": "+15005550006",
                                        "Body": f"m{i}"}).raise_for_status()
            monkeypatch.setattr(Lifecycle, "now", lambda self, at=at: at + 0.9)
            box.advance(1)
    monkeypatch.undo()
    monkeypatch.setattr(bulk, "PAGE_SIZE", 4)  # a dense day of many pages from 60 records
    return box


@pytest.fixture
def dense(monkeypatch: pytest.MonkeyPatch) -> Iterator[tw.Connection]:
    yield tw.Connection(sandbox=_box(monkeypatch))


def _cuts(monkeypatch: pytest.MonkeyPatch,
          choose: Callable[..., int | None] | None = None) -> list[tuple[bool, bool]]:
    """Record every cut: (the slice had pages already, it had a lower end)."""
    seen: list[tuple[bool, bool]] = []
    cut = slice_walks.SliceWalks._cut

    def counted(self: slice_walks.SliceWalks, chosen: bulk.SliceState,
                work: Any) -> bulk.SliceState | None:
        lower = bool(chosen.slice and chosen.slice.lower)
        new = cut(self, chosen, work)
        if new is not None:
            seen.append((chosen.started, lower))
        return new

    monkeypatch.setattr(slice_walks.SliceWalks, "_cut", counted)
    if choose is not None:
        monkeypatch.setattr(_slice_splits, "split_point", choose)
    return seen


def _first(conn: tw.Connection) -> tw.Result:
    return conn.basic("Message", "List Messages", query={"PageSize": 4})


def test_a_dense_slice_is_split_and_the_frame_is_the_sequential_one(
        dense: tw.Connection, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = _first(dense).all(progress=False)
    cuts = _cuts(monkeypatch)
    # since: the plan's slices are bounded whole seconds sized by the sparse first page,
    # so the dense day is one slice of many pages
    got = _first(dense).all(concurrency=4, since="2025-03-01", progress=False)
    assert (True, True) in cuts  # a bounded slice was split while it was walked
    assert got["sid"].is_unique and len(got) == 79
    pd.testing.assert_frame_equal(got, expected)


def test_a_cut_inside_a_second_of_several_records_loses_and_repeats_nothing(
        dense: tw.Connection, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = _first(dense).all(progress=False)
    at = units(pd.Timestamp(SAME, unit="s", tz="UTC"), False)

    def on_the_same_second(lower: int | None, reached: int, *_: Any) -> int | None:
        # cut exactly at a second that holds three records whenever the range allows it
        if (lower is None or lower < at) and at <= reached:
            return at
        return _slice_splits.split_point.__wrapped__(lower, reached, *_)  # type: ignore[attr-defined]

    original = _slice_splits.split_point
    on_the_same_second.__wrapped__ = original  # type: ignore[attr-defined]
    cuts = _cuts(monkeypatch, on_the_same_second)
    got = _first(dense).all(concurrency=3, since="2025-03-01", progress=False)
    assert cuts
    pd.testing.assert_frame_equal(got, expected)


def test_an_open_below_slice_is_cut_into_pieces_asked_open_below(
        dense: tw.Connection, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = _first(dense).all(progress=False)
    cuts = _cuts(monkeypatch)
    first = _first(dense)
    before = len(dense.history)
    got = first.all(concurrency=4, progress=False)
    assert (False, False) in cuts  # the open remainder, cut before it was sent
    pd.testing.assert_frame_equal(got, expected)
    # each piece's request carries its upper end only (the walk drops the older records
    # itself), so that every page tells whether the records go on below the piece
    urls = dense.history["url"].iloc[before:]
    assert urls.str.contains("DateSent%3C").all() and not urls.str.contains("DateSent%3E").any()


def test_a_given_since_still_bounds_the_requests(dense: tw.Connection) -> None:
    expected = _first(dense).all(progress=False)
    got = _first(dense).all(concurrency=4, since="2025-03-12", progress=False)
    pd.testing.assert_frame_equal(got, expected[expected["date_sent"] >= "2025-03-12"]
                                  .reset_index(drop=True))
    assert dense.history["url"].str.contains("DateSent%3E=2025-03-12&").any()


class _Holding(httpx.BaseTransport):
    """Holds back every request for records older than ``oldest`` until ``release``."""

    def __init__(self, inner: httpx.BaseTransport, oldest: pd.Timestamp) -> None:
        self.inner, self.oldest = inner, oldest
        self.release = threading.Event()
        self.held = 0
        self.waited_out = False  # a held request was still held after 10 s

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        upper = request.url.params.get("DateSent<")
        if upper and pd.Timestamp(upper) < self.oldest:
            self.held += 1
            self.waited_out |= not self.release.wait(10)
        return self.inner.handle_request(request)


def test_pieces_past_the_lists_end_are_not_waited_for() -> None:
    box = Sandbox(messages=5000)  # the first page and about five pieces of a page

    def first(conn: tw.Connection) -> tw.Result:
        return conn.basic("Message", "List Messages", query={"PageSize": 1000})

    expected = first(tw.Connection(sandbox=box)).all(progress=False)
    holding = _Holding(box.transport(), expected["date_sent"].min())
    conn = tw.Connection(sandbox=box, transport=holding)
    try:
        # eight pieces go out at once, three of them past the end: the walk returns when
        # the piece that ends the list is in, while those three still wait
        got = first(conn).all(concurrency=8, progress=False)
        assert holding.held > 0  # pieces past the end were asked (the end was not known)
        assert not holding.waited_out  # and the walk did not wait for their answers
        pd.testing.assert_frame_equal(got, expected)
    finally:
        holding.release.set()


def test_date_only_filters_split_by_whole_days(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bulk, "PAGE_SIZE", 2)
    conn = tw.Connection(sandbox=Sandbox(messages=0, latency_ms=3))
    first = conn.basic("Conference", "List Conferences", query={"PageSize": 3})
    expected = first.all(progress=False)
    cuts = _cuts(monkeypatch)
    got = first.all(concurrency=4, progress=False)
    assert cuts
    pd.testing.assert_frame_equal(got, expected)
    sent = conn.history["url"].iloc[2:].str.extract(r"DateCreated%3[CE]=([^&]+)")[0].dropna()
    assert len(sent) and sent.str.fullmatch(r"\d{4}-\d\d-\d\d").all()  # days, never a time


def test_limit_cancel_and_a_failure_resumed_with_splits(
        dense: tw.Connection, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = _first(dense).all(progress=False)
    cuts = _cuts(monkeypatch)
    pd.testing.assert_frame_equal(_first(dense).all(concurrency=4, limit=37, progress=False),
                                  expected.iloc[:37])
    cancel = threading.Event()
    got = ConcurrentWalk(_first(dense), 4, cancel=cancel,
                         on_progress=lambda p: cancel.set() if p.pages >= 6 else None
                         ).frame(progress=False)
    assert 0 < len(got) < len(expected) and got["sid"].is_unique
    order = {sid: i for i, sid in enumerate(expected["sid"])}
    assert list(got["sid"].map(order)) == sorted(got["sid"].map(order))  # the list's order
    box = dense.sandbox
    assert box is not None
    strict = tw.Connection(sandbox=box, max_retries=0)
    first = _first(strict)
    box.faults.add("status", path="Messages.json", status=500, after=6, count=1)
    with pytest.raises(PagingError) as caught:
        first.all(concurrency=4, progress=False)
    err = caught.value
    assert cuts and 0 < len(err.partial) < len(expected)
    assert list(err.partial["sid"].map(order)) == sorted(err.partial["sid"].map(order))
    pd.testing.assert_frame_equal(err.resume(progress=False), expected)


def test_a_429_storm_across_split_slices_loses_and_repeats_nothing(
        monkeypatch: pytest.MonkeyPatch) -> None:
    box = _box(monkeypatch, concurrency_limit=2, retry_after=0.01)
    conn = tw.Connection(sandbox=box, max_retries=20)
    expected = _first(conn).all(progress=False)
    cuts = _cuts(monkeypatch)
    got = _first(conn).all(concurrency=8, progress=False)
    assert cuts and box.concurrency_limit is not None
    assert box.concurrency_limit.refused > 0 and box.concurrency_limit.peak <= 2
    pd.testing.assert_frame_equal(got, expected)


def test_a_dense_burst_does_not_size_the_pieces_of_the_sparse_stretch_below(
        dense: tw.Connection) -> None:
    first = _first(dense)
    expected = first.all(progress=False)
    sequential = len(dense.history)
    got = first.all(concurrency=8, progress=False)
    pd.testing.assert_frame_equal(got, expected)
    # pieces cut below the dense hour are walked before they are cut again: a piece's size
    # is a guess (the burst's density) until its first page tells the records there
    assert len(dense.history) - sequential <= 3 * sequential
