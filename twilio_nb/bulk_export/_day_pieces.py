"""``parquet=PATH``: the export written day by day, resumable after a kill.

The same approach as ``to_parquet`` and its code, through paging's face: the target is
checked by :func:`~twilio_nb.paging.check_export_path`, the pieces and ``checkpoint.json``
live in ``<path>.partial/`` (:class:`~twilio_nb.paging.ExportCheckpoint`). Each day's typed
frame is one piece, recorded in the checkpoint once written; an export of the same resource,
range and account goes on from the days recorded, and one fetched from another target
(account, address, region/edge, sandbox: the rule of every resumable file,
:mod:`twilio_nb.request.target`) is refused unless ``overwrite``. At the end the pieces
are copied into the file one at a time (memory: one day), under one schema, and the partial
folder is removed.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..errors import ConfigurationError
from ..paging import ExportCheckpoint, check_export_path
from ..request.target import Target, differs

__all__ = ["DayWriter"]

VERSION = 1


class DayWriter:
    """Writes days as pieces of ``path`` and remembers them."""

    def __init__(self, path: str | os.PathLike[str], overwrite: bool, wanted: str,
                 where: Target) -> None:
        self.target = check_export_path(path, overwrite)
        self.check = ExportCheckpoint(self.target)
        data = self.check.load()
        why = _not_ours(data, wanted, where)
        if why is not None:
            if not overwrite:
                raise ConfigurationError(
                    f"{self.check.dir} holds an unfinished export {why}: give overwrite=True "
                    "to discard it, or export the same one to go on.", field="parquet")
            self.check.discard()
            data = None
        self.resumed = data is not None
        self.data: dict[str, Any] = data or {"version": VERSION, "request": wanted,
                                             "days": {}, "target": where.saved()}

    def done(self) -> dict[str, dict[str, Any]]:
        """day -> {file, records, size} written before."""
        days: dict[str, dict[str, Any]] = self.data["days"]
        return days

    def write(self, day: dt.date, frame: pd.DataFrame, size: int | None) -> None:
        self.check.dir.mkdir(exist_ok=True)
        name = f"{day.isoformat()}.parquet"
        table = pa.Table.from_pandas(frame, preserve_index=False)
        pq.write_table(table, self.check.dir / name)
        self.done()[day.isoformat()] = {"file": name, "records": len(frame), "size": size}
        self.check.save(self.data)

    def finish(self, empty: pd.DataFrame) -> Path:
        """The pieces, in day order, as the target file; the partial folder removed."""
        names = [self.done()[day]["file"] for day in sorted(self.done())]
        paths = [self.check.dir / name for name in names]
        schemas = [pq.read_schema(path) for path in paths]
        base = pa.Schema.from_pandas(empty, preserve_index=False)
        schema = _one_schema(schemas or [base])
        tmp = self.target.with_name(self.target.name + ".tmp")
        with pq.ParquetWriter(tmp, schema) as out:
            for path in paths:
                out.write_table(_conform(pq.read_table(path), schema))
            if not paths:
                out.write_table(_conform(pa.Table.from_pandas(empty, preserve_index=False),
                                         schema))
        os.replace(tmp, self.target)
        self.check.discard()
        return self.target


def _not_ours(data: dict[str, Any] | None, wanted: str, where: Target) -> str | None:
    """Why a checkpoint left beside the target cannot be gone on from (None: it can, or
    there is none): fetched from another target, or of another resource or range."""
    if data is None:
        return None
    elsewhere = differs(data.get("target"), where)
    if elsewhere:
        return f"fetched from another target ({elsewhere}), whose days are not this one's"
    if data.get("version") != VERSION or data.get("request") != wanted:
        return f"of another resource or range ({data.get('request')})"
    return None


def _one_schema(schemas: list[pa.Schema]) -> pa.Schema:
    """Every column of every piece; a column null in one piece takes another's type."""
    fields: dict[str, pa.Field] = {}
    for schema in schemas:
        for item in schema:
            known = fields.get(item.name)
            if known is None or pa.types.is_null(known.type):
                fields[item.name] = item
    return pa.schema(list(fields.values()), metadata=schemas[0].metadata)


def _conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    columns = []
    for item in schema:
        if item.name in table.column_names:
            column = table.column(item.name)
            columns.append(column if column.type == item.type else column.cast(item.type))
        else:
            columns.append(pa.nulls(len(table), item.type))
    return pa.Table.from_arrays(columns, schema=schema)
