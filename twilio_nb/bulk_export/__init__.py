"""Bulk Export: a resource's history, day by day, into the same typed frame as its list.

    x = conn.bulk_export("Messages", since="2025-01-01", until="2025-03-31")
    x.df        # typed like List Messages' frame, for the fields the day files have
    x.days      # day, size, records, status, job_sid
    x.jobs; x.missing

Twilio's Bulk Export API (``bulkexports.twilio.com/v1``) keeps one gzip JSON-lines file per
day; days without one are made by jobs. Parts: :mod:`._link` (the connection's face, the
API's facts, the checks), :mod:`._days` (the Days list, each day's status), :mod:`._jobs`
(jobs and the quota), :mod:`._files` (the 307, the storage GET without credentials, the
reader), :mod:`._day_pieces` (``parquet=PATH``), :mod:`._run` (one export), :mod:`._bulk_result`.

Imports the core below it (catalog, convert, transport's helpers, paging's face), never the
session, answers' internals, a front end or the sandbox. docs/bulk.md says when to use it.
"""

from __future__ import annotations

from ._bulk_result import BulkExport
from ._link import RESOURCES, Link
from ._run import ExportOptions, run_export

__all__ = ["RESOURCES", "BulkExport", "ExportOptions", "Link", "run_export"]
