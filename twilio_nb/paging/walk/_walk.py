"""The walk itself: :class:`Walk` over pages that follow the :class:`Page` protocol.

Imports nothing above paging: no answers, session or front end.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from functools import partial
from numbers import Integral
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ...errors import ConfigurationError, PagingError, TwilioError
from ._ahead import Ahead
from ._bar import records_bar
from ._cursor import follow_once
from ._gc_pause import collector_paused
from ._page_types import Page, Progress, ProgressCallback

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Walk", "check_limit"]

P = TypeVar("P", bound=Page)
T = TypeVar("T")


def check_limit(limit: Any, *, flags: bool = False) -> None:
    """``limit`` checked: a number of records (0 or more; any integer type, numpy's too), or
    None for all."""
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, Integral)
                              or limit < 0):
        said = "--limit" if flags else "limit"
        raise ConfigurationError(f"{said} must be a number of records (0 or more), or None "
                                 f"for all; got {limit!r}.", field="limit")


class Walk(Generic[P]):
    """One walk over the pages from ``first`` on (see :mod:`twilio_nb.paging`).

    ``first``: the first page, or a function that fetches it (called when the walk runs, in
    the thread that runs it). ``limit``: at most this many records (None: all).
    ``prefetch``: fetch the pages ahead in a thread. ``on_progress``: called with a
    :class:`Progress` after each page, in the thread that runs the walk. ``cancel``: an
    Event that stops the walk after the page in hand when set (one is made when none is
    given; :meth:`cancel` sets it). ``keep``: keep each page's untyped frame (for
    :meth:`frame` and ``PagingError.partial``); a caller of :meth:`frames` that stores the
    frames itself may say False (``partial`` is then empty).

    After the walk: ``records`` and ``pages`` taken, ``finished`` (the last page or the limit
    was reached), ``cancelled`` (stopped by ``cancel`` with pages left).
    """

    def __init__(self, first: P | Callable[[], P], *, limit: int | None = None,
                 prefetch: bool = True, on_progress: ProgressCallback | None = None,
                 cancel: threading.Event | None = None, keep: bool = True) -> None:
        check_limit(limit)  # the one check of a limit (a Walk may be made directly)
        self._start = first
        self.limit = limit
        self.prefetch = prefetch
        self.on_progress = on_progress
        self.cancel_event = cancel if cancel is not None else threading.Event()
        self.keep = keep
        self.kept: list[pd.DataFrame] = []
        self.records = 0
        self.pages = 0
        self.finished = False
        self.cancelled = False
        self._seen: set[str] = set()  # every address fetched (ahead too): the loop check
        self._taken: set[str] = set()  # the addresses of the pages taken: a resume's check
        self._first: P | None = None if _is_fetch(first) else first  # type: ignore[assignment]
        self._typing: P | None = self._first  # the page whose operation types the frame
        self._current: P | None = None  # the last page whose records were taken
        self._started = False

    # -- controls ------------------------------------------------------------------------------
    def cancel(self) -> None:
        """Stop after the page in hand (any thread); the records so far are kept."""
        self.cancel_event.set()

    @property
    def first(self) -> P:
        """The page the walk started from (fetched first for a resumed walk)."""
        if self._first is None:
            raise TwilioError("the walk has not fetched its first page yet")
        return self._first

    # -- the three ways to take the pages ------------------------------------------------------
    def frame(self, progress: bool = False) -> pd.DataFrame:
        """Every record as one DataFrame, each column typed once (a tqdm bar with
        ``progress``, beside ``on_progress``)."""
        own = self.on_progress
        with records_bar(progress, self.limit, self.records) as bar:
            def both(p: Progress) -> None:
                bar(p)
                if own is not None:
                    own(p)

            self.on_progress = both
            try:
                for _ in self.frames():
                    pass
            finally:
                self.on_progress = own
        return self.result()

    def result(self) -> pd.DataFrame:
        """The frames kept so far as one typed DataFrame (after :meth:`frames` ran, or
        stopped)."""
        if self._typing is None:
            raise TwilioError("the walk has not fetched its first page yet")
        return self._typing.combine(list(self.kept))

    def frames(self) -> Iterator[pd.DataFrame]:
        """Each page's records, untyped (``Page.untyped_frame``), cut at ``limit``; kept
        too when ``keep``. Raises PagingError on a failure."""
        def take(page: P, room: int | None) -> tuple[pd.DataFrame, int]:
            frame = page.untyped_frame()
            if room is not None and len(frame) > room:
                frame = frame.iloc[:room]
            return frame, len(frame)

        for frame in self._run(take):
            if self.keep:
                self.kept.append(frame)
            yield frame

    def iter_pages(self) -> Iterator[P]:
        """Each page as it comes (nothing kept; records counted where a page tells its count
        before conversion). Raises PagingError on a failure."""
        return self._run(lambda page, _room: (page, page.record_count or 0))

    # -- the loop ------------------------------------------------------------------------------
    def _room(self) -> int | None:
        return None if self.limit is None else self.limit - self.records

    def _full(self) -> bool:
        return self.limit is not None and self.records >= self.limit

    def _begin(self) -> P | None:
        if self._started:
            raise TwilioError("a walk runs once; start another Walk (or use walk.resumed())")
        self._started = True
        if self._first is None:
            fetch: Callable[[], P] = self._start  # type: ignore[assignment]
            self._first = fetch()
            if self._typing is None:
                self._typing = self._first
        self._seen.add(str(self._first.url))
        return self._first

    def _run(self, take: Callable[[P, int | None], tuple[T, int]]) -> Iterator[T]:
        page: P | None = None
        ahead: Ahead[P] | None = None
        peek = True  # the thread ahead reads next-page addresses without decoding pages
        try:
            try:
                page = self._begin()
            except TwilioError as exc:
                raise self._failed(exc) from exc
            while page is not None and not self._full():
                try:
                    with collector_paused():  # the decoded page dies within the block
                        uri = page.next_page_uri  # decodes the page, does not convert it
                        if self.prefetch and ahead is None and uri and (
                                self.limit is None or page.record_count is not None):
                            ahead = Ahead(page, uri, self._seen, self._room(), peek=peek,
                                          stop=self.cancel_event)
                        item, count = take(page, self._room())
                except TwilioError as exc:
                    raise self._failed(exc) from exc
                self._current = page
                self._taken.add(str(page.url))
                self.pages += 1
                self.records += count
                more = bool(uri) and not self._full()
                if self.on_progress is not None:
                    self.on_progress(Progress(self.records, self.pages, more))
                yield item
                if not more:
                    self.finished = True
                    return
                if self.cancel_event.is_set():
                    self.cancelled = True
                    return
                assert uri is not None
                try:
                    taken = ahead.take() if ahead is not None else None
                    if ahead is not None and (taken is None or taken[1] != uri):
                        ahead.close()  # it followed a peek the decoded page contradicts
                        ahead, peek, taken = None, False, None
                    page = taken[0] if taken is not None else follow_once(page, uri,
                                                                          self._seen)
                except TwilioError as exc:
                    raise self._failed(exc) from exc
        finally:
            if ahead is not None:
                ahead.close()

    # -- failure and resume --------------------------------------------------------------------
    def _failed(self, exc: TwilioError) -> PagingError:
        current = self._current
        uri: str | None = None
        if current is not None:
            try:
                uri = current.next_page_uri
            except TwilioError:  # pragma: no cover - it was read before
                uri = None
        partial = self.result() if self._typing is not None else _empty()
        return PagingError(
            f"Paging stopped after {self.records} records: {exc}\nNothing is lost: "
            "err.partial holds the records fetched so far, and err.resume() goes on from the "
            "page that failed.", partial=partial, failed_uri=uri, cause=exc,
            resume=lambda progress=True: self.resumed().frame(progress=progress))

    def resumed(self, *, prefetch: bool | None = None,
                on_progress: ProgressCallback | None = None,
                cancel: threading.Event | None = None) -> Walk[P]:
        """A walk that goes on from the page that failed, or from the page after the last
        one taken (a cancelled or limited walk): fetched when the new walk runs. It keeps
        the records taken so far, the counts, the limit and the loop check; ``prefetch`` and
        ``on_progress`` are this walk's unless given; ``cancel`` is a new Event unless
        given."""
        current = self._current
        start: Callable[[], P]
        if current is None:
            first = self._first
            # the first page itself failed: fetch it again (or fetch it, if it never came)
            start = self._start if first is None else first.refetch  # type: ignore[assignment]
        else:
            uri = current.next_page_uri
            if not uri:
                raise TwilioError("the walk reached the last page: there is nothing to resume")
            start = partial(current.follow, uri)
        walk: Walk[P] = Walk(start, limit=self.limit,
                             prefetch=self.prefetch if prefetch is None else prefetch,
                             on_progress=on_progress or self.on_progress, cancel=cancel,
                             keep=self.keep)
        walk.kept = list(self.kept)
        walk.records, walk.pages = self.records, self.pages
        walk._seen = set(self._taken)
        walk._typing = self._typing
        return walk


def _is_fetch(obj: object) -> bool:
    """A function that fetches the first page, not the page itself."""
    return callable(obj) and not hasattr(obj, "follow")


def _empty() -> pd.DataFrame:
    # deferred: pandas costs most of the import time, and a walk that failed before its
    # first page is the only one that needs a frame built here
    import pandas as pd

    return pd.DataFrame()
