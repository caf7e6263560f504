"""What the columns of a Result's frame mean: Twilio's words for each (read at run time, see
:mod:`twilio_nb.catalog.words`), its dtype, type, enum and deprecated flag."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from ..catalog import Operation

__all__ = ["column_titles", "fields_of"]

COLUMNS = ["name", "dtype", "type", "description", "enum", "deprecated"]


def _row_for(column: str, known: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The catalog's row for ``column``; a nested column (``subresource_uris.media``) without
    words of its own takes the nearest parent's words."""
    own = dict(known.get(column) or {"name": column, "type": "", "description": "",
                                     "enum": "", "deprecated": False})
    parent = column
    while not own["description"] and "." in parent:
        parent = parent.rpartition(".")[0]
        own["description"] = (known.get(parent) or {}).get("description", "")
    own["name"] = column
    return own


def fields_of(frame: pd.DataFrame, op: Operation | None) -> pd.DataFrame:
    """One row per column of ``frame``: name, dtype, type, description, enum, deprecated."""
    import pandas as pd  # deferred: ``import twilio_nb`` loads no pandas

    from ..catalog.explain import field_rows  # deferred: it imports pandas
    from ..catalog.words import note  # deferred: the words load when they are asked for

    rows, available = field_rows(op) if op is not None else ([], False)
    known = {r["name"]: r for r in rows}
    out = pd.DataFrame([{**_row_for(str(c), known), "dtype": str(frame[c].dtype)}
                        for c in frame.columns], columns=COLUMNS)
    if op is not None:
        out.attrs["operation"] = op.label
    if op is not None and not available:
        out.attrs["note"] = note()
    return out


def column_titles(frame: pd.DataFrame, op: Operation | None) -> dict[str, str]:
    """Column -> its meaning, for the ``title`` of the HTML table's headers (empty without
    an operation or without Twilio's words)."""
    if op is None or frame.shape[1] == 0:
        return {}
    from ..catalog.explain import field_rows  # deferred: as above

    known = {r["name"]: r for r in field_rows(op)[0]}
    titles = {str(c): _row_for(str(c), known)["description"] for c in frame.columns}
    return {c: t for c, t in titles.items() if t}
