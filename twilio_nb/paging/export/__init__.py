"""Export: a list streamed into a Parquet file, resumable from its checkpoint.

* :mod:`._export_checkpoint`: the target checked, :class:`ExportCheckpoint`
  (``<path>.partial/`` and its ``checkpoint.json``), :func:`export_identity` (the request
  and range an export is of), :class:`ParquetExport` (what an export returns); no pyarrow;
* :mod:`._parquet`: :func:`export_parquet`, the pages written as pieces and assembled
  (pyarrow, imported when an export starts).

Imports the slices wing (the pages come from date slices walked at once), the walk wing's
types, convert, errors; never paging's entry or options.
"""
