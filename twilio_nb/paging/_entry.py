"""The one entry to every walk: what a page (a Result) and the front ends call.

* :func:`before_sending`: the user's first request as it goes out: the range checked
  against its date filter, an unfinished export beside the Parquet target refused, the first
  page sized (1,000 records for a walk unless the user set a size). Nothing is sent.
* :func:`finish`: what the action asked for once the first page is in: the page itself, a
  walk's frame (:func:`all_records`) or a Parquet export (:func:`export`).
* :func:`walk_from` (the sequential walk, from a bigger first page where the user did not
  size it), :func:`open_walk` (that, or the date slices walked at once: what Load all runs).

Every option comes as one :class:`._options.WalkOptions`, checked when it was made.

Imports nothing above paging: no answers, session or front end; pyarrow (the export) only
inside :func:`export`.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from ._options import WalkOptions
from .export._export_checkpoint import ExportCheckpoint, export_identity, leftover
from .slices._concurrent import ConcurrentWalk
from .slices._slice_plan import check_range
from .walk._page_size import sized_request, walk_page_size, walk_start
from .walk._page_types import ListPage, ProgressCallback
from .walk._walk import Walk

if TYPE_CHECKING:
    import pandas as pd

    from ..request.built import BuiltRequest
    from .export._export_checkpoint import ParquetExport

__all__ = ["all_records", "before_sending", "export", "finish", "open_walk", "walk_from"]

P = TypeVar("P", bound=ListPage)


def before_sending(request: BuiltRequest, options: WalkOptions) -> BuiltRequest:
    """``request`` (the user's, not sent yet) checked against ``options`` and sized: a
    ConfigurationError before anything is sent when the range cannot apply or an unfinished
    export of another request waits beside the target (unless ``overwrite``)."""
    if options.since is not None or options.until is not None:
        check_range(request, options.since, options.until, options.range_prefix)
    if options.parquet is not None and not options.overwrite:
        wanted = export_identity(request, options.since, options.until)
        leftover(ExportCheckpoint(Path(options.parquet)), wanted, False, options.replace)
    size = options.page_size
    if size is None and options.walks:
        size = walk_page_size(options.limit)  # big pages for a walk, unless set
    return sized_request(request, size)


def walk_from(first: P, options: WalkOptions, *, on_progress: ProgressCallback | None = None,
              cancel: threading.Event | None = None, keep: bool = True) -> Walk[P]:
    """The sequential :class:`Walk` from ``first`` (or from it asked again with big pages:
    :func:`.walk._page_size.walk_start`)."""
    return Walk(walk_start(first, options.limit), limit=options.limit, prefetch=options.prefetch,
                on_progress=on_progress, cancel=cancel, keep=keep)


def open_walk(first: P, options: WalkOptions, *, on_progress: ProgressCallback | None = None,
              cancel: threading.Event | None = None) -> Walk[P] | ConcurrentWalk:
    """The walk ``options`` ask for: date slices at once (``concurrency``, ``since``,
    ``until``), else the sequential walk. Not started."""
    if not options.sliced:
        return walk_from(first, options, on_progress=on_progress, cancel=cancel)
    return ConcurrentWalk(first, options.concurrency, since=options.since, until=options.until,
                          limit=options.limit, on_progress=on_progress, cancel=cancel)


def all_records(first: P, options: WalkOptions) -> pd.DataFrame:
    """Every record (at most ``limit``) from ``first`` on as one DataFrame."""
    if first.format is None:  # a file or an empty answer: no records, no pages
        return first.df
    return open_walk(first, options).frame(progress=options.progress)


def export(first: ListPage, options: WalkOptions) -> ParquetExport:
    """``first``'s list streamed into ``options.parquet`` (see :mod:`.export._parquet`)."""
    from .export._parquet import export_parquet  # deferred: pyarrow only when exporting

    assert options.parquet is not None
    return export_parquet(first, options.parquet, concurrency=options.concurrency,
                          since=options.since, until=options.until,
                          overwrite=options.overwrite, progress=options.progress)


def finish(first: ListPage, options: WalkOptions) -> Any:
    """What the action asks for, from its first page: the export, the walk's frame, or the
    page itself."""
    if options.parquet is not None:
        return export(first, options)
    if options.walks:
        return all_records(first, options)
    return first
