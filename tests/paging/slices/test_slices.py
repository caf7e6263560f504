"""The slice planner: which filter, disjoint whole-day slices newest first, the Query's
filters narrowing the range, and bad input as ConfigurationError."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from twilio_nb import catalog
from twilio_nb.errors import ConfigurationError
from twilio_nb.paging._options import check_concurrency
from twilio_nb.paging.slices._slice_dates import (
    date_filter,
    narrowed,
    parse_bound,
    plan,
)

MESSAGES = catalog.find("Message", "List Messages")


def test_filters_come_from_the_catalog() -> None:
    assert date_filter(MESSAGES).param == "DateSent"  # type: ignore[union-attr]
    assert date_filter(catalog.find("Call", "List Calls")).param == "StartTime"  # type: ignore[union-attr]
    conf = date_filter(catalog.find("Conference", "List Conferences"))
    assert conf is not None and conf.param == "DateCreated" and conf.date_only
    assert date_filter(catalog.by_id("api_v2010.ListUsageRecord")) is None  # not date-ordered
    assert date_filter(catalog.by_id("api_v2010.FetchMessage")) is None


def _days(slices: list) -> list[tuple[dt.date, dt.date]]:
    return [(dt.date.fromisoformat(s.lower[:10]), dt.date.fromisoformat(s.upper[:10]))
            for s in slices]


@pytest.mark.parametrize(("days", "workers"), [(1, 8), (5, 8), (180, 8), (181, 3), (40, 32)])
def test_slices_are_disjoint_whole_days_newest_first(days: int, workers: int) -> None:
    lo = parse_bound("2025-01-01", "since", upper=False)
    hi = parse_bound(dt.date(2025, 1, 1) + dt.timedelta(days=days - 1), "until", upper=True)
    got = _days(plan(lo, hi, workers))
    assert got[0][1] == hi.day and got[-1][0] == lo.day
    for (first, last), (_, nlast) in itertools.pairwise(got):
        assert nlast + dt.timedelta(days=1) == first  # no gap, no overlap
        assert first <= last
    assert len(got) == min(days, workers * 4)


def test_the_outer_ends_keep_a_date_time() -> None:
    lo = parse_bound("2025-01-01T12:00:00Z", "since", upper=False)
    hi = parse_bound(dt.datetime(2025, 1, 3, 8, tzinfo=dt.UTC), "until", upper=True)
    got = plan(lo, hi, 1)
    assert got[0].upper == "2025-01-03T08:00:00Z" and got[-1].lower == "2025-01-01T12:00:00Z"


def test_the_query_narrows_and_a_contradiction_is_refused() -> None:
    flt = date_filter(MESSAGES)
    assert flt is not None
    lo, hi = narrowed(flt, [("DateSent>", "2025-03-01"), ("To", "+1")], since="2025-01-01")
    assert lo is not None and lo.text == "2025-03-01" and hi is None
    lo, hi = narrowed(flt, [("DateSent", "2025-03-05")])
    assert lo is not None and hi is not None and (lo.text, hi.text) == ("2025-03-05",) * 2
    with pytest.raises(ConfigurationError, match="after the Query's DateSent"):
        narrowed(flt, [("DateSent<", "2025-03-01")], since="2025-04-01")
    with pytest.raises(ConfigurationError, match="before the Query's DateSent"):
        narrowed(flt, [("DateSent>", "2025-03-01")], until="2025-02-01")
    with pytest.raises(ConfigurationError, match="leave no date"):
        narrowed(flt, [("DateSent>", "2025-03-02"), ("DateSent<", "2025-03-01")])


@pytest.mark.parametrize(("since", "until", "match"), [
    ("2025-02-01", "2025-01-01", "since .* is after until"),
    ("yesterday", None, "not a date"),
    (None, 20250101, "must be a date"),
])
def test_bad_dates(since: object, until: object, match: str) -> None:
    flt = date_filter(MESSAGES)
    assert flt is not None
    with pytest.raises(ConfigurationError, match=match):
        narrowed(flt, [], since=since, until=until)


def test_a_date_only_filter_refuses_date_times() -> None:
    flt = date_filter(catalog.find("Conference", "List Conferences"))
    assert flt is not None
    with pytest.raises(ConfigurationError, match="dates only"):
        narrowed(flt, [], since=dt.datetime(2025, 1, 1, 12))


@pytest.mark.parametrize("value", [0, 33, -1, 2.0, True, "8"])
def test_concurrency_is_1_to_32(value: object) -> None:
    with pytest.raises(ConfigurationError, match="from 1 to 32"):
        check_concurrency(value)
    assert check_concurrency(32) == 32


def test_dense_lists_get_second_slices_of_about_a_page() -> None:
    lo = parse_bound("2025-01-01", "since", upper=False)
    hi = parse_bound("2025-01-10", "until", upper=True)
    per_second = 50_000 / (10 * 86400)  # 50,000 records in 10 days
    got = plan(lo, hi, 8, per_second=per_second, date_only=False, page_size=1000)
    assert len(got) == 56  # 50,000 / 900 records a slice
    stamps = [(dt.datetime.fromisoformat(s.lower.replace("Z", "+00:00")) if "T" in s.lower
               else None, s.upper) for s in got]
    for (start, _), (_, older_upper) in itertools.pairwise(stamps):
        assert start is not None
        assert dt.datetime.fromisoformat(older_upper.replace("Z", "+00:00")) + \
            dt.timedelta(seconds=1) == start  # contiguous, disjoint, whole seconds
    assert got[0].upper == "2025-01-10" and got[-1].lower == "2025-01-01"
    # a date-only filter keeps whole days whatever the density
    assert len(plan(lo, hi, 8, per_second=per_second, date_only=True)) == 10


def test_split_points_keep_a_page_or_half_and_never_leave_an_empty_range() -> None:
    from twilio_nb.paging.slices._slice_dates import split_point, unit_text, units

    # bounded, density known: the walk keeps half the expected records (at least a page)
    assert split_point(0, 9999, 1.0, 1000, False) == 9999 - 5000 + 1
    assert split_point(0, 1499, 1.0, 1000, False) == 1499 - 950 + 1  # 95 % of a page
    # nothing known: the midpoint; under two units: not splittable
    assert split_point(10, 19, None, 1000, True) == 15
    assert split_point(10, 11, None, 1000, True) == 11
    assert split_point(10, 10, None, 1000, True) is None
    # the cut stays inside (lower, reached]: neither part is an empty range
    assert split_point(100, 150, 0.001, 1000, False) == 101
    # open below: a page's worth at the density seen, or a day back
    assert split_point(None, 10_000, 0.5, 1000, False) == 10_000 - 1900 + 1
    assert split_point(None, 10_000, None, 1000, False) == 10_000 - 86_400 + 1
    assert split_point(None, 800, None, 1000, True) == 800
    # units and their filter text
    at = dt.datetime(2025, 3, 3, 0, 0, 1, tzinfo=dt.UTC)
    assert unit_text(units(at, False), False) == "2025-03-03T00:00:01Z"
    assert unit_text(units(at, True) - 1, True) == "2025-03-02"
