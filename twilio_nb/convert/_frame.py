"""Records to a DataFrame: nested objects flattened to dotted columns, columns ordered."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa

from ._column_names import snake_case

if TYPE_CHECKING:
    from ..catalog import Operation

__all__ = ["ARROW_POOL", "STR_DTYPE", "flatten_dicts", "order_columns", "records_frame",
           "text_series"]

try:  # pandas' default text dtype since 3.0, "str": held by pyarrow, missing values are NaN
    STR_DTYPE = pd.StringDtype("pyarrow", na_value=np.nan)
except TypeError:  # pandas 2.2: the same dtype under its earlier name, "string[pyarrow_numpy]"
    STR_DTYPE = pd.StringDtype("pyarrow_numpy")  # type: ignore[call-overload]


def records_frame(records: list[dict[str, Any]]) -> pd.DataFrame:
    """One row per record, nested objects flattened (``subresource_uris.media``); lists stay
    Python lists in an object column.

    The same frame as ``flatten_dicts(pd.DataFrame(records))`` (columns in the order they first
    appear, a missing field NaN), built column by column: one list per field and one Series
    per list, with no intermediate frame of objects to split again. When every record has
    the same fields in the same order (a Twilio page does), the columns come from one
    ``zip`` of the records' values, and a column of text goes to pandas' string dtype through
    pyarrow in one call.
    """
    if not records:
        return pd.DataFrame()
    columns: dict[str, pd.Series] = {}
    _add_columns(columns, "", records)
    if not columns:  # records without fields, or with empty objects only
        return pd.DataFrame(records) if not any(records) else pd.DataFrame(
            {}, index=pd.RangeIndex(len(records)))
    return pd.DataFrame(columns, copy=False)


def _keys(records: list[dict[str, Any]]) -> list[str]:
    """Every key of ``records`` in the order it first appears (pandas' order for dicts)."""
    first = records[0].keys()
    keys = dict.fromkeys(first)
    for record in records:
        if record.keys() != first:
            keys.update(dict.fromkeys(record))
    return list(keys)


def _fields(records: list[dict[str, Any]]) -> Iterable[tuple[str, Sequence[Any]]]:
    """(key, values) for every key of ``records``; a missing field is NaN."""
    first = tuple(records[0])
    if all(tuple(record) == first for record in records):  # one zip for all columns
        return zip(first, zip(*[record.values() for record in records], strict=True),
                   strict=True)
    return ((key, [record.get(key, _MISSING) for record in records]) for key in _keys(records))


def _add_columns(columns: dict[str, pd.Series], prefix: str, records: list[dict[str, Any]],
                 index: pd.Index | None = None) -> None:
    """One column per key of ``records`` into ``columns``, nested objects flattened: the
    dotted path of the field, each nested part in snake_case (``capabilities.SMS`` ->
    ``capabilities.sms``, as XML's ``<Capabilities><SMS>`` gives)."""
    for key, values in _fields(records):
        name = prefix + (snake_case(str(key)) if prefix else key)
        text = _text_column(values, index)
        if text is not None:
            columns[name] = text
        elif _holds_dicts(values):
            before = len(columns)
            _add_columns(columns, f"{name}.",
                         [v if isinstance(v, dict) else {} for v in values], index)
            if len(columns) == before:  # {} in every record: one empty column keeps the field
                columns[name] = pd.Series([None] * len(values), index=index, dtype=object)
        else:
            columns[name] = pd.Series(list(values), index=index)


def _text_column(values: Sequence[Any], index: pd.Index | None) -> pd.Series | None:
    """``values`` as a column of pandas' string dtype when each is text, None or NaN and one at
    least is text (what ``pd.Series(values)`` infers, without a pass in Python); else None."""
    try:
        # from_pandas: a missing field's NaN is a missing value, as pandas 3 infers "str" for
        # text with NaN (pandas 2.2 would keep such a column as object: the same frame in both)
        array = pa.array(values, type=pa.large_string(), from_pandas=True, memory_pool=ARROW_POOL)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    return text_series(array, index)


def text_series(array: pa.Array, index: pd.Index | None = None) -> pd.Series | None:
    """Text held by pyarrow as a column of pandas' string dtype (no copy); None when every
    value is missing (pandas keeps such a column as objects)."""
    if array.null_count == len(array):
        return None
    return pd.Series(pd.array(array, dtype=STR_DTYPE), index=index, copy=False)


# malloc's pool: it gives memory back as pandas and numpy do (measured: 70 MB less at the
# peak of a 200,000-message walk than pyarrow's default pool)
ARROW_POOL = pa.system_memory_pool()
_MISSING = float("nan")


def _holds_dicts(values: Iterable[Any]) -> bool:
    """True when every value present is a dict (and there is one)."""
    seen = False
    for value in values:
        if isinstance(value, dict):
            seen = True
        elif value is not None and value == value:  # not None and not NaN
            return False
    return seen


def flatten_dicts(frame: pd.DataFrame) -> pd.DataFrame:
    """Each column whose values are dicts replaced, in place, by one column per key (the
    same columns :func:`records_frame` makes of nested objects)."""
    nested = [name for name in frame.columns
              if frame[name].dtype == object and _holds_dicts(frame[name].to_numpy())]
    if not nested:
        return frame
    columns: dict[str, pd.Series] = {}
    for name in frame.columns:
        column = frame[name]
        if name not in nested:
            columns[name] = column
            continue
        before = len(columns)
        _add_columns(columns, f"{name}.", [v if isinstance(v, dict) else {} for v in column],
                     frame.index)
        if len(columns) == before:  # {} in every row: one empty column keeps the field
            columns[name] = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    return pd.DataFrame(columns, index=frame.index)


def order_columns(columns: Iterable[str], operation: Operation) -> list[str]:
    """The operation's default output first, then its other catalog properties (both in
    catalog order), then the rest in answer order. A nested field's dotted columns stand where
    their property stands, sorted by name, so that every format gives one order (a CSV's
    column order is not guaranteed)."""
    ranked = dict.fromkeys([*operation.default_output, *operation.response_properties])
    rank = {name: i for i, name in enumerate(ranked)}
    last = len(rank)

    def key(item: tuple[int, str]) -> tuple[int, int, str, int]:
        position, column = item
        if column in rank:
            return rank[column], 0, "", position
        parent = column.split(".", 1)[0]
        if parent in rank:
            return rank[parent], 1, column, position
        return last, 0, "", position

    return [column for _, column in sorted(enumerate(columns), key=key)]
