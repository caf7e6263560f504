"""``r.all(concurrency=N)``: the frame of a sequential walk, in its order, from date slices
walked at once -- at slice edges, with same-second records, empty slices, slices of many
pages, every format, a 429 storm, a failure resumed, and bad input refused before sending."""

from __future__ import annotations

import calendar
import threading
import warnings
from collections.abc import Iterator

import pandas as pd
import pytest
from sandbox_http import in_process

import twilio_nb as tw
from twilio_nb.errors import ConfigurationError, PagingError, TwilioWarning
from twilio_nb.paging import ConcurrentWalk, Progress
from twilio_nb.paging.slices import _slice_plan as bulk
from twilio_nb.paging.slices import _slice_splits
from twilio_nb.paging.slices._slice_dates import split_point
from twilio_nb.sandbox import ACCOUNT_SID, Sandbox
from twilio_nb.sandbox.lifecycle import Lifecycle

MESSAGES = f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"


def _at(text: str) -> int:
    return calendar.timegm(pd.Timestamp(text).timetuple())


# created oldest first: midnight and last-second records at day edges, three records in one
# second, days without a record (empty slices)
EDGES = ["2025-03-01 00:00:00", "2025-03-01 12:00:00", "2025-03-02 23:59:59",
         "2025-03-03 00:00:00", "2025-03-03 00:00:00", "2025-03-03 00:00:00",
         "2025-03-03 00:00:01", "2025-03-06 10:00:00", "2025-03-07 23:59:59",
         "2025-03-08 00:00:00"]


@pytest.fixture
def edges(monkeypatch: pytest.MonkeyPatch) -> Iterator[tw.Connection]:
    box = Sandbox(messages=0, latency_ms=3)  # slow enough that idle workers split slices
    with in_process(box) as client:
        for i, text in enumerate(sorted(EDGES * 3)):  # each day edge several pages deep
            at = float(_at(text))
            # made at ``at`` and sent on the sandbox's clock within the same second, so the
            # walks compare settled records whose date_sent is ``at``
            monkeypatch.setattr(Lifecycle, "now", lambda self, at=at: at)
            client.post(MESSAGES, data={"To": "+15005550006", "From": "+15005550006",
                                        "Body": f"m{i}"}).raise_for_status()
            monkeypatch.setattr(Lifecycle, "now", lambda self, at=at: at + 0.9)
            box.advance(1)
    monkeypatch.undo()
    monkeypatch.setattr(bulk, "PAGE_SIZE", 2)  # slices of many pages from a few records
    yield tw.Connection(sandbox=box)


def _sequential(conn: tw.Connection, **query: object) -> pd.DataFrame:
    return conn.basic("Message", "List Messages", query=query or None).all(progress=False)


@pytest.mark.parametrize("known", [True, False])
@pytest.mark.parametrize("by_day", [True, False])
@pytest.mark.parametrize("concurrency", [1, 2, 4, 8])
def test_edges_same_second_and_empty_slices_give_the_sequential_frame(
        edges: tw.Connection, concurrency: int, by_day: bool, known: bool,
        monkeypatch: pytest.MonkeyPatch) -> None:
    if by_day:  # whole-day slices, splits at the midpoint: every midnight can be an edge
        monkeypatch.setattr(bulk, "first_rate", lambda *_args: None)
    cuts: list[int] = []

    def counted(*args: object, **kwargs: object) -> int | None:
        cut = split_point(*args, **kwargs)  # type: ignore[arg-type]
        cuts.append(0 if cut is None else cut)
        return cut

    monkeypatch.setattr(_slice_splits, "split_point", counted)
    expected = _sequential(edges)
    first = edges.basic("Message", "List Messages", query={"PageSize": 4})
    since = "2025-03-01" if known else None
    _, states = bulk.prepare(first, concurrency, since=since)
    bounds = [(s.slice.lower, s.slice.upper) for s in states if s.slice is not None]
    assert states[0].held is not None and len(states[0].held) == 3  # the newest second's
    if not known:  # the rest: one slice open below, split while it is walked
        assert bounds[1:] == [("", "2025-03-07T23:59:59Z")]
    elif not by_day:
        assert all("T" in low for low, _ in bounds[1:-1])  # whole seconds
    got = first.all(concurrency=concurrency, since=since, progress=False)
    assert len(got) == len(EDGES) * 3
    pd.testing.assert_frame_equal(got, expected)
    if not known:
        assert (len(cuts) > 0) == (concurrency > 1)


def test_since_and_until_narrow_to_exact_days(edges: tw.Connection) -> None:
    first = edges.basic("Message", "List Messages")
    got = first.all(concurrency=4, since="2025-03-03", until="2025-03-06", progress=False)
    expected = _sequential(edges, **{"DateSent>": "2025-03-03", "DateSent<": "2025-03-06"})
    assert len(got) == 5 * 3
    pd.testing.assert_frame_equal(got, expected)
    # the Query's own filter narrows the range the same way
    narrowed = edges.basic("Message", "List Messages", query={"DateSent>": "2025-03-03"})
    assert list(narrowed.all(concurrency=4, until="2025-03-06", progress=False)["sid"]) == \
        list(got["sid"])


