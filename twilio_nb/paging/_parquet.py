"""``r.to_parquet(path, concurrency=N)``: a list streamed into a Parquet file page by page,
resumable after any interruption.

Pages arrive from the concurrent walk (:mod:`._slice_plan`; one walk when the list has no
date filter). Each page is typed as ``all()`` types it and written at once as one small
Parquet file into ``<path>.partial/`` (a directory beside the file), and
``<path>.partial/checkpoint.json`` records, slice by slice, the files written and the next
page's address. Memory holds the pages in hand (a few per worker), never the list: after each
piece the thread that wrote it hands pyarrow's freed memory back
(``MemoryPool.release_unused``; pyarrow's default mimalloc pool otherwise keeps it per
thread, which with 8 workers cost about 100 MB at 200,000 messages).

When every slice is done, the pieces are copied in the list's order (newest slice first, each
slice's pages in order) into ``<path>`` through one ``pyarrow.parquet.ParquetWriter``, one
row group at a time, and the partial directory is removed. (The pieces are kept to the end,
rather than the pages in order written straight into the file, because a Parquet file is
readable only once closed: the pieces are what a killed export resumes from.) An interrupted
export (KeyboardInterrupt, a crash, a killed process, a
:class:`~twilio_nb.errors.PagingError`) leaves the directory; the same call again goes on
from the checkpoint (pieces not recorded in it are written again), and the file ends with
exactly the rows of an uninterrupted export. The PagingError of a failed export is an
:class:`ExportPagingError`: its ``partial`` reads the rows written so far back from the pieces,
in the list's order, when first asked for (they are then all in memory, as ``all()`` would
hold them; ``records_fetched`` counts them without reading).

The schema: the catalog's types for the resource's properties (the dtypes of an empty
``all()`` frame), the first page's for the columns the catalog does not type (nested
fields). A page with a column the schema lacks (a nested key first seen there) widens it:
the column goes where ``all()`` puts it (the catalog's column order), and a column known
only as empty (null) takes the type its first values bring. Every piece is cast to the
schema as it stands, and the final pass casts the earlier pieces to the widened one (nulls
where a column came later), so every row group has the same schema. A value that cannot be
cast (``all()`` would keep that column as text) is written as null, with a TwilioWarning.

The target and the checkpoint file are :mod:`._checkpoint`'s (checked before anything is
sent); this module is reached only through :func:`twilio_nb.paging.export` (pyarrow is
imported when an export starts). Imports nothing above paging: no answers, session or front
end.
"""

from __future__ import annotations

import base64
import json
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..convert import empty_frame, order_columns
from ..errors import PagingError, TwilioError, warn
from ._checkpoint import (
    VERSION,
    Checkpoint,
    ParquetExport,
    forget_unrecorded,
    identity,
    in_order,
    leftover,
    saved_states,
    states_of,
)
from ._slice_dates import date_filter
from ._slice_plan import SliceState, prepare
from ._slice_scheduler import SliceWalks

if TYPE_CHECKING:
    from ..catalog import Operation
    from ._types import ListPage, ProgressCallback

__all__ = ["ExportPagingError", "ParquetExport", "export_parquet"]

def _schema(first: ListPage, typed: pd.DataFrame) -> pa.Schema:
    """The catalog's types, the page's for the columns the catalog does not type."""
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


def _widened(schema: pa.Schema, page: pa.Schema, operation: Operation | None) -> pa.Schema:
    """``schema`` with the columns ``page`` adds (where ``all()`` puts them: the catalog's
    column order), and a column it knows only as null typed as ``page`` types it; its pandas
    metadata names the new columns too."""
    fields = [page.field(f.name) if pa.types.is_null(f.type) and f.name in page.names
              and not pa.types.is_null(page.field(f.name).type) else f for f in schema]
    added = [f for f in page if f.name not in schema.names]
    if not added and fields == list(schema):
        return schema
    metadata = dict(schema.metadata or {})
    if b"pandas" in metadata and page.metadata and b"pandas" in page.metadata:
        ours, theirs = json.loads(metadata[b"pandas"]), json.loads(page.metadata[b"pandas"])
        changed = {f.name for f in fields} - {f.name for f in schema if f in fields}
        names = {f.name for f in added} | changed
        ours["columns"] = [c for c in ours["columns"] if c.get("name") not in changed] + [
            c for c in theirs["columns"] if c.get("name") in names]
        metadata[b"pandas"] = json.dumps(ours).encode()
    fields += added
    if operation is not None:
        at = {f.name: f for f in fields}
        fields = [at[name] for name in order_columns(at, operation)]
    return pa.schema(fields, metadata=metadata)


