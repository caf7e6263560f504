"""Many pages as one typed DataFrame, each column typed once.

A walk over pages keeps each page's frame as it came (text columns, dates still text) and
types at the end: one date parse, one number conversion per column over every record,
instead of one per page. Column by column, so that a column's pieces are let go as soon as
it is typed: the walk never holds two copies of every record.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from pandas.api.extensions import ExtensionDtype

from ._column_types import empty_frame, type_column, typed_frame

if TYPE_CHECKING:
    from ..catalog import Operation

__all__ = ["combine_pages"]


def combine_pages(pieces: list[pd.DataFrame], operation: Operation | None) -> pd.DataFrame:
    """The untyped frames of consecutive pages (``PageReader.raw()``) as one typed frame, the
    same as typing their concatenation. ``pieces`` is emptied: its frames are let go column by
    column as they are typed."""
    total = sum(len(piece) for piece in pieces)
    if total == 0 and operation is not None:
        pieces.clear()
        return empty_frame(operation)
    names = list(dict.fromkeys(name for piece in pieces for name in piece.columns))
    parts = [(len(piece), {str(name): column for name, column in piece.items()})
             for piece in pieces]
    pieces.clear()
    index = pd.RangeIndex(total)
    columns: dict[str, pd.Series] = {}
    for name in names:
        columns[name] = type_column(name, _joined(parts, name, index), operation)
    return typed_frame(columns, operation, index)


def _joined(parts: list[tuple[int, dict[str, pd.Series]]], name: str,
            index: pd.RangeIndex) -> pd.Series:
    """Column ``name`` of every part, one after the other (NaN where a part lacks it); the
    parts' pieces of it are let go."""
    pieces: list[pd.Series] = []
    starts: list[int] = []
    start = 0
    for length, columns in parts:
        piece = columns.pop(name, None)
        if piece is not None:
            pieces.append(piece)
            starts.append(start)
        start += length
    if len(pieces) == len(parts):  # every page has the column (Twilio's pages do)
        return _concat(pieces, index)
    placed = [piece.set_axis(pd.RangeIndex(at, at + len(piece)))
              for at, piece in zip(starts, pieces, strict=True)]
    return (pd.concat(placed) if len(placed) > 1 else placed[0]).reindex(index)


def _concat(pieces: list[pd.Series], index: pd.RangeIndex) -> pd.Series:
    """``pd.concat(pieces, ignore_index=True)``; when the pieces share their dtype, their
    arrays are joined directly (pyarrow text: its chunks, without copying)."""
    dtype = pieces[0].dtype
    if any(piece.dtype != dtype for piece in pieces):
        return pd.concat(pieces, ignore_index=True)
    if isinstance(dtype, ExtensionDtype):
        arrays = [piece.array for piece in pieces]
        # ExtensionArray's documented interface method (pandas.api.extensions); pd.concat
        # over 200 pages of pyarrow text is ~15x slower
        values = type(arrays[0])._concat_same_type(arrays)
        return pd.Series(values, index=index, copy=False)
    joined = np.concatenate([piece.to_numpy() for piece in pieces])
    return pd.Series(joined, index=index, dtype=dtype, copy=False)
