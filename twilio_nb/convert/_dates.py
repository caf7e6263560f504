"""Dates: Twilio's RFC 2822 layout parsed vectorised, ISO 8601 through pandas.

The 2010 API writes dates as ``Thu, 24 Aug 2023 05:01:45 +0000``: always 31 characters, every
field at a fixed place. :func:`parse_rfc2822` reads every value of that layout at once with
numpy integer arithmetic on a (rows, 31) matrix of character codes; values that do not fit
(a one-digit day, a lower-case month, a named zone, ...) go to ``pd.to_datetime`` with the
RFC 2822 format, so the result is the same as ``pd.to_datetime`` would give, only faster.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
from pandas.errors import OutOfBoundsDatetime

__all__ = ["DATETIME_DTYPE", "RFC2822_FORMAT", "parse_iso8601", "parse_rfc2822"]

RFC2822_FORMAT = "%a, %d %b %Y %H:%M:%S %z"
DATETIME_DTYPE = pd.DatetimeTZDtype(unit="us", tz="UTC")
_WIDTH = 31
_NAT = np.iinfo(np.int64).min
_CHUNK = 65536  # rows parsed at once

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# where each fixed character must stand, and where the digits are
_FIXED = {3: ",", 4: " ", 7: " ", 11: " ", 16: " ", 19: ":", 22: ":", 25: " "}
_DIGITS = (5, 6, 12, 13, 14, 15, 17, 18, 20, 21, 23, 24, 27, 28, 29, 30)
_DAYS_IN_MONTH = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)


def _codes(words: tuple[str, ...]) -> list[tuple[int, int, int]]:
    return [(ord(w[0]), ord(w[1]), ord(w[2])) for w in words]


_WEEKDAY_CODES = _codes(_WEEKDAYS)
_MONTH_CODES = _codes(_MONTHS)


def _layout_rows(values: pd.Series, present: np.ndarray[Any, Any]
                 ) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """The rows of ``values`` that are 31 characters long (ASCII), and a (rows, 31) uint8
    matrix of their character codes."""
    n = len(values)
    array = values.array
    if isinstance(array, pd.arrays.ArrowStringArray):  # pandas' default str with pyarrow

        chunk = pa.array(array)
        if isinstance(chunk, pa.ChunkedArray):
            chunk = chunk.combine_chunks()
        offset_type = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
        _, offsets_buf, data_buf = chunk.buffers()
        if offsets_buf is None or data_buf is None:  # nothing but missing or empty values
            return np.zeros(0, dtype=np.int64), np.zeros((0, _WIDTH), dtype=np.uint8)
        offsets = np.frombuffer(offsets_buf, dtype=offset_type)[
            chunk.offset:chunk.offset + n + 1].astype(np.int64)
        data = np.frombuffer(data_buf, dtype=np.uint8)
        rows = np.flatnonzero((np.diff(offsets) == _WIDTH) & present)
        if len(rows) == n and offsets[-1] - offsets[0] == _WIDTH * n:  # back to back
            return rows, data[offsets[0]:offsets[-1]].reshape(n, _WIDTH)
        starts = offsets[rows]
        by_position = np.empty((_WIDTH, len(rows)), dtype=np.uint8)  # one position at a time:
        for position in range(_WIDTH):  # no (rows, 31) matrix of int64 indexes in memory
            by_position[position] = data[starts + position]
        return rows, by_position.T
    # one character more than the layout, to tell 31 characters from longer values
    text = np.asarray(values.to_numpy(dtype=object), dtype=f"<U{_WIDTH + 1}")
    codes = text.view(np.uint32).reshape(n, _WIDTH + 1)
    fits = present & (codes[:, _WIDTH - 1] != 0) & (codes[:, _WIDTH] == 0)
    rows = np.flatnonzero(fits)
    chars = codes[rows, :_WIDTH]
    ascii_rows = (chars < 128).all(axis=1)
    return rows[ascii_rows], chars[ascii_rows].astype(np.uint8)


def _parse_fixed(chars: np.ndarray[Any, Any]) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Microseconds since the epoch for each row of ``chars``, and which rows fit the layout."""
    t = np.ascontiguousarray(chars.T)  # one contiguous row per character position
    ok = np.ones(t.shape[1], dtype=bool)
    for pos, char in _FIXED.items():
        ok &= t[pos] == ord(char)
    minus = t[26] == ord("-")
    ok &= minus | (t[26] == ord("+"))
    zero = t.dtype.type(ord("0"))
    for pos in _DIGITS:
        ok &= (t[pos] - zero) < 10  # unsigned: anything but a digit wraps to >= 10
    known = np.zeros_like(ok)
    for a, b, c in _WEEKDAY_CODES:
        known |= (t[0] == a) & (t[1] == b) & (t[2] == c)
    ok &= known
    month = np.zeros(t.shape[1], dtype=np.int32)
    for number, (a, b, c) in enumerate(_MONTH_CODES, start=1):
        month[(t[8] == a) & (t[9] == b) & (t[10] == c)] = number
    ok &= month > 0

    def num(pos: int, width: int) -> np.ndarray[Any, Any]:
        out: np.ndarray[Any, Any] = t[pos].astype(np.int32) - ord("0")
        for j in range(pos + 1, pos + width):
            out = out * 10 + (t[j].astype(np.int32) - ord("0"))
        return out

    day, year = num(5, 2), num(12, 4)
    hour, minute, second = num(17, 2), num(20, 2), num(23, 2)
    off_h, off_m = num(27, 2), num(29, 2)
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    last_day = _DAYS_IN_MONTH[np.maximum(month, 1) - 1] + (leap & (month == 2))
    ok &= (year >= 1) & (day >= 1) & (day <= last_day)
    ok &= (hour <= 23) & (minute <= 59) & (second <= 59) & (off_h <= 23) & (off_m <= 59)
    # days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil)
    y = year - (month <= 2)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * ((month + 9) % 12) + 2) // 5 + day - 1
    days = (era * 146097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719468).astype(np.int64)
    offset = np.where(minus, -1, 1) * (off_h * 3600 + off_m * 60)
    seconds = days * 86400 + (hour * 3600 + minute * 60 + second - offset)
    return np.where(ok, seconds * 1_000_000, _NAT), ok