def _conform(typed: pd.DataFrame, schema: pa.Schema, operation: Operation | None
             ) -> tuple[pa.Table, pa.Schema]:
    """The page as a table of ``schema`` widened by the page's new columns (and that
    schema)."""
    table = pa.Table.from_pandas(typed, preserve_index=False)
    schema = _widened(schema, table.schema, operation)
    return _cast(table, schema), schema


def _cast(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """``table``'s columns as ``schema`` has them: cast, nulls where it has none."""
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
                warn(f"Column {f.name!r} holds values that are not {f.type} on this page: "
                     "written as null in the Parquet file (the file keeps one type per "
                     "column).")
                column = pa.nulls(len(table), f.type)
        columns.append(column)
    return pa.Table.from_arrays(columns, schema=schema)


class ExportPagingError(PagingError):
    """The :class:`~twilio_nb.errors.PagingError` of a failed ``to_parquet``: ``partial``
    reads the rows written so far back from the pieces in ``<path>.partial/``, in the list's
    order, when first asked for (all of them in memory then); ``records_fetched`` counts them
    without reading; ``resume()`` goes on with the export (a :class:`ParquetExport`);
    ``folder`` is the partial directory."""

    def __init__(self, message: str, *, folder: Path, pieces: list[str], rows: int,
                 empty: pd.DataFrame, cause: BaseException, resume: Any) -> None:
        self.folder, self._pieces, self._rows = folder, pieces, rows
        self._read: pd.DataFrame | None = None
        self._empty = empty
        super().__init__(message, partial=empty, failed_uri=None, cause=cause, resume=resume)

    @property
    def partial(self) -> pd.DataFrame:
        if self._read is None:
            self._read = _read_back(self.folder, self._pieces, self._empty)
        return self._read

    @partial.setter
    def partial(self, value: pd.DataFrame) -> None:  # PagingError's __init__ sets it
        self._empty = value

    @property
    def records_fetched(self) -> int:
        return self._rows


def _read_back(folder: Path, pieces: list[str], empty: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``pieces`` as one DataFrame (as ``pd.read_parquet`` of the finished file
    reads them), ``empty``'s attrs; raises TwilioError once the pieces are gone."""
    if not pieces:
        return empty
    missing = [name for name in pieces if not (folder / name).exists()]
    if missing:
        raise TwilioError(f"The pieces of this export are gone from {folder} (the export was "
                          "resumed and finished, or the folder removed): read the Parquet "
                          "file instead.")
    frame = pd.concat([pd.read_parquet(folder / name) for name in pieces], ignore_index=True)
    frame.attrs.update(empty.attrs)
    return frame


def export_parquet(first: ListPage, path: str | os.PathLike[str], *, concurrency: int = 1,
                   since: Any = None, until: Any = None, overwrite: bool = False,
                   progress: bool = True, on_progress: ProgressCallback | None = None,
                   cancel: threading.Event | None = None) -> ParquetExport:
    """Stream ``first``'s list into ``path`` (see the module's text)."""
    target = Path(path)  # checked with the options (WalkOptions), before anything was sent
    check = Checkpoint(target)
    wanted = identity(first.request, since, until)
    where = getattr(first.origin, "target", None)  # where the pages come from, when known
    data = leftover(check, wanted, overwrite, "give overwrite=True", where)
    resumed = data is not None
    if data is None:  # the range checked against the request here (one left is of this range)
        flt, states = prepare(first, concurrency, since, until)
        check.dir.mkdir(exist_ok=True)
        data = {"version": VERSION, "request": wanted, "schema": None,
                "slices": saved_states(states), "written": 0,
                "target": where.saved() if where is not None else None}
        check.save(data)
    else:
        flt = date_filter(first.operation) if data["slices"][0]["slice"] else None
        states = states_of(data)
    forget_unrecorded(check.dir, states)
    schema = _decode(data["schema"]) if data["schema"] else None
    pool = pa.default_memory_pool()

    shared = threading.Lock()  # the schema and the pieces' counter, among the workers

    def convert(_state: SliceState, frame: pd.DataFrame) -> str | None:
        # in the worker that fetched the page, outside the walks' lock: the piece's file
        nonlocal schema
        if not len(frame):  # an empty slice's page (its columns may differ): no piece
            return None
        typed = first.combine([frame])
        with shared:
            if schema is None:
                schema = _schema(first, typed)
            table, schema = _conform(typed, schema, first.operation)
            data["schema"] = _encode(schema)  # (only widens: it covers the earlier pieces)
            # a name no other piece had, whatever the slices' indexes (slices may be split)
            written = data.get("written", sum(len(s.pieces) for s in states))
            data["written"] = written + 1
        del typed
        name = f"p{written:07d}.parquet"
        tmp = check.dir / (name + ".tmp")
        pq.write_table(table, tmp)
        del table
        pool.release_unused()  # this thread's freed pyarrow memory (see the module's text)
        os.replace(tmp, check.dir / name)
        return name

    def on_page(_index: int, state: SliceState, name: str | None) -> None:
        # under the walks' lock: the piece recorded with its slice's place in the list
        if name is not None:
            state.pieces.append(name)
        with shared:
            data["slices"] = saved_states(walks.states)
            check.save(data)

    walks = SliceWalks(first, flt, states, concurrency, on_page, convert=convert,
                       progress=progress, on_progress=on_progress, cancel=cancel)
    try:
        walks.run()
    except TwilioError as exc:
        cause = exc.cause if isinstance(exc, PagingError) and exc.cause is not None else exc
        rows = sum(s.rows for s in walks.states)
        raise ExportPagingError(
            f"The export stopped after {rows} records: {cause}\n"
            f"Nothing is lost: the pages so far are in {check.dir} (err.partial reads them "
            "back); the same to_parquet call (or err.resume()) goes on from there.",
            folder=check.dir, pieces=in_order(walks.states), rows=rows,
            empty=first.combine([]), cause=cause,
            resume=lambda progress=True: export_parquet(
                first, target, concurrency=concurrency, since=since, until=until,
                overwrite=overwrite, progress=progress, on_progress=on_progress)) from exc
    states = walks.states
    if not all(s.done for s in states):  # cancelled: the checkpoint stays for next time
        return ParquetExport(target, sum(s.rows for s in states),
                             sum(s.pages for s in states), resumed)
    if schema is None:
        schema = _schema(first, first.combine([]))
    _assemble(check.dir, in_order(states), schema, target)
    check.discard()
    return ParquetExport(target, sum(s.rows for s in states), sum(s.pages for s in states),
                         resumed)


def _assemble(folder: Path, pieces: list[str], schema: pa.Schema, target: Path) -> None:
    """The pieces, in the list's order, into ``target``: one row group in memory at a time,
    read without pyarrow's thread pool, freed memory handed back after each piece (a
    ``pq.read_table`` per piece kept about 100 MB at 200 pieces)."""
    tmp = target.with_name(target.name + ".tmp")
    pool = pa.default_memory_pool()
    with pq.ParquetWriter(tmp, schema) as writer:
        if not pieces:
            writer.write_table(schema.empty_table())
        for name in pieces:
            with pq.ParquetFile(folder / name) as piece:
                for group in range(piece.num_row_groups):
                    # an earlier piece lacks the columns later pages added: nulls there
                    writer.write_table(_cast(piece.read_row_group(group, use_threads=False),
                                             schema))
            pool.release_unused()
    os.replace(tmp, target)
