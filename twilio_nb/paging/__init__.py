"""The one page walk: every paging control of twilio_nb goes through :class:`Walk`.

One cursor over Twilio's three paging styles (2010-04-01 JSON ``next_page_uri``, 2010-04-01
XML ``nextpageuri``, product APIs' ``meta.next_page_url``; a ``Link: <...>; rel="next"``
header for CSV where the server sends one). The next page's address is always the one the
server gave: page tokens are never built.

``r.all()``, ``r.pages()``, the magics' ``--all``/``--limit``, a shown Result's Load all and
the form's Load all all run a :class:`Walk`::

    walk = Walk(first, limit=None, prefetch=True, on_progress=callback, cancel=event)
    walk.frame()      # every record as one DataFrame, each column typed once
    walk.frames()     # or: the untyped frame of each page, one at a time (a streaming seam)
    walk.pages()      # or: each page as it comes (r.pages())

* prefetch: a thread fetches up to :data:`AHEAD` pages ahead while the caller converts the
  page in hand (see :mod:`.walk._ahead`);
* progress: ``on_progress(Progress(records, pages, has_next))`` after each page, from the
  thread that runs the walk (front ends set widget values there, nothing else);
* cancel: ``cancel.set()`` (or ``walk.cancel()``) from any thread stops the walk after the
  page in hand; the records so far are kept and ``walk.cancelled`` is True;
* limit: at most ``limit`` records; no page is fetched past it;
* failure: :class:`~twilio_nb.errors.PagingError` with ``partial`` (the records so far) and
  ``resume()`` (goes on from the page that failed); ``walk.resumed()`` is the same as a Walk.

A walk knows its pages only through the :class:`Page` protocols (a list's first page is a
:class:`ListPage`, and where it came from a :class:`PageOrigin`; a
:class:`~twilio_nb.answers.result.Result` is one), so this package imports neither the Result
nor the Connection, and never calls back into the Result.

This face is the package's one entry: a Result and the front ends reach every walk through
the names below, never through the private modules. What the user asked is one
:class:`WalkOptions` (each option checked there, once: :mod:`._options`); :func:`before_sending`
readies the user's first request (range, export checkpoint, page size), :func:`finish` walks or
exports from its answer, :func:`open_walk` is Load all's walk (:mod:`._entry`). Three wings,
each importing only the ones below it:

* :mod:`.walk`: the walk (:class:`Walk`, prefetch, the next-page cursor, big first pages, the
  page protocols, the progress bar, the collector's pause);
* :mod:`.slices`: date slices and concurrency (date maths, the plan, the scheduler that runs
  slices at once under the walk's own gate, :class:`ConcurrentWalk`);
* :mod:`.export`: the Parquet export and its checkpoint (pyarrow only once one starts).

Imports nothing above paging: no answers, session or front end (pages are known by the
protocols in :mod:`.walk._page_types`); never pandas or pyarrow at import time.
"""

from __future__ import annotations

from ..errors import PagingError
from ._entry import all_records, before_sending, export, finish, open_walk, walk_from
from ._options import WalkOptions, check_concurrency
from .export._export_checkpoint import ExportCheckpoint, ParquetExport
from .export._export_checkpoint import check_path as check_export_path
from .slices._concurrent import ConcurrentWalk
from .walk._ahead import AHEAD
from .walk._bar import records_bar
from .walk._cursor import join_uri
from .walk._gc_pause import collector_paused
from .walk._page_size import MAX_PAGE_SIZE
from .walk._page_types import ListPage, Page, PageOrigin, Progress, ProgressCallback
from .walk._walk import Walk

__all__ = [
           "AHEAD",
           "MAX_PAGE_SIZE",
           "ConcurrentWalk",
           "ExportCheckpoint",
           "ListPage",
           "Page",
           "PageOrigin",
           "PagingError",
           "ParquetExport",
           "Progress",
           "ProgressCallback",
           "Walk",
           "WalkOptions",
           "all_records",
           "before_sending",
           "check_concurrency",
           "check_export_path",
           "collector_paused",
           "export",
           "finish",
           "join_uri",
           "open_walk",
           "records_bar",
           "walk_from",
]
