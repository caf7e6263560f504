"""``r.to_parquet(path, concurrency=N)``: a list streamed into a Parquet file page by page,
resumable after any interruption.

Pages arrive from the concurrent walk (:mod:`twilio_nb.bulk`; one walk when the list has no
date filter). Each page is typed as ``all()`` types it and written at once as one small
Parquet file into ``<path>.partial/`` (a directory beside the file), and
``<path>.partial/checkpoint.json`` records, slice by slice, the files written and the next
page's address. Memory holds the pages in hand (a few per worker), never the list.

When every slice is done, the pieces are copied in the list's order (newest slice first, each
slice's pages in order) into ``<path>`` through one ``pyarrow.parquet.ParquetWriter`` (one
piece in memory at a time), and the partial directory is removed. An interrupted export
(KeyboardInterrupt, a crash, a killed process, a :class:`~twilio_nb.errors.PagingError`)
leaves the directory; the same call again goes on from the checkpoint (pieces not recorded
in it are written again), and the file ends with exactly the rows of an uninterrupted export.

The schema: the catalog's types for the resource's properties (the dtypes of an empty
``all()`` frame), the first page's for the columns the catalog does not type (nested
fields); every piece is cast to it, so every row group has the same schema. A value that
cannot be cast (``all()`` would keep that column as text) is written as null, with a
TwilioWarning.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.parquet as pq

from .bulk import SliceState, prepare, request_for
from .errors import ConfigurationError, PagingError, TwilioError, TwilioWarning
from .slice_walks import SliceWalks
from .slices import date_filter

if TYPE_CHECKING:
    import threading

    import pandas as pd

    from .paging import ListPage, ProgressCallback

__all__ = ["ParquetExport", "export_parquet"]

CHECKPOINT = "checkpoint.json"
VERSION = 1


@dataclass(frozen=True)
class ParquetExport:
    """What ``to_parquet`` wrote: the file, its rows, the pages fetched for it, and whether
    it went on from a checkpoint."""

    path: Path
    rows: int
    pages: int
    resumed: bool


def _identity(first: ListPage) -> str:
    """The request an export is of (its URL without paging parameters) and its format."""
    built = request_for(first, None, [])
    return f"{built.response_format} {built.url}"


class _Checkpoint:
    """``<path>.partial/``: the pieces and ``checkpoint.json`` (written atomically)."""

    def __init__(self, path: Path) -> None:
        self.dir = path.with_name(path.name + ".partial")
        self.file = self.dir / CHECKPOINT

    def load(self) -> dict[str, Any] | None:
        try:
            data: dict[str, Any] = json.loads(self.file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except ValueError:
            raise ConfigurationError(f"{self.file} is not a twilio_nb checkpoint: remove "
                                     f"{self.dir} or give overwrite=True.") from None
        return data

    def save(self, data: dict[str, Any]) -> None:
        tmp = self.file.with_suffix(".tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, self.file)

    def discard(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


def _states(data: dict[str, Any]) -> list[SliceState]:
    out = []
    for item in data["slices"]:
        state = SliceState.restored(item)
        state.pieces = list(item["chunks"])  # the files written for the slice, in order
        out.append(state)
    return out


def _saved(states: list[SliceState]) -> list[dict[str, Any]]:
    return [{**s.saved(), "chunks": list(s.pieces)} for s in states]


def _schema(first: ListPage, typed: pd.DataFrame) -> pa.Schema:
    """The catalog's types, the page's for the columns the catalog does not type."""
    from .convert import empty_frame

    declared = pa.Schema.from_pandas(empty_frame(first.operation), preserve_index=False)
    page = pa.Schema.from_pandas(typed, preserve_index=False)
    fields = [declared.field(n) if n in declared.names else page.field(n)
              for n in typed.columns]
    # a declared object column the records spread into dotted columns is not added again
    fields += [f for f in declared if f.name not in typed.columns
               and not any(c.startswith(f"{f.name}.") for c in typed.columns)]
    return pa.schema(fields, metadata=page.metadata)


def _encode(schema: pa.Schema) -> str:
    return base64.b64encode(schema.serialize().to_pybytes()).decode()


def _decode(text: str) -> pa.Schema:
    return pa.ipc.read_schema(pa.py_buffer(base64.b64decode(text)))


def _conform(typed: pd.DataFrame, schema: pa.Schema) -> pa.Table:
    table = pa.Table.from_pandas(typed, preserve_index=False)
    columns = []
    for f in schema:
        if f.name not in table.column_names:
            columns.append(pa.nulls(len(table), f.type))
            continue
        column = table.column(f.name)
        if column.type != f.type:
            try:
                column = column.cast(f.type)
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
                warnings.warn(f"Column {f.name!r} holds values that are not {f.type} on this "
                              "page: written as null in the Parquet file (the file keeps one "
                              "type per column).", TwilioWarning, stacklevel=2)
                column = pa.nulls(len(table), f.type)
        columns.append(column)
    extra = [n for n in table.column_names if n not in schema.names]
    if extra:
        warnings.warn(f"Columns {extra} appear after the first page: left out of the Parquet "
                      "file (its schema is the first page's).", TwilioWarning, stacklevel=2)
    return pa.Table.from_arrays(columns, schema=schema)


def export_parquet(first: ListPage, path: str | os.PathLike[str], *, concurrency: int = 1,
                   since: Any = None, until: Any = None, overwrite: bool = False,
                   progress: bool = True, on_progress: ProgressCallback | None = None,
                   cancel: threading.Event | None = None) -> ParquetExport:
    """Stream ``first``'s list into ``path`` (see the module's text)."""
    target = Path(path)
    if target.is_dir():
        raise ConfigurationError(f"{target} is a directory: give a file path "
                                 "(e.g. 'messages.parquet').", field="path")
    if target.exists() and not overwrite:
        raise ConfigurationError(f"{target} exists already: give overwrite=True to replace it, "
                                 "or another path.", field="path")
    if not target.parent.is_dir():
        raise ConfigurationError(f"The folder {target.parent} does not exist: create it first.",
                                 field="path")
    check = _Checkpoint(target)
    data = check.load()
    identity = _identity(first)
    if data is not None and (data.get("version") != VERSION or data.get("request") != identity):
        if not overwrite:
            raise ConfigurationError(
                f"{check.dir} holds an unfinished export of another request "
                f"({data.get('request')}): give overwrite=True to discard it, or export the "
                "same request to go on.", field="path")
        check.discard()
        data = None
    resumed = data is not None
    if data is None:
        flt, states = prepare(first, concurrency, since, until)
        check.dir.mkdir(exist_ok=True)
        data = {"version": VERSION, "request": identity, "schema": None,
                "slices": _saved(states)}
        check.save(data)
    else:
        flt = date_filter(first.operation) if data["slices"][0]["slice"] else None
        states = _states(data)
    _forget_unrecorded(check.dir, [s.pieces for s in states])
    schema = _decode(data["schema"]) if data["schema"] else None

    def on_page(index: int, state: SliceState, frame: pd.DataFrame) -> None:
        nonlocal schema
        if not len(frame):  # an empty slice's page (its columns may differ): no piece
            data["slices"] = _saved(states)
            check.save(data)
            return
        typed = first.combine([frame])
        if schema is None:
            schema = _schema(first, typed)
            data["schema"] = _encode(schema)
        # slices are split and inserted while walked: a piece is named by its number
        name = f"p{sum(len(s.pieces) for s in states):07d}.parquet"
        tmp = check.dir / (name + ".tmp")
        pq.write_table(_conform(typed, schema), tmp)
        os.replace(tmp, check.dir / name)
        state.pieces.append(name)
        data["slices"] = _saved(states)
        check.save(data)

    walks = SliceWalks(first, flt, states, concurrency, on_page, progress=progress,
                       on_progress=on_progress, cancel=cancel)
    try:
        walks.run()
    except TwilioError as exc:
        cause = exc.cause if isinstance(exc, PagingError) and exc.cause is not None else exc
        raise PagingError(
            f"The export stopped after {sum(s.rows for s in states)} records: {cause}\n"
            f"Nothing is lost: the pages so far are in {check.dir}; the same to_parquet call "
            "(or err.resume()) goes on from there.", partial=first.combine([]),
            failed_uri=None, cause=cause,
            resume=lambda progress=True: export_parquet(
                first, target, concurrency=concurrency, overwrite=overwrite,
                progress=progress, on_progress=on_progress)) from exc
    if not all(s.done for s in states):  # cancelled: the checkpoint stays for next time
        return ParquetExport(target, sum(s.rows for s in states),
                             sum(s.pages for s in states), resumed)
    if schema is None:
        schema = _schema(first, first.combine([]))
    _assemble(check.dir, [s.pieces for s in states], schema, target)
    check.discard()
    return ParquetExport(target, sum(s.rows for s in states), sum(s.pages for s in states),
                         resumed)


def _forget_unrecorded(folder: Path, chunks: list[list[str]]) -> None:
    """Remove pieces a killed export wrote after its last checkpoint (written again)."""
    known = {name for files in chunks for name in files} | {CHECKPOINT}
    for item in folder.iterdir():
        if item.name not in known:
            item.unlink()


def _assemble(folder: Path, chunks: list[list[str]], schema: pa.Schema, target: Path) -> None:
    """The pieces, in the list's order, into ``target`` (one piece in memory at a time)."""
    tmp = target.with_name(target.name + ".tmp")
    with pq.ParquetWriter(tmp, schema) as writer:
        pieces = [name for files in chunks for name in files]
        if not pieces:
            writer.write_table(schema.empty_table())
        for name in pieces:
            writer.write_table(pq.read_table(folder / name, schema=schema))
    os.replace(tmp, target)
