"""Resource URIs in one form whatever the format.

Twilio's JSON writes a 2010 resource's URIs with ``.json`` (``uri``, ``subresource_uris``,
``first_page_uri``...); its XML writes them without extension. So that every format gives the
same frame, URI columns read from XML or CSV take the JSON form: ``.json`` before the query
when the path has no extension (an address that answers JSON, as twilio-python reads it).
"""

from __future__ import annotations

import pandas as pd

__all__ = ["json_form_uris"]

_BARE = r"^(/2010-04-01/[^?]*[^?/])(\?.*)?$"
_WITH_EXTENSION = r"\.(?:json|xml|csv)(?:\?|$)"


def _is_uri_column(name: str) -> bool:
    last = name.rsplit(".", 1)[-1]
    return (name == "uri" or last.endswith("_uri") or name.startswith("subresource_uris.")
            or name.endswith(".uri"))


def json_form_uris(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its 2010 URI columns in the JSON form (changed in place)."""
    for name in frame.columns:
        if not _is_uri_column(str(name)):
            continue
        column = frame[name]
        if column.dtype == object and not all(isinstance(v, str) for v in column.dropna()):
            continue
        text = column.astype("string")
        bare = text.str.match(_BARE, na=False) & ~text.str.contains(_WITH_EXTENSION, na=False)
        if bare.any():
            fixed = text.str.replace(_BARE, r"\1.json\2", regex=True)
            frame[name] = column.where(~bare, fixed.astype(object)).astype(column.dtype)
    return frame
