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
nested fields (``capabilities.sms``)    true/false -> ``boolean``, plain numbers ->
                                        ``Int64`` / ``float64``, else ``str``
free-form fields                        ``str``: as Twilio sent them (``"55"``)
(``request.parameters.timeout``)
objects (``subresource_uris``)          flattened before; one column of None when
                                        always empty or null
arrays (``permissions``)                Python lists (``[]`` when empty)
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

from ..errors import TwilioWarning, warn
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
    | str, or None for an object (flattened, not typed) or an array (lists)."""
    kind, fmt = prop.get("type"), prop.get("format")
    if prop.get("array"):
        return None  # a list: kept as Python lists, items as the answer gave them
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


def _blank_to_na(column: pd.Series) -> pd.Series:
    """Empty text as a missing value: XML (``<Body></Body>``) and CSV (an empty cell) cannot
    tell the two apart, so JSON's ``""`` is missing too and every format gives one frame."""
    array = column.array
    if isinstance(array, pd.arrays.ArrowStringArray):  # pyarrow: one pass over the lengths
        text = pa.array(array)
        if not len(text) or text.null_count == len(text) or pc.min(
                pc.binary_length(text)).as_py() != 0:
            return column
    if isinstance(column.dtype, pd.StringDtype):
        blank = (column == "").to_numpy(dtype=bool, na_value=False)
        return column.mask(blank) if blank.any() else column
    return column


def _as_str(column: pd.Series) -> pd.Series:
    if isinstance(column.dtype, pd.StringDtype):
        return _blank_to_na(column)
    if column.dtype == object and pd.api.types.infer_dtype(column, skipna=True) in (
            "string", "empty"):
        return _blank_to_na(column.astype(STR_DTYPE))
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
    column = _blank_to_na(column)
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


def _nested_value(name: str, column: pd.Series, operation: Operation) -> pd.Series:
    """A field of a nested object (``capabilities.sms``, ``response.response_code``), which
    the catalog does not type: the same dtype from every format. True/false -- JSON's booleans
    and XML's or CSV's ``true``/``false`` text -- becomes ``boolean``; numbers -- JSON's, or
    plain number text (``200``, ``-0.5``; not ``+1415...``, ``007`` or ``1e3``) -- ``Int64``
    when all are whole, else ``float64``; anything else stays as it came."""
    if column.dtype.kind == "b":
        return column.astype("boolean")
    first = column.first_valid_index()  # not a copy of the column: it may be long text
    if first is None:
        return _as_str(column)
    if _is_identifier(name) or _is_free_form(name, operation):
        if column.dtype.kind in "iu" or (column.dtype == object and any(
                isinstance(v, int) and not isinstance(v, bool) for v in column.dropna())):
            column = pd.Series([None if v is None or v != v else str(v) for v in column],
                               index=column.index, dtype=object)  # as XML and CSV give it
        return _as_str(column)
    if str(column[first]).lower() in ("true", "false"):
        present = column.dropna()
        if column.dtype == object and not all(isinstance(v, bool) for v in present):
            return _as_str(column)
        flags = _as_bool(column)
        return flags if int(flags.notna().sum()) == len(present) else _as_str(column)
    return _nested_number(column)


_PLAIN_NUMBER = r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?"
_IDENTIFIERS = re.compile(r"(.*sid|to|from|called|caller|.*phone.*|.*number|.*_id|id)")


# objects whose keys Twilio does not define, and whose values it sends as text, by the
# operation whose answers hold them: the parameters of a webhook request in a call event
# (``request.parameters.timeout`` is "55"; twilio-python's test body for ListCallEvent)
_FREE_FORM: dict[str, tuple[str, ...]] = {"ListCallEvent": ("request.parameters.",)}


def _is_free_form(name: str, operation: Operation) -> bool:
    """A field of a free-form object of ``operation``'s answers: its values stay as Twilio
    sent them (text), even when they look like numbers or true/false."""
    return name.startswith(_FREE_FORM.get(operation.operation_id, ()))


def _is_identifier(name: str) -> bool:
    """A nested field that names something (a SID, a phone number, an id): text, even when
    it is all digits."""
    return bool(_IDENTIFIERS.fullmatch(name.rsplit(".", 1)[-1]))


def _nested_number(column: pd.Series) -> pd.Series:
    if column.dtype.kind in "iuf":
        numbers = column.astype("float64")
    else:
        first = column[column.first_valid_index()]  # one value first: most are not numbers
        if isinstance(first, bool) or not re.fullmatch(_PLAIN_NUMBER, str(first)):
            return _as_str(column)
        present = column.dropna()
        if not all(isinstance(v, str | int | float) and not isinstance(v, bool)
                   for v in present):
            return _as_str(column)
        text = present.astype(STR_DTYPE)
        if not bool(text.str.fullmatch(_PLAIN_NUMBER).all()):
            return _as_str(column)
        numbers = pd.to_numeric(column.astype(object), errors="coerce").astype("float64")
    whole = numbers.dropna()
    if bool((whole % 1 == 0).all()) and bool((whole.abs() < 2**53).all()):
        return numbers.astype("Int64")
    return numbers


def _prop(props: dict[str, dict[str, Any]], name: str) -> dict[str, Any] | None:
    """The catalog property called ``name``, whatever its case and underscores."""
    prop = props.get(name)
    if prop is None:
        wanted = name.replace("_", "").lower()
        prop = next((p for n, p in props.items() if n.replace("_", "").lower() == wanted),
                    None)
    return prop


def _nothing(index: pd.Index) -> pd.Series:
    """An object or list field without a value in any record."""
    return pd.Series([None] * len(index), index=index, dtype=object)


def type_column(name: str, column: pd.Series, operation: Operation | None) -> pd.Series:
    """One column typed from ``operation``'s response properties; a column the catalog does
    not know keeps its type, or gets pandas' string dtype when it holds text. An object or
    list field keeps its values (None where there is none)."""
    if operation is None:
        return _as_str(column)
    props = operation.response_properties
    prop = _prop(props, name)
    if prop is None:
        nested = "." in name and _prop(props, name.split(".", 1)[0]) is not None
        return _nested_value(name, column, operation) if nested else _as_str(column)
    kind = kind_of(name, prop)
    if kind is not None:
        return _typed(name, column, kind)
    return column if column.notna().any() else _nothing(column.index)


def _missing(kind: str | None, index: pd.Index) -> pd.Series:
    if kind is None:
        return _nothing(index)
    return pd.Series([None] * len(index), index=index, dtype=_DTYPES[kind])


def typed_frame(columns: dict[str, pd.Series], operation: Operation | None,
                index: pd.Index) -> pd.DataFrame:
    """Typed columns as a frame, in the catalog's column order.

    With an operation the columns come from the resource, not from the records: a catalog
    property that no record holds (an object that is ``{}`` or null everywhere, a field
    left out) gets its column, typed and empty; an object with no dotted column keeps one
    column under its own name."""
    if operation is not None:
        columns = dict(columns)
        present = {name.split(".", 1)[0].replace("_", "").lower() for name in columns}
        for name, prop in operation.response_properties.items():
            if name.replace("_", "").lower() not in present:
                columns[name] = _missing(kind_of(name, prop), index)
    names = order_columns(columns, operation) if operation is not None else list(columns)
    return pd.DataFrame({name: columns[name] for name in names}, index=index, copy=False)


def empty_frame(operation: Operation | None) -> pd.DataFrame:
    """Zero rows, one typed column per catalog property (an object: one column under its
    own name), in the catalog's column order."""
    if operation is None:
        return pd.DataFrame()
    return typed_frame({}, operation, pd.RangeIndex(0))