@pytest.mark.parametrize("fmt", ["json", "xml", "csv"])
def test_every_format_and_limit(fmt: str) -> None:
    conn = tw.Connection(sandbox=Sandbox(messages=4000))
    first = conn.basic("Message", "List Messages", response_format=fmt)
    expected = first.all(progress=False)
    pd.testing.assert_frame_equal(first.all(concurrency=8, progress=False), expected)
    pd.testing.assert_frame_equal(first.all(concurrency=8, limit=1234, progress=False),
                                  expected.iloc[:1234])
    assert set(conn.history["method"]) == {"GET"}


def test_a_429_storm_across_workers_loses_and_repeats_nothing() -> None:
    box = Sandbox(messages=6000, latency_ms=20, concurrency_limit=3, retry_after=0.01)
    conn = tw.Connection(sandbox=box, max_retries=10)
    first = conn.basic("Message", "List Messages", query={"PageSize": 1000})
    expected = first.all(progress=False)
    got = first.all(concurrency=8, progress=False)
    assert box.concurrency_limit is not None and box.concurrency_limit.refused > 0
    assert box.concurrency_limit.peak <= 3
    pd.testing.assert_frame_equal(got, expected)
    assert got["sid"].is_unique


def test_a_failure_keeps_the_records_and_resumes() -> None:
    box = Sandbox(messages=5000)
    conn = tw.Connection(sandbox=box, max_retries=0)
    first = conn.basic("Message", "List Messages")
    expected = first.all(progress=False)
    box.faults.add("status", path="Messages.json", status=500, after=3, count=1)
    with pytest.raises(PagingError) as caught:
        first.all(concurrency=4, progress=False)
    err = caught.value
    assert 0 < err.records_fetched < len(expected)
    assert set(err.partial["sid"]) < set(expected["sid"])
    pd.testing.assert_frame_equal(err.resume(progress=False), expected)


def test_cancel_and_progress() -> None:
    conn = tw.Connection(sandbox=Sandbox(messages=3000))
    first = conn.basic("Message", "List Messages")
    seen: list[Progress] = []
    frame = ConcurrentWalk(first, 4, on_progress=seen.append).frame(progress=False)
    assert seen[-1].records == len(frame) == 3000 and not seen[-1].has_next
    # the first page's records are the first; requests past the list's end (the pieces cut
    # blind below the oldest record seen: at most one round of them, one a worker, and one
    # more round while the first ones' empty pages are decoded) may be in the history; those
    # still out when the walk ended were neither waited for nor counted
    assert seen[-1].pages <= len(conn.history) <= seen[-1].pages + 2 * 4
    cancel = threading.Event()
    cancel.set()
    assert len(ConcurrentWalk(first, 4, cancel=cancel).frame(progress=False)) == 0


def test_a_list_without_a_date_filter_walks_sequentially_and_says_so() -> None:
    conn = tw.Connection(sandbox=Sandbox(messages=10))
    first = conn.basic("IncomingPhoneNumber", "List Incoming Phone Numbers")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = first.all(concurrency=4, progress=False)
    said = [w for w in caught if issubclass(w.category, TwilioWarning)]
    assert len(said) == 1 and "one page after the other" in str(said[0].message)
    assert said[0].filename == __file__  # the user's line, not twilio_nb's
    pd.testing.assert_frame_equal(got, first.all(progress=False))


@pytest.mark.parametrize(("options", "match"), [
    ({"concurrency": 0}, "from 1 to 32"),
    ({"concurrency": 33}, "from 1 to 32"),
    ({"concurrency": 4, "since": "2025-05-01", "until": "2025-04-01"}, "after until"),
    ({"concurrency": 4, "since": "last week"}, "not a date"),
    ({"concurrency": 4, "since": "2025-07-01"}, "after the Query's DateSent"),
    ({"concurrency": 4, "limit": -1}, "limit"),
])
def test_bad_input_is_refused_before_anything_is_sent(options: dict[str, object],
                                                      match: str) -> None:
    box = Sandbox(messages=10)
    conn = tw.Connection(sandbox=box)
    first = conn.basic("Message", "List Messages", query={"DateSent<": "2025-06-01"})
    before = box.stats.total_requests
    with pytest.raises(ConfigurationError, match=match):
        first.all(progress=False, **options)  # type: ignore[arg-type]
    assert box.stats.total_requests == before


def test_calls_without_a_start_time_are_left_out_and_a_warning_says_so() -> None:
    conn = tw.Connection(sandbox=Sandbox(messages=0))
    first = conn.basic("Call", "List Calls", query={"PageSize": 100})
    expected = first.all(progress=False)
    with pytest.warns(TwilioWarning, match="no start_time") as said:
        got = first.all(concurrency=4, progress=False)
    assert said[0].filename == __file__  # the user's line, not twilio_nb's
    dated = expected[expected["start_time"].notna()].reset_index(drop=True)
    assert 0 < len(dated) < len(expected)
    pd.testing.assert_frame_equal(got, dated)  # the rest: the sequential frame, in order
