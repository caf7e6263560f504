"""``r.all(concurrency=N)``: :class:`ConcurrentWalk`, the date slices of a list walked at
once (:mod:`._slice_plan`) with the interface of the core's :class:`~..walk._walk.Walk`
(``frame()``, ``frames()``, ``result()``, ``cancel()``, ``resumed()``, ``records``,
``pages``, ``finished``, ``cancelled``, ``limit``, ``on_progress``), so that a front end
runs either the same way (the form's Load all does).

The frame is the one a sequential walk gives, in its order: the slices' pages are kept per
slice (a slice split while walked is followed by its older part, :mod:`._slice_scheduler`)
and joined newest slice first, then typed once. ``limit``: the walk stops once the
slices done in order hold that many records. A failure raises
:class:`~twilio_nb.errors.PagingError`: ``partial`` holds the records so far in the list's
order (slices not walked yet missing), ``resume()`` goes on where each slice stopped. A list
without a date filter is walked by one sequential Walk (a TwilioWarning says so), made here
from the walk wing (never through the page's own ``walk()``: paging does not call back into
the Result).

Its options (``concurrency``, ``limit``, ``since``, ``until``) come checked
(:class:`~twilio_nb.paging.WalkOptions`). Imports nothing above paging: no answers, session or front
end.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ...errors import PagingError, TwilioError
from ..walk._page_size import walk_start
from ..walk._walk import Walk
from ._slice_plan import SliceState, prepare
from ._slice_scheduler import SliceWalks

if TYPE_CHECKING:
    import pandas as pd

    from ..walk._page_types import ListPage, ProgressCallback
    from ._slice_dates import DateFilter

__all__ = ["ConcurrentWalk"]


class ConcurrentWalk:
    """The slices of ``first``'s list walked ``concurrency`` at a time (see the module)."""

    def __init__(self, first: ListPage, concurrency: int, *, since: Any = None,
                 until: Any = None, limit: int | None = None,
                 on_progress: ProgressCallback | None = None,
                 cancel: threading.Event | None = None) -> None:
        self.first, self.concurrency = first, concurrency
        self.since, self.until = since, until
        self.limit = limit
        self.on_progress = on_progress
        self.cancel_event = cancel if cancel is not None else threading.Event()
        self.progress = False
        self.finished = self.cancelled = False
        self._flt: DateFilter | None = None
        self._states: list[SliceState] | None = None
        self._sequential: Walk[ListPage] | None = None

    # -- what a Walk tells ----------------------------------------------------------------
    @property
    def records(self) -> int:
        if self._sequential is not None:
            return self._sequential.records
        return sum(len(p) for s in self._states or [] for p in s.pieces)

    @property
    def pages(self) -> int:
        if self._sequential is not None:
            return self._sequential.pages
        return sum(s.pages for s in self._states or [])

    def cancel(self) -> None:
        self.cancel_event.set()

    def plan(self) -> None:
        """Check the input and plan the slices (nothing is sent); done by the first run. A
        ConfigurationError before anything is sent."""
        if self._states is None:
            self._flt, self._states = prepare(self.first, self.concurrency, self.since,
                                              self.until)
            if self._flt is None and self._states:
                self._sequential = Walk(walk_start(self.first, self.limit), limit=self.limit,
                                        on_progress=self.on_progress, cancel=self.cancel_event)

    # -- running ---------------------------------------------------------------------------
    def frames(self) -> Iterator[pd.DataFrame]:
        """Runs the walk; the pages' frames are joined in order by :meth:`result` (nothing
        is yielded before the end: slices finish out of order)."""
        self.plan()
        if self._sequential is not None:
            yield from self._sequential.frames()
            self.finished = self._sequential.finished
            self.cancelled = self._sequential.cancelled
            return
        states = self._states
        assert states is not None

        def enough() -> bool:  # the slices done in order hold ``limit`` records
            count = 0
            for state in states:
                count += state.rows
                if self.limit is not None and count >= self.limit:
                    return True
                if not state.done:
                    return False
            return False

        def on_page(index: int, state: SliceState, frame: pd.DataFrame) -> None:
            if len(frame):  # an empty page (an empty slice) may lack columns: nothing kept
                state.pieces.append(frame)
            if self.limit is not None and enough():
                walks.stop()

        walks = SliceWalks(self.first, self._flt, states, self.concurrency, on_page,
                           progress=self.progress, on_progress=self.on_progress,
                           cancel=self.cancel_event)
        try:
            walks.run()
        except TwilioError as exc:
            raise self._failed(exc) from exc
        self.finished = all(s.done for s in states) or enough()
        self.cancelled = not self.finished and self.cancel_event.is_set()
        return
        yield  # a generator, like Walk.frames()

    def frame(self, progress: bool = False) -> pd.DataFrame:
        """Every record as one DataFrame (a tqdm bar of records and pages with
        ``progress``)."""
        self.progress = progress
        if self._states is None:
            self.plan()
        if self._sequential is not None:
            return self._sequential.frame(progress)
        for _ in self.frames():
            pass
        return self.result()

    def result(self) -> pd.DataFrame:
        """The records taken so far as one typed DataFrame, in the list's order."""
        if self._sequential is not None:
            return self._sequential.result()
        pieces: list[pd.DataFrame] = []
        count = 0
        for state in self._states or []:
            for piece in state.pieces:
                if self.limit is not None and count + len(piece) > self.limit:
                    piece = piece.iloc[: self.limit - count]
                pieces.append(piece)
                count += len(piece)
        return self.first.combine(pieces)

    def resumed(self, **_options: Any) -> ConcurrentWalk:
        """A walk that goes on where each slice stopped, keeping the records so far."""
        if self._sequential is not None:
            raise TwilioError("this walk went one page after the other: resume its "
                              "PagingError (err.resume()) instead")
        again = ConcurrentWalk(self.first, self.concurrency, since=self.since,
                               until=self.until, limit=self.limit,
                               on_progress=self.on_progress)
        again._flt, again._states = self._flt, self._states
        return again

    def _failed(self, exc: TwilioError) -> PagingError:
        cause = exc.cause if isinstance(exc, PagingError) and exc.cause is not None else exc
        states = self._states or []
        failed = next((s.next_uri for s in states if not s.done and s.started), None)
        progress = self.progress
        return PagingError(
            f"The concurrent walk stopped after {self.records} records: {cause}\nNothing is "
            "lost: err.partial holds the records fetched so far (in the list's order, with "
            "the slices not walked yet missing), and err.resume() goes on where each slice "
            "stopped.", partial=self.result(), failed_uri=failed, cause=cause,
            resume=lambda progress=progress: self.resumed().frame(progress))
