"""Load all, cancellable: the core's page cursor (``Result.pages()``) walked in a background
thread, one page at a time, so that a Cancel click (handled by the kernel while the walk
runs) stops it between two pages. The records fetched before Cancel are kept. Each page is
kept untyped and the columns are typed once at the end, as ``r.all()`` does: the same frame.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..paging import untyped_records, walk_frame

if TYPE_CHECKING:
    import pandas as pd

    from ..result import Result

__all__ = ["PageWalk"]


class PageWalk:
    """Walk from ``first`` to the last page in a thread.

    ``on_page(pages, records, has_next)`` is called after each page; ``on_done(frame,
    outcome, error)`` once at the end, with every record fetched as one DataFrame and
    ``outcome`` one of ``"done"``, ``"cancelled"``, ``"failed"``.
    """

    def __init__(self, first: Result, on_page: Callable[[int, int, bool], None],
                 on_done: Callable[[pd.DataFrame, str, BaseException | None], None]) -> None:
        self.first = first
        self._on_page = on_page
        self._on_done = on_done
        self._cancel = threading.Event()
        self._thread = threading.Thread(target=self._run, name="twilio_nb load all",
                                        daemon=True)
        self.pages = 0
        self.records = 0
        self.outcome: str | None = None
        self.frame: pd.DataFrame | None = None

    def start(self) -> None:
        self._thread.start()

    def cancel(self) -> None:
        """Stop after the page being fetched now; the records so far are kept."""
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def join(self, timeout: float | None = None) -> bool:
        """Wait for the walk to end; True when it has."""
        if self._thread.ident is None:
            return True
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _run(self) -> None:
        pieces: list[pd.DataFrame] = []  # each page untyped; typed once at the end, as all()
        outcome: str = "done"
        error: BaseException | None = None
        try:
            for page in self.first.pages():
                piece = untyped_records(page)
                has_next = page.has_next_page
                pieces.append(piece)
                self.pages += 1
                self.records += len(piece)
                self._on_page(self.pages, self.records, has_next)
                if self._cancel.is_set():
                    outcome = "cancelled" if has_next else "done"
                    break
        except Exception as exc:  # a TwilioError, or a bug: shown in the error card (a
            outcome, error = "failed", exc  # thread has no one to raise it to)
        try:
            frame = walk_frame(self.first, pieces)
        except Exception as exc:  # typing keeps what it cannot type; shown if it fails
            frame, outcome, error = self.first.df.iloc[0:0], "failed", exc
        self.frame, self.outcome = frame, outcome
        self._on_done(frame, outcome, error)
