"""pandas 2.2 and 3.x give twilio_nb the same frames; only some names differ. The tests
compare through these helpers (see docs/pandas.md).

- The text dtype is spelled ``str`` in pandas 3 (and 2.3) and ``string[pyarrow_numpy]`` in
  pandas 2.2 (``str(dtype) == "string"``); both hold text in pyarrow with NaN for missing.
  :data:`TEXT` is the one the package uses; ``dtype == TEXT`` holds under both.
- pandas 2.2 builds a frame of Python strings as ``object`` columns unless its
  ``future.infer_string`` option is on; :func:`pandas3_inference` turns it on, so that a
  reference frame built by ``pd.DataFrame(...)`` has pandas 3's dtypes.
- The column labels of a frame are an ``object`` Index in pandas 2.2 and a ``str`` one in
  pandas 3; :data:`LABELS_CHECK` is what ``assert_frame_equal(check_column_type=...)``
  compares of them under each.
- pandas 2.2's ``to_datetime`` reads text into nanoseconds only (years 1677-2262); pandas 3
  into microseconds. :func:`to_datetime_us` is pandas 3's answer under both.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pandas as pd
from pandas.errors import OutOfBoundsDatetime

from twilio_nb.convert._frame import STR_DTYPE

PANDAS_MAJOR = int(pd.__version__.split(".", 1)[0])
TEXT = STR_DTYPE
LABELS_CHECK: Any = "equiv" if PANDAS_MAJOR >= 3 else False


def is_text(dtype: Any) -> bool:
    """True for pandas' text dtype under either spelling (``str``, ``string[pyarrow_numpy]``)."""
    return isinstance(dtype, pd.StringDtype) and dtype == TEXT


@contextlib.contextmanager
def pandas3_inference() -> Iterator[None]:
    """pandas 3's dtype inference for text (a no-op under pandas 3)."""
    if PANDAS_MAJOR >= 3:
        yield
        return
    with pd.option_context("future.infer_string", True):
        yield


def to_datetime_us(values: pd.Series, fmt: str) -> pd.Series:
    """``pd.to_datetime(values, format=fmt, utc=True, errors="coerce")`` in microseconds, as
    pandas 3 gives it (under pandas 2, a date outside 1677-2262 is read value by value)."""
    parsed = pd.to_datetime(values.astype(object), format=fmt, utc=True,
                            errors="coerce").dt.as_unit("us")
    if PANDAS_MAJOR >= 3:
        return parsed
    micros = pd.DatetimeIndex(parsed).asi8.copy()
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    for row, text in enumerate(values.astype(object)):
        if not isinstance(text, str):
            continue
        try:
            pd.to_datetime(text, format=fmt, utc=True)
        except OutOfBoundsDatetime:
            micros[row] = (datetime.strptime(text, fmt) - epoch) // timedelta(microseconds=1)
        except ValueError:
            pass
    return pd.Series(pd.DatetimeIndex(micros.view("M8[us]")).tz_localize("UTC"),
                     index=values.index)


__all__ = ["LABELS_CHECK", "PANDAS_MAJOR", "TEXT", "is_text", "pandas3_inference", "to_datetime_us"]