def _to_series(micros: np.ndarray[Any, Any], index: pd.Index) -> pd.Series:
    naive = micros.view("M8[us]")
    return pd.Series(pd.DatetimeIndex(naive).tz_localize("UTC"), index=index)


def _fallback(values: pd.Series, fmt: str | None) -> pd.Series:
    """``pd.to_datetime`` (UTC, microseconds) of ``values``; a value it cannot read -> NaT."""
    if fmt is None:
        parsed = pd.to_datetime(values, format="ISO8601", utc=True, errors="coerce")
    else:
        parsed = pd.to_datetime(values.astype(object), format=fmt, utc=True, errors="coerce")
    parsed = parsed.dt.as_unit("us")
    if _NANOSECONDS_ONLY:
        return _outside_nanoseconds(values, parsed, fmt)
    return parsed


# pandas 2 reads text into nanoseconds only (years 1677-2262) and coerces a date outside to
# NaT; pandas 3 reads it in microseconds. Such dates are read again in Python, so that both
# give the same frame (a year-0001 date, a far-future one).
_NANOSECONDS_ONLY = int(pd.__version__.split(".", 1)[0]) < 3
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _outside_nanoseconds(values: pd.Series, parsed: pd.Series, fmt: str | None) -> pd.Series:
    lost = (values.notna() & parsed.isna()).to_numpy()
    if not lost.any():
        return parsed
    micros = pd.DatetimeIndex(parsed).asi8.copy()
    for row in np.flatnonzero(lost):
        text = values.iloc[row]
        try:  # pandas decides what it can read; only the range is widened
            pd.to_datetime(text, format=fmt or "ISO8601", utc=True)
        except OutOfBoundsDatetime:
            micros[row] = _python_micros(text, fmt)
        except (ValueError, TypeError):
            continue
    return _to_series(micros, values.index)


def _python_micros(text: str, fmt: str | None) -> int:
    """Microseconds since the epoch of ``text`` read by Python's datetime (NaT if it cannot)."""
    try:
        moment = datetime.fromisoformat(text) if fmt is None else datetime.strptime(text, fmt)
    except ValueError:
        return int(_NAT)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment - _EPOCH) // timedelta(microseconds=1)


def parse_rfc2822(values: pd.Series) -> pd.Series:
    """Twilio's RFC 2822 dates (``Thu, 24 Aug 2023 05:01:45 +0000``) as UTC datetimes.

    Equal to ``pd.to_datetime(values, format="%a, %d %b %Y %H:%M:%S %z", utc=True,
    errors="coerce")`` in microseconds; missing values and values that cannot be read become
    NaT. Values in Twilio's fixed layout are parsed vectorised; the others by pandas.
    """
    if values.dtype.kind == "M":
        return pd.to_datetime(values, utc=True).dt.as_unit("us")
    present = values.notna().to_numpy()
    micros = np.full(len(values), _NAT, dtype=np.int64)
    rest = present.copy()
    if values.dtype.kind in "OSU" or isinstance(values.dtype, pd.StringDtype):
        rows, chars = _layout_rows(values, present)
        for start in range(0, len(rows), _CHUNK):  # a few MB of temporaries at a time
            part = rows[start:start + _CHUNK]
            parsed, ok = _parse_fixed(chars[start:start + _CHUNK])
            micros[part[ok]] = parsed[ok]
            rest[part[ok]] = False
    if rest.any():
        micros[rest] = pd.DatetimeIndex(_fallback(values[rest], RFC2822_FORMAT)).asi8
    return _to_series(micros, values.index)


def parse_iso8601(values: pd.Series) -> pd.Series:
    """ISO 8601 dates and date-times (``2023-08-24T05:01:45Z``, ``2023-08-24``) as UTC
    datetimes in microseconds; a value that cannot be read becomes NaT."""
    if values.dtype.kind == "M":
        return pd.to_datetime(values, utc=True).dt.as_unit("us")
    present = values.notna()
    if not present.any():
        return _to_series(np.full(len(values), _NAT, dtype=np.int64), values.index)
    return _fallback(values, None)
