"""Typing from the catalog: each column converted once, vectorised, to the type Twilio's
spec gives it.

======================================  ==========================================
catalog property                        dtype
======================================  ==========================================
``format: date-time-rfc-2822``          ``datetime64[us, UTC]`` (vectorised parse)
``format: date-time`` / ``date``        ``datetime64[us, UTC]``
``type: integer``                       ``Int64``
``type: number``                        ``float64``
``type: boolean``                       ``boolean``
string ``price``, ``*_price``,          ``float64`` when every value is a number
``balance``, ``amount``
string ``num_*``, ``*_count``,          ``Int64`` when every value is integer text
``count``, ``duration``, ``queue_time``
other strings (SIDs, numbers, enums)    ``str``
objects (``subresource_uris``)          flattened before; dropped when always empty
======================================  ==========================================

A value that does not fit its declared type is never lost: the column keeps its text and a
:class:`~twilio_nb.errors.TwilioWarning` says which column and which value.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import TwilioWarning
from ..warn import warn
from ._dates import DATETIME_DTYPE, parse_iso8601, parse_rfc2822
from ._frame import STR_DTYPE, order_columns

if TYPE_CHECKING:
    from ..catalog import Operation

__all__ = ["empty_frame", "kind_of", "type_column", "typed_frame"]

_DECIMAL_NAMES = re.compile(r"(price|.+_price|balance|amount)")
_COUNT_NAMES = re.compile(r"(num_.+|.+_count|count|duration|.+_duration|queue_time)")
# text that pyarrow and pandas read as the same number (anything else: pandas alone decides)
_INTEGER_TEXT = r"^[+-]?[0-9]+$"
_DECIMAL_TEXT = r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$"
_DTYPES: dict[str, Any] = {"rfc2822": DATETIME_DTYPE, "iso": DATETIME_DTYPE, "int": "Int64",
                           "count": "Int64", "float": "float64", "decimal": "float64",
                           "bool": "boolean", "str": STR_DTYPE}
_WHAT = {"rfc2822": "RFC 2822 dates", "iso": "ISO 8601 dates", "int": "integers",
         "float": "numbers", "bool": "true/false"}


def kind_of(name: str, prop: dict[str, Any]) -> str | None:
    """How a catalog property is typed: rfc2822 | iso | int | float | bool | decimal | count
    | str, or None for an object (flattened, not typed)."""
    kind, fmt = prop.get("type"), prop.get("format")
    if fmt == "date-time-rfc-2822":
        return "rfc2822"
    if fmt in ("date-time", "date"):
        return "iso"
    if kind in ("integer", "number", "boolean"):
        return {"integer": "int", "number": "float", "boolean": "bool"}[kind]
    if kind == "string":
        if _DECIMAL_NAMES.fullmatch(name):
            return "decimal"
        if _COUNT_NAMES.fullmatch(name):
            return "count"
        return "str"
    return None


def _first_bad(column: pd.Series, converted: pd.Series) -> Any:
    """The first value present in ``column`` but missing once converted, or None."""
    if converted.count() == column.count():  # a conversion only ever loses values
        return None
    lost = column.notna().to_numpy() & converted.isna().to_numpy()
    return column[lost].iloc[0] if lost.any() else None


def _as_str(column: pd.Series) -> pd.Series:
    if isinstance(column.dtype, pd.StringDtype):
        return column
    if column.dtype == object and pd.api.types.infer_dtype(column, skipna=True) in (
            "string", "empty"):
        return column.astype(STR_DTYPE)
    return column


def _arrow_numbers(column: pd.Series, pattern: str, target: pa.DataType) -> Any:
    """The values of a text column held by pyarrow cast to ``target`` in one call, when every
    value present is plainly a number (``pattern``); None otherwise, and pandas decides."""
    if not isinstance(column.array, pd.arrays.ArrowStringArray) or not column.count():
        return None
    text = pa.chunked_array(pa.array(column.array))
    if pc.all(pc.match_substring_regex(text, pattern)).as_py() is not True:
        return None
    try:
        return pc.cast(text, target)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):  # beyond int64
        return None


def _as_int(column: pd.Series) -> pd.Series:
    if column.dtype.kind in "iu":
        return column.astype("Int64")
    if column.dtype.kind == "b":  # true/false is not a count: every value counts as lost
        return pd.Series(pd.NA, index=column.index, dtype="Int64")
    fast = _arrow_numbers(column, _INTEGER_TEXT, pa.int64())
    if fast is not None:
        values = pd.arrays.IntegerArray(fast.fill_null(0).to_numpy(),
                                        fast.is_null().to_numpy())
        return pd.Series(values, index=column.index, copy=False)
    numbers = pd.to_numeric(column, errors="coerce")
    if numbers.dtype.kind in "iu":
        return numbers.astype("Int64")
    return numbers.where(numbers % 1 == 0).astype("Int64")  # 1.5 is lost, so it is noticed


def _as_float(column: pd.Series) -> pd.Series:
    if column.dtype.kind == "b":
        return pd.Series(np.nan, index=column.index)
    fast = _arrow_numbers(column, _DECIMAL_TEXT, pa.float64())
    if fast is not None:
        return pd.Series(fast.to_numpy(), index=column.index, dtype="float64", copy=False)
    return pd.to_numeric(column, errors="coerce").astype("float64")


def _as_bool(column: pd.Series) -> pd.Series:
    if column.dtype.kind == "b":
        return column.astype("boolean")
    text = column.astype(STR_DTYPE).str.lower()
    true = (text == "true").to_numpy(dtype=bool, na_value=False)
    false = (text == "false").to_numpy(dtype=bool, na_value=False)
    values = pd.arrays.BooleanArray(true, ~(true | false))
    return pd.Series(values, index=column.index)


_CONVERT = {"rfc2822": parse_rfc2822, "iso": parse_iso8601, "int": _as_int, "count": _as_int,
            "float": _as_float, "decimal": _as_float, "bool": _as_bool}


def _typed(name: str, column: pd.Series, kind: str) -> pd.Series:
    if kind == "str":
        return _as_str(column)
    if column.dtype == _DTYPES[kind]:
        return column
    try:
        converted = _CONVERT[kind](column)
        bad = _first_bad(column, converted)
    except (ValueError, TypeError):  # values no parser takes: lists, objects
        bad = next(iter(column.dropna()), None)
    else:
        if bad is None:
            return converted
    if kind in _WHAT:  # the spec declares the type: say so; name-based guesses stay quiet
        warn(f"Column {name!r} should hold {_WHAT[kind]} but holds {bad!r}; the column "
             "keeps its values as they came.", TwilioWarning)
    return _as_str(column)


def _nested_flag(column: pd.Series) -> pd.Series:
    """A field of a nested object (``capabilities.sms``): true/false in every format -- JSON's
    booleans and XML's or CSV's ``true``/``false`` text -- becomes ``boolean``; anything else
    stays as it came."""
    if column.dtype.kind == "b":
        return column.astype("boolean")
    first = column.first_valid_index()  # not a copy of the column: it may be long text
    if first is None or str(column[first]).lower() not in ("true", "false"):
        return _as_str(column)
    present = column.dropna()
    if column.dtype == object and not all(isinstance(v, bool) for v in present):
        return _as_str(column)
    flags = _as_bool(column)
    return flags if int(flags.notna().sum()) == len(present) else _as_str(column)


def type_column(name: str, column: pd.Series, operation: Operation | None) -> pd.Series | None:
    """One column typed from ``operation``'s response properties (None: an object column
    that holds nothing, left out); a column the catalog does not know keeps its type, or
    gets pandas' string dtype when it holds text."""
    if operation is None:
        return _as_str(column)
    props = operation.response_properties
    prop = props.get(name)
    if prop is None:
        nested = "." in name and name.split(".", 1)[0] in props
        return _nested_flag(column) if nested else _as_str(column)
    kind = kind_of(name, prop)
    if kind is not None:
        return _typed(name, column, kind)
    return column if column.notna().any() else None  # an object that was not flattened


def typed_frame(columns: dict[str, pd.Series], operation: Operation | None,
                index: pd.Index) -> pd.DataFrame:
    """Typed columns as a frame, in the catalog's column order."""
    names = order_columns(columns, operation) if operation is not None else list(columns)
    return pd.DataFrame({name: columns[name] for name in names}, index=index, copy=False)


def empty_frame(operation: Operation | None) -> pd.DataFrame:
    """Zero rows, one typed column per catalog property (objects left out: their dotted
    columns are only known from an answer), in the catalog's column order."""
    if operation is None:
        return pd.DataFrame()
    props = operation.response_properties
    kinds = {name: kind_of(name, prop) for name, prop in props.items()}
    names = order_columns([n for n, k in kinds.items() if k is not None], operation)
    return pd.DataFrame({name: pd.Series([], dtype=_DTYPES[kinds[name] or "str"])
                         for name in names})
