"""The vectorised RFC 2822 parse equals pandas' to_datetime with the RFC 2822 format."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pandas_versions import TEXT, to_datetime_us

from twilio_nb.convert import RFC2822_FORMAT, parse_iso8601, parse_rfc2822

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def twilio_date(moment: datetime, offset_minutes: int) -> str:
    sign = "-" if offset_minutes < 0 else "+"
    hours, minutes = divmod(abs(offset_minutes), 60)
    return (f"{DAYS[moment.weekday()]}, {moment.day:02d} {MONTHS[moment.month - 1]} "
            f"{moment.year:04d} {moment:%H:%M:%S} {sign}{hours:02d}{minutes:02d}")


def expected(values: pd.Series) -> pd.Series:
    """pandas 3's ``to_datetime`` with the RFC 2822 format (under pandas 2.2 as well)."""
    return to_datetime_us(values, RFC2822_FORMAT)


def check(values: list[Any]) -> None:
    for dtype in (TEXT, object):
        series = pd.Series(values, dtype=dtype)
        pd.testing.assert_series_equal(parse_rfc2822(series), expected(series))


ODD = [
    "Thu, 24 Aug 2023 05:01:45 +0000",   # Twilio's layout
    "Thu, 24 Aug 2023 05:01:45 +0530",   # a half-hour offset
    "Sat, 31 Dec 2022 23:59:59 -1245",
    "Thu, 29 Feb 2024 12:00:00 +0000",   # a leap day
    "Sun, 24 Aug 2023 05:01:45 +0000",   # the wrong weekday is ignored, as pandas does
    "Thu, 4 Aug 2023 05:01:45 +0000",    # one-digit day: falls back
    "thu, 24 aug 2023 05:01:45 +0000",   # lower case: falls back
    "Thu, 24 Aug 2023 05:01:60 +0000",   # second 60: falls back
    "Thu, 24 Aug 2023 05:01:45 +05:30",  # colon in the offset: falls back
    "Thu, 24 Aug 2023 05:01:45 GMT",     # named zone: NaT
    "Wed, 29 Feb 2023 12:00:00 +0000",   # no such day: NaT
    "Thu, 24 Aug 2023 05:01:45 +2400",   # no such offset: NaT
    "Thu, 24 Âug 2023 05:01:45 +0000",   # non-ASCII: NaT
    "Thu, 01 Jan 0001 00:00:00 +0000",
    "", "yesterday", None, np.nan,
]


def test_odd_values_match_to_datetime() -> None:
    check(ODD)


def test_all_missing_and_empty_columns() -> None:
    check([None, None])
    check([])
    assert parse_rfc2822(pd.Series([None, None])).dtype == "datetime64[us, UTC]"


def test_already_parsed_values_pass_through() -> None:
    moments = pd.Series(pd.to_datetime(["2023-08-24 05:01:45"]).tz_localize("UTC"))
    assert parse_rfc2822(moments).iloc[0] == moments.iloc[0]


def test_a_slice_of_a_larger_column() -> None:
    series = pd.Series(ODD[:4] * 5, dtype=TEXT).iloc[3:17]
    pd.testing.assert_series_equal(parse_rfc2822(series), expected(series))


def test_index_is_kept_even_with_repeated_labels() -> None:
    series = pd.Series(ODD[:8], index=[5, 5, 1, 1, 0, 0, 9, 9])
    parsed = parse_rfc2822(series)
    assert list(parsed.index) == [5, 5, 1, 1, 0, 0, 9, 9]
    pd.testing.assert_series_equal(parsed, expected(series))


moments = st.datetimes(min_value=datetime(1, 1, 1, 0, 0) + timedelta(days=1),
                       max_value=datetime(9999, 12, 30))
offsets = st.integers(min_value=-(23 * 60 + 59), max_value=23 * 60 + 59)
twilio_dates = st.builds(twilio_date, moments, offsets)
mangled = st.one_of(
    st.none(), st.text(max_size=35),
    twilio_dates.map(lambda s: s.replace(" 0", " ", 1)),
    twilio_dates.map(str.upper),
    st.tuples(twilio_dates, st.integers(0, 30), st.characters(codec="ascii")).map(
        lambda t: t[0][:t[1]] + t[2] + t[0][t[1] + 1:]),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(twilio_dates, twilio_dates, mangled), max_size=12))
def test_random_columns_match_to_datetime(values: list[str | None]) -> None:
    check(values)


@settings(max_examples=60, deadline=None)
@given(moments, offsets)
def test_twilio_layout_is_read_exactly(moment: datetime, offset: int) -> None:
    parsed = parse_rfc2822(pd.Series([twilio_date(moment, offset)]))
    want = moment.replace(microsecond=0, tzinfo=UTC) - timedelta(minutes=offset)
    assert parsed.iloc[0].to_pydatetime() == want  # a Python datetime: any year, any pandas


def test_iso_dates_and_date_times() -> None:
    values = pd.Series(["2025-03-01T12:00:00Z", "2025-03-01T12:00:05.250Z", "2025-03-01",
                        "2025-03-01T14:00:00+02:00", None])
    parsed = parse_iso8601(values)
    assert parsed.dtype == "datetime64[us, UTC]"
    assert parsed.tolist()[:4] == [pd.Timestamp("2025-03-01 12:00:00", tz="UTC"),
                                   pd.Timestamp("2025-03-01 12:00:05.250", tz="UTC"),
                                   pd.Timestamp("2025-03-01", tz="UTC"),
                                   pd.Timestamp("2025-03-01 12:00:00", tz="UTC")]
    assert pd.isna(parsed.iloc[4])


@pytest.mark.parametrize("dtype", [TEXT, object])
def test_iso_all_missing(dtype: Any) -> None:
    parsed = parse_iso8601(pd.Series([None, None], dtype=dtype))
    assert parsed.isna().all() and parsed.dtype == "datetime64[us, UTC]"
