"""Records to a DataFrame: nested objects flattened to dotted columns, columns ordered."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from ..catalog import Operation

__all__ = ["flatten_dicts", "order_columns", "records_frame"]


def records_frame(records: list[dict[str, Any]]) -> pd.DataFrame:
    """One row per record, nested objects flattened (``subresource_uris.media``); lists stay
    Python lists in an object column.

    The same frame as ``flatten_dicts(pd.DataFrame(records))`` (columns in the order they first
    appear, a missing field NaN), built column by column: one list per field and one Series
    per list, with no intermediate frame of objects to split again.
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


def _add_columns(columns: dict[str, pd.Series], prefix: str, records: list[dict[str, Any]],
                 index: pd.Index | None = None) -> None:
    """One column per key of ``records`` into ``columns``, nested objects flattened."""
    for key in _keys(records):
        values = [record.get(key, _MISSING) for record in records]
        if _holds_dicts(values):
            _add_columns(columns, f"{prefix}{key}.",
                         [v if isinstance(v, dict) else {} for v in values], index)
        else:
            columns[prefix + key] = pd.Series(values, index=index)


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
        _add_columns(columns, f"{name}.", [v if isinstance(v, dict) else {} for v in column],
                     frame.index)
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
