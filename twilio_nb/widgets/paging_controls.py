"""Next page, Load all (progress, Cancel, Resume): the paging controls under a shown Result
and in the form's result area.

They only start the core's walk (:func:`twilio_nb.paging.open_walk`, the one ``r.all()``
runs, sliced with "at once" above 1) and render where it is. Load all runs the walk in a
thread, so that the kernel handles a Cancel click meanwhile; the walk's callbacks set widget
values (a progress bar's value, an HTML widget's value) and nothing else: no Output widget,
no ``display`` from that thread. Imports paging's face and answers; never its private modules.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from ..answers.tables import walk_summary
from ..errors import PagingError, TwilioError
from ..paging import ConcurrentWalk, Progress, Walk, WalkOptions, open_walk
from ._common import escape, hide, note, show

if TYPE_CHECKING:
    import pandas as pd

    from ..answers.result import Result

__all__ = ["BackgroundWalk", "PagingControls"]

CONCURRENCY = (1, 2, 4, 8, 16)
CONCURRENCY_TIP = ("Load all: date slices fetched at once (.all(concurrency=N) in code); "
                   "1 fetches one page after the other")
OUTCOME_STYLE = {"done": "success", "limit": "success", "cancelled": "warning",
                 "failed": "danger"}


class BackgroundWalk:
    """A core :class:`~twilio_nb.paging.Walk` run in a thread.

    ``on_progress(Progress)`` after each page and ``on_done(self)`` once at the end, both in
    the walk's thread. At the end: ``frame`` (every record taken, typed once, as ``r.all()``
    gives it), ``outcome`` (done, limit, cancelled, failed) and ``error``.
    """

    def __init__(self, walk: Walk[Result] | ConcurrentWalk,
                 on_progress: Callable[[Progress], None],
                 on_done: Callable[[BackgroundWalk], None]) -> None:
        self.walk = walk
        walk.on_progress = on_progress
        self._on_progress = on_progress
        self._on_done = on_done
        self.frame: pd.DataFrame | None = None
        self.outcome: str | None = None
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="twilio_nb load all",
                                        daemon=True)

    @property
    def pages(self) -> int:
        return self.walk.pages

    @property
    def records(self) -> int:
        return self.walk.records

    def start(self) -> BackgroundWalk:
        self._thread.start()
        return self

    def cancel(self) -> None:
        """Stop after the page in hand; the records so far are kept."""
        self.walk.cancel()

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def join(self, timeout: float | None = None) -> bool:
        """Wait for the walk to end; True when it has."""
        if self._thread.ident is not None:
            self._thread.join(timeout)
        return not self._thread.is_alive()

    def resumed(self, on_progress: Callable[[Progress], None] | None = None,
                on_done: Callable[[BackgroundWalk], None] | None = None) -> BackgroundWalk:
        """A walk (not started) that goes on where this one stopped, keeping its records."""
        return BackgroundWalk(self.walk.resumed(), on_progress or self._on_progress,
                              on_done or self._on_done)

    def _run(self) -> None:
        try:
            for _ in self.walk.frames():
                pass
            self.outcome = ("cancelled" if self.walk.cancelled else
                            "limit" if self.walk.limit is not None and not self.walk.finished
                            else "done")
        except PagingError as exc:
            self.outcome, self.error = "failed", exc.cause or exc
        except Exception as exc:  # a bug: shown in the error card (a thread has no one to
            self.outcome, self.error = "failed", exc  # raise it to)
        try:
            self.frame = self.walk.result()
        except Exception as exc:  # nothing fetched at all, or typing failed: said, not lost
            self.outcome, self.error = "failed", self.error or exc
        self._on_done(self)


class PagingControls:
    """The buttons and the progress of paging over ``first`` (set with :meth:`reset`).

    ``on_page(result)``: Next page fetched ``result`` (called in the kernel's thread).
    ``on_walked(walk)``: a Load all ended (called in the walk's thread: set values only).
    ``on_error(exc)``: Next page failed. ``widgets``: the controls, for the owner's layout.
    """

    def __init__(self, on_page: Callable[[Result], None],
                 on_walked: Callable[[BackgroundWalk], None],
                 on_error: Callable[[BaseException], None]) -> None:
        self._on_page = on_page
        self._on_walked = on_walked
        self._on_error = on_error
        self.first: Result | None = None
        self.result: Result | None = None
        self.walk: BackgroundWalk | None = None
        self.next_button = widgets.Button(description="Next page", icon="arrow-right",
                                          disabled=True, tooltip="Fetch the next page")
        self.load_all_button = widgets.Button(description="Load all", icon="forward",
                                              disabled=True,
                                              tooltip="Fetch every page into one DataFrame")
        self.cancel_button = widgets.Button(description="Cancel", icon="stop",
                                            button_style="warning")
        self.progress = widgets.IntProgress(value=0, min=0, max=1, description="Loading",
                                            layout=widgets.Layout(width="320px"))
        self.progress_label = widgets.HTML()
        self.concurrency = widgets.Dropdown(
            options=CONCURRENCY, value=1, description="at once", tooltip=CONCURRENCY_TIP,
            layout=widgets.Layout(width="130px"), style={"description_width": "50px"})
        self.next_button.on_click(self._next_page)
        self.load_all_button.on_click(self._load_all)
        self.cancel_button.on_click(self._cancel)
        self.widgets = [self.next_button, self.load_all_button, self.concurrency,
                        self.cancel_button, self.progress, self.progress_label]
        hide(self.cancel_button)
        hide(self.progress)

    @property
    def pageable(self) -> bool:
        """Is there anything to page: a list answer whose first page names a next one?"""
        return self.first is not None and self.first.has_next_page

    @property
    def busy(self) -> bool:
        return self.walk is not None and self.walk.running

    def reset(self, first: Result | None) -> None:
        """Page over ``first`` from now on; a running walk is stopped and forgotten."""
        self.stop()
        self.first = self.result = first
        self.progress_label.value = ""
        self.load_all_button.description = "Load all"
        hide(self.cancel_button)
        hide(self.progress)
        self.buttons()

    def stop(self) -> None:
        if self.walk is not None and self.walk.running:
            self.walk.cancel()
        self.walk = None

    def buttons(self) -> None:
        has_next = self.result is not None and self.result.has_next_page
        self.next_button.disabled = self.busy or not has_next
        self.load_all_button.disabled = self.busy or not self.pageable
        self.concurrency.disabled = self.busy or not self.pageable

    # -- Next page (in the kernel's thread: a click handler) ----------------------------------
    def _next_page(self, _button: Any = None) -> None:
        if self.result is None or self.busy:
            return
        self.next_button.disabled = True
        try:
            nxt = self.result.next_page()
        except TwilioError as exc:  # the owner's card says what happened
            self._on_error(exc)
            self.buttons()
            return
        self.result = nxt
        self.buttons()
        self._on_page(nxt)

    # -- Load all -------------------------------------------------------------------------------
    def _load_all(self, _button: Any = None) -> None:
        if self.first is None or self.busy:
            return
        last = self.walk
        resume = last is not None and last.outcome in ("cancelled", "failed") and \
            self.load_all_button.description == "Resume"
        self.progress.bar_style = ""
        self.progress.description = "Loading"
        if not resume:
            self.progress.value, self.progress.max = 0, 1
        self.progress_label.value = note("resuming …" if resume else "starting …")
        show(self.progress)
        show(self.cancel_button)
        self.cancel_button.disabled = False
        self.next_button.disabled = self.load_all_button.disabled = True
        self.concurrency.disabled = True

        def progressed(p: Progress) -> None:
            if walk is self.walk:  # not a walk left behind by a newer answer
                self._progressed(p)

        def done(finished: BackgroundWalk) -> None:
            if finished is self.walk:
                self._done(finished)

        if resume:
            assert last is not None
            walk = last.resumed(progressed, done)
        else:  # the core's walk: date slices at once with concurrency > 1 (r.all(concurrency=N))
            options = WalkOptions(every=True, concurrency=self.concurrency.value)
            walk = BackgroundWalk(open_walk(self.first, options), progressed, done)
        self.walk = walk
        walk.start()

    def _progressed(self, p: Progress) -> None:
        per_page = max(1, p.records // max(1, p.pages))
        self.progress.max = max(1, p.records + (per_page if p.has_next else 0))
        self.progress.value = p.records
        self.progress_label.value = note(f"{p.records:,} records, {p.pages} pages"
                                         + (" …" if p.has_next else ""))

    def _done(self, walk: BackgroundWalk) -> None:
        outcome = walk.outcome or "failed"
        self.progress.bar_style = OUTCOME_STYLE[outcome]
        self.progress.description = ENDED[outcome]  # the bar no longer says "Loading"
        if outcome in ("done", "limit"):
            self.progress.max = max(1, walk.records)
            self.progress.value = walk.records
        text = {"done": f"All {walk.records:,} records, {walk.pages} pages",
                "limit": f"{walk.records:,} records, {walk.pages} pages (the limit)",
                "cancelled": f"Cancelled: kept the {walk.records:,} records of the first "
                             f"{walk.pages} pages; Resume goes on",
                "failed": f"Stopped by an error after {walk.records:,} records "
                          f"({walk.pages} pages); they are kept; Resume goes on"}[outcome]
        self.progress_label.value = note(escape(text))
        hide(self.cancel_button)
        self.load_all_button.description = "Resume" if outcome in ("cancelled", "failed") \
            else "Load all"
        self.next_button.disabled = True
        self.load_all_button.disabled = False
        self.concurrency.disabled = outcome in ("cancelled", "failed")  # Resume: the same
        self._on_walked(walk)

    def _cancel(self, _button: Any = None) -> None:
        if self.walk is not None:
            self.walk.cancel()
            self.cancel_button.disabled = True
            self.progress_label.value = note("cancelling after this page …")

    def wait(self, timeout: float | None = 10.0) -> bool:
        """Wait for a running Load all to end (for scripts and tests); True when it has."""
        return self.walk.join(timeout) if self.walk is not None else True


ENDED = {"done": "Loaded", "limit": "Loaded", "cancelled": "Cancelled", "failed": "Stopped"}


def summary(walk: BackgroundWalk) -> str:
    """What the table holds after ``walk``: ``"2,500 records, all pages (3 pages)"``."""
    return walk_summary(walk.records, walk.pages, walk.outcome or "failed")
