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
    """``frame`` with its 2010 URI columns in the JSON form (changed in place): a few passes
    of pyarrow's string kernels per URI column; a regular expression only for URIs with a
    query (a record's URIs have none)."""
    for name in frame.columns:
        if not _is_uri_column(str(name)):
            continue
        column = frame[name]
        if not isinstance(column.dtype, pd.StringDtype):
            continue
        text = pa.array(column.array)
        api = pc.starts_with(text, "/2010-04-01/")
        if not pc.any(api).as_py():
            continue
        extension = pc.or_(pc.or_(pc.ends_with(text, ".json"), pc.ends_with(text, ".xml")),
                           pc.ends_with(text, ".csv"))
        query = pc.match_substring(text, "?")
        bare = pc.and_(api, pc.invert(pc.or_(extension, query)))
        fixed = pc.if_else(bare, pc.binary_join_element_wise(
            text, pa.scalar(".json", text.type), pa.scalar("", text.type)), text)
        queried = pc.and_(api, query)
        if pc.any(queried).as_py():
            bare = pc.and_(queried, pc.invert(pc.match_substring_regex(text, _WITH_EXTENSION)))
            fixed = pc.if_else(bare, pc.replace_substring_regex(text, _BARE, r"\1.json\2"),
                               fixed)
        elif not pc.any(bare).as_py():
            continue
        frame[name] = pd.Series(pd.array(fixed, dtype=column.dtype), index=column.index,
                                copy=False)
    return frame
