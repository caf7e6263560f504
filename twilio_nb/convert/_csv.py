"""CSV answers of the 2010 API: read by pandas' C parser with every column as text.

Twilio writes a list cell bracketed and unquoted inside (``[outbound]``, ``[get-all,post-all]``,
``[]``); :func:`decode_list_cells` makes those Python lists, as JSON and XML give them.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

from ._column_names import NameMap
from ._json import loads
from ._reader_parts import format_error

__all__ = ["decode_list_cells", "decode_object_cells", "read_csv"]


def _last_record_fields(content: bytes) -> tuple[int, int] | None:
    """(fields in the header, fields in the last record) when the body does not end with a
    line break, to catch an answer cut short in its last row; None otherwise."""
    if content.endswith((b"\n", b"\r")) or content.count(b'"') % 2:
        return None
    text = content.decode("utf-8", errors="replace")
    start = len(text)
    while True:  # the last line break outside quotes
        start = text.rfind("\n", 0, start)
        if start < 0 or text.count('"', 0, start) % 2 == 0:
            break
    if start < 0:
        return None  # a header without records
    try:  # newline="": a lone carriage return is a line break to the csv module too
        header = next(csv.reader(io.StringIO(text[:text.find("\n")], newline="")), [])
        last = next(csv.reader(io.StringIO(text[start + 1:], newline="")), [])
    except csv.Error:
        return None  # pandas read it; nothing to compare
    return len(header), len(last)


def read_csv(content: bytes, names: NameMap) -> pd.DataFrame:
    """Every record as text (empty fields missing), with the JSON names as columns.

    Headers may be PascalCase (``DateSent``) or snake_case; ``SubresourceUris.Media`` names a
    nested field. Types come later, from the catalog: pandas' guesses would turn ``+1415...``
    into a number.
    """
    head = content.lstrip()[:1]
    if not head:
        raise format_error("csv", "the answer is empty", content)
    if head in (b"<", b"{", b"["):
        raise format_error("csv", "this is not comma-separated text", content)
    frame = _read_arrow(content)
    if frame is None:
        frame = _read_pandas(content)
    fields = _last_record_fields(content)
    if fields is not None and fields[1] < fields[0]:
        raise format_error("csv", f"the last row has {fields[1]} of {fields[0]} fields; the "
                           "answer looks cut short", content, line=content.count(b"\n") + 1)
    frame.columns = [names.dotted(str(column).strip()) for column in frame.columns]
    return frame


def _read_pandas(content: bytes) -> pd.DataFrame:
    """pandas' C parser: what every body gets read by when pyarrow's reader declines it (and
    the source of the error messages)."""
    try:
        return pd.read_csv(io.BytesIO(content), dtype=str, keep_default_na=False,
                           na_values=[""], engine="c", encoding="utf-8")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError,
            ValueError) as exc:
        problem = str(exc).replace("Error tokenizing data. C error: ", "").strip().rstrip(".")
        raise format_error("csv", problem or type(exc).__name__, content) from None


# pandas' text dtype for ``dtype=str``: pyarrow's reader can give it directly when it is
# pyarrow-backed with NaN for missing (pandas 3); older pandas reads with its own parser
_TEXT = pd.Series([""], dtype=str).dtype
_ARROW_TEXT = isinstance(_TEXT, pd.StringDtype) and _TEXT.storage == "pyarrow"
_TEXT_TYPES = {pa.large_string(): _TEXT}
_BOM = b"\xef\xbb\xbf"
_LONE_CR = re.compile(rb"\r(?!\n)")


def _read_arrow(content: bytes) -> pd.DataFrame | None:
    """The frame :func:`_read_pandas` gives, read by pyarrow's CSV reader (a third or less of
    the CPU: the columns come out as Arrow text, with no Python string per cell); None for a
    body it would read differently or not at all (a header with quotes, repeated or blank
    names, a single column, a lone carriage return, rows with a missing or an extra field, no
    records, bad UTF-8): pandas reads those."""
    if not _ARROW_TEXT:
        return None
    end = content.find(b"\n")
    header = content[:end if end >= 0 else len(content)].removeprefix(_BOM).rstrip(b"\r")
    if not header or b'"' in header or b"\r" in header or content.count(b'"') % 2:
        return None  # odd quotes: a field never closed (pyarrow reads it to the end)
    if _LONE_CR.search(content):
        return None  # a lone carriage return: the two readers split lines differently
    try:
        columns = header.decode("utf-8").split(",")
    except UnicodeDecodeError:
        return None
    if len(columns) < 2 or len(set(columns)) != len(columns) or not all(columns):
        return None  # one column: pandas skips a row holding only "" as blank
    text = pa.large_string()
    try:
        table = pa_csv.read_csv(
            io.BytesIO(content),
            read_options=pa_csv.ReadOptions(use_threads=False,
                                            block_size=max(len(content), 1 << 20)),
            parse_options=pa_csv.ParseOptions(newlines_in_values=True),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(columns, text), strings_can_be_null=True,
                null_values=[""], quoted_strings_can_be_null=True))
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    if table.num_rows == 0 or table.column_names != columns:
        return None
    frame: pd.DataFrame = table.to_pandas(types_mapper=_TEXT_TYPES.get)  # text not copied
    return frame


def _decode(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("{", "["):
        try:
            return loads(value)
        except ValueError:
            try:  # what orjson refuses and the json module reads (NaN, very large integers)
                return json.loads(value)
            except ValueError:
                return value
    return value


def _decode_all(values: list[Any]) -> list[Any]:
    """:func:`_decode` of every value; one orjson call per cell and no other Python call
    when every present cell is JSON orjson reads (a page's ``subresource_uris`` are)."""
    try:
        return [loads(v) if isinstance(v, str) and v[:1] in "{[" and v else v
                for v in values]
    except ValueError:
        return [_decode(v) for v in values]


def _first_value(column: pd.Series) -> Any:
    """The column's first value that is not missing ("" when there is none); the first row's
    when it has one (most do: no search)."""
    head = column.iloc[0] if len(column) else None
    if isinstance(head, str):
        return head
    first = column.first_valid_index()
    return "" if first is None else column[first]


def decode_object_cells(frame: pd.DataFrame, object_columns: Iterable[str]) -> pd.DataFrame:
    """Cells that hold JSON objects (``{"media": "/2010-04-01/..."}``) decoded, so that they
    flatten as the JSON answer's objects do: in the columns the catalog types as objects, and
    in any other column whose every value is a JSON object (the spec calls some objects
    strings, Call Events' ``request`` and ``response``; JSON and XML give them nested)."""
    objects = set(object_columns)
    for name in frame.columns:
        column = frame[name]
        if str(_first_value(column))[:1] not in ("{", "["):
            continue  # one value looked at: most columns are not JSON
        present = column.dropna()
        if name in objects:
            frame[name] = pd.Series(_decode_all(column.tolist()), index=frame.index,
                                    dtype=object)
        elif all(isinstance(v, str) and v[:1] == "{" for v in present):
            decoded = _decode_all(column.tolist())
            if all(isinstance(v, dict) for v in decoded if isinstance(v, dict | str)):
                frame[name] = pd.Series(decoded, index=frame.index, dtype=object)
    return frame


def _list_cell(value: Any) -> Any:
    """``[a,b]`` -> ``["a", "b"]``, ``[]`` -> ``[]``; JSON arrays (``["a", "b"]``) decoded;
    anything else (a missing cell, text that is not bracketed) as it came."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if not (text.startswith("[") and text.endswith("]")):
        return value
    inner = text[1:-1].strip()
    if not inner:
        return []
    if inner[:1] in ('"', "{", "["):
        decoded = _decode(text)
        if isinstance(decoded, list):
            return decoded
    return [item.strip() for item in inner.split(",")]


def _bracketed(column: pd.Series) -> bool:
    first = column.first_valid_index()  # one value looked at: most columns are not lists
    if first is None or not str(column[first]).startswith("["):
        return False
    present = column.dropna()
    text = present.astype(str).str.strip()
    return bool((text.str.startswith("[") & text.str.endswith("]")).all())


def decode_list_cells(frame: pd.DataFrame, list_columns: Iterable[str] = (),
                      known: Iterable[str] = ()) -> pd.DataFrame:
    """List cells as lists: the columns the catalog types as arrays (``list_columns``), and
    columns it does not know (not in ``known``) whose every value is bracketed."""
    lists, seen = set(list_columns), set(known)
    for name in frame.columns:
        if name in lists or (name not in seen and "." not in name
                             and _bracketed(frame[name])):
            column = frame[name]
            frame[name] = pd.Series([_list_cell(v) for v in column.tolist()],
                                    index=frame.index, dtype=object)
    return frame
