"""An Arrow table of records (a Bulk Export day file read by ``pyarrow.json``) as the typed
frame the catalog gives the same resource's list: the same names, dtypes and order.

Text stays in pyarrow (pandas' string dtype, no copy); every column is typed once by
:func:`._types.type_column`, except dates: a day file writes them as UTC ISO 8601 where the
2010 API writes RFC 2822, so a date property is read as ISO 8601 whatever the catalog's
format. Nested objects (a struct) become dotted columns as elsewhere. Only the columns the
table has are in the frame: a field the file lacks is not invented.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd
import pyarrow as pa

from ._column_types import kind_of, type_column
from ._dates import parse_iso8601
from ._frame import STR_DTYPE, order_columns

if TYPE_CHECKING:
    from ..catalog import Operation

__all__ = ["arrow_frame", "arrow_schema"]

#: how a JSON reader should read a catalog kind (see :func:`._types.kind_of`); the text kinds
#: stay text (``"1"``, ``"-0.0075"``): :func:`arrow_frame` types them as the list frame does
_ARROW_TYPES: dict[str, pa.DataType] = {
    "iso": pa.timestamp("us", tz="UTC"), "rfc2822": pa.timestamp("us", tz="UTC"),
    "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_(), "str": pa.string(),
    "decimal": pa.string(), "count": pa.string()}


def _pandas_type(kind: pa.DataType) -> Any:
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return STR_DTYPE
    return None


def _flat(table: pa.Table) -> pa.Table:
    while any(pa.types.is_struct(field.type) for field in table.schema):
        table = table.flatten()  # "a.b" columns, as flatten_dicts names them
    return table


def arrow_schema(operation: Operation, leave_out: tuple[str, ...] = ()) -> pa.Schema:
    """The types a JSON-lines reader should give ``operation``'s properties (dates as UTC
    ISO 8601 timestamps): what keeps ``pyarrow.json`` from guessing (``"2010-04-01"`` is a
    date to it). Objects, arrays and ``leave_out`` (fields the file does not have: a reader
    would give them a column of nulls) are left out."""
    fields = []
    for name, prop in operation.response_properties.items():
        kind = kind_of(name, prop)
        if kind is not None and name not in leave_out:
            fields.append(pa.field(name, _ARROW_TYPES[kind]))
    return pa.schema(fields)


def _text_kept_text(table: pa.Table, props: dict[str, Any]) -> pa.Table:
    """A text property a reader took for a date (``"2010-04-01"``), as text again."""
    for index, item in enumerate(table.schema):
        prop = props.get(item.name)
        if prop is not None and pa.types.is_temporal(item.type) and kind_of(
                item.name, prop) in ("str", "decimal", "count"):
            table = table.set_column(index, item.name, table.column(index).cast(pa.string()))
    return table


def arrow_frame(table: pa.Table, operation: Operation | None) -> pd.DataFrame:
    """``table``'s records typed from ``operation``'s response properties (dates as ISO
    8601), in the catalog's column order; a table of no rows gives a frame of no rows."""
    props = operation.response_properties if operation is not None else {}
    table = _text_kept_text(_flat(table), props)
    frame = table.to_pandas(types_mapper=_pandas_type, self_destruct=True,
                            split_blocks=True)
    del table
    columns: dict[str, pd.Series] = {}
    for name in list(frame.columns):
        column = frame.pop(name)
        prop = props.get(str(name))
        if prop is not None and kind_of(str(name), prop) in ("iso", "rfc2822"):
            if column.dtype == object:
                column = column.astype(STR_DTYPE)
            columns[str(name)] = parse_iso8601(column.mask(column == ""))
        else:
            columns[str(name)] = type_column(str(name), column, operation)
    names = order_columns(columns, operation) if operation is not None else list(columns)
    return pd.DataFrame({name: columns[name] for name in names},
                        index=pd.RangeIndex(len(frame)), copy=False)
