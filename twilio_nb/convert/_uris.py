"""Resource URIs in one form whatever the format.

Twilio's JSON writes a 2010 resource's URIs with ``.json`` (``uri``, ``subresource_uris``,
``first_page_uri``...); its XML writes them without extension. So that every format gives the
same frame, URI columns read from XML or CSV take the JSON form: ``.json`` before the query
when the path has no extension (an address that answers JSON, as twilio-python reads it).
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["json_form_uris"]

_BARE = r"^(/2010-04-01/[^?]*[^?/])(\?.*)?$"
_WITH_EXTENSION = r"\.(?:json|xml|csv)(?:\?|$)"


def _is_uri_column(name: str) -> bool:
    last = name.rsplit(".", 1)[-1]
    return (name == "uri" or last.endswith("_uri") or name.startswith("subresource_uris.")
            or name.endswith(".uri"))


def json_form_uris(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its 2010 URI columns in the JSON form (changed in place).

    Every URI column is worked on at once (their chunks as one array, a dozen pyarrow string
    kernels in all, a regular expression only for URIs with a query: a record's URIs have
    none), then cut back into columns: a page of calls has eleven URI columns, and a
    dozen kernel calls per column cost more than the work itself."""
    columns = {name: frame[name] for name, dtype in frame.dtypes.items()
               if _is_uri_column(str(name)) and isinstance(dtype, pd.StringDtype)}
    if not columns:
        return frame
    names = list(columns)
    pieces = [_chunks(column) for column in columns.values()]
    fixed = _json_form(pa.chunked_array([c for chunks in pieces for c in chunks],
                                        type=pa.large_string()))
    if fixed is None:
        return frame
    start = 0
    for name, chunks in zip(names, pieces, strict=True):
        length = sum(len(chunk) for chunk in chunks)
        column = columns[name]
        frame[name] = pd.Series(pd.array(fixed.slice(start, length), dtype=column.dtype),
                                index=column.index, copy=False)
        start += length
    return frame


def _chunks(column: pd.Series) -> list[pa.Array]:
    """The column's text as pyarrow large strings (its own chunks when it has them)."""
    array = pa.array(column.array)
    chunks = array.chunks if isinstance(array, pa.ChunkedArray) else [array]
    return [chunk.cast(pa.large_string()) for chunk in chunks]


def _json_form(text: pa.ChunkedArray) -> pa.ChunkedArray | None:
    """``text`` with its bare 2010 URIs given ``.json``; None when none is bare."""
    api = pc.starts_with(text, "/2010-04-01/")
    if not pc.any(api).as_py():
        return None
    extension = pc.or_(pc.or_(pc.ends_with(text, ".json"), pc.ends_with(text, ".xml")),
                       pc.ends_with(text, ".csv"))
    if not _has_byte(text, b"?"):  # no query anywhere (a record's URIs): skip the search
        bare = pc.and_(api, pc.invert(extension))
        if not pc.any(bare).as_py():
            return None
        return pc.if_else(bare, pc.binary_join_element_wise(
            text, pa.scalar(".json", text.type), pa.scalar("", text.type)), text)
    query = pc.match_substring(text, "?")
    bare = pc.and_(api, pc.invert(pc.or_(extension, query)))
    fixed = pc.if_else(bare, pc.binary_join_element_wise(
        text, pa.scalar(".json", text.type), pa.scalar("", text.type)), text)
    queried = pc.and_(api, query)
    if pc.any(queried).as_py():
        bare = pc.and_(queried, pc.invert(pc.match_substring_regex(text, _WITH_EXTENSION)))
        return pc.if_else(bare, pc.replace_substring_regex(text, _BARE, r"\1.json\2"), fixed)
    if not pc.any(bare).as_py():
        return None
    return fixed


def _has_byte(text: pa.ChunkedArray, byte: bytes) -> bool:
    """Whether ``byte`` (ASCII) is anywhere in the text's data buffers: a search in C over
    the bytes, ~10 times cheaper than pyarrow's per-string substring search; True may come
    from bytes outside the array's slice (then the exact search runs)."""
    for chunk in text.chunks:
        data = chunk.buffers()[2]
        if data is not None and byte in data.to_pybytes():
            return True
    return False
