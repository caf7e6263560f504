"""Concurrent walks: a list cut into date slices (:mod:`twilio_nb.slices`), the slices walked
at once on the connection's one pool, their pages handed over in the list's order.

Each slice is walked by the core's one walker (:class:`twilio_nb.paging.Walk`, its pages
kept untyped); this module only plans the slices, runs ``concurrency`` of them at a time
behind the connection's gate (:mod:`twilio_nb.gate`: at most N requests in flight, a 429
slows every worker) and hands each page to a sink: the frame of ``all(concurrency=N)``
(:func:`walk_all`) or the Parquet file of ``to_parquet`` (:mod:`twilio_nb.export`). The
merged walk keeps the walker's contract: ``limit``, ``cancel``, one progress
(``Progress(records, pages, has_next)``, a tqdm bar), and
:class:`~twilio_nb.errors.PagingError` with ``partial`` and ``resume()``. Only GETs are
sent.

Where the oldest record is: ``since=``, the Query's own ``X>=``, or estimated by probing: a
k-ary search over days, ``concurrency`` probes at once, each a ``PageSize=1`` page of
``X<=day`` (is there a record on or before that day? the newest such record's day narrows
the search too), a few rounds; the oldest slice then has no lower end, so the estimate only
balances the slices and never loses a record. The newest comes from the first page (or
``until=`` / the Query's ``X<=``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx

from .errors import ConfigurationError, TwilioWarning
from .paging import ListPage, Progress, ProgressCallback, Walk, records_bar
from .slices import (
    Bound,
    DateFilter,
    Slice,
    check_concurrency,
    date_filter,
    narrowed,
    parse_bound,
    plan,
)

if TYPE_CHECKING:
    import pandas as pd

    from .request import BuiltRequest

__all__ = ["SliceState", "SliceWalks", "gated", "prepare", "request_at", "request_for"]

PAGE_SIZE = 1000  # Twilio's largest page
PAGING_KEYS = ("PageSize", "Page", "PageToken")
EARLIEST = dt.date(2008, 1, 1)  # before Twilio's first API record
PROBE_ROUNDS = 3


@dataclass
class SliceState:
    """Where one slice's walk is: its range (None: the whole list, one walk), the next
    page's address (None before its first page), pages and records taken so far."""

    slice: Slice | None
    next_uri: str | None = None
    started: bool = False
    done: bool = False
    pages: int = 0
    rows: int = 0
    pieces: list[pd.DataFrame] = field(default_factory=list, repr=False)


def _pairs(built: BuiltRequest) -> list[tuple[str, str]]:
    return list(httpx.URL(built.url).params.multi_items())


def request_for(first: ListPage, flt: DateFilter | None,
                extra: list[tuple[str, str]], page_size: int = PAGE_SIZE) -> BuiltRequest:
    """``first``'s request as a GET of page 0 with ``page_size`` records a page, its date
    filter replaced by ``extra``."""
    built = first.request
    drop = set(PAGING_KEYS) | (set(flt.keys) if flt is not None and extra else set())
    pairs = [(k, v) for k, v in _pairs(built) if k not in drop]
    pairs += [("PageSize", str(page_size)), *extra]
    url = httpx.URL(built.url).copy_with(params=pairs)
    return dataclasses.replace(built, method="GET", url=str(url), body=None, content_type=None,
                               form=(), query=url.query.decode(), warnings=(),
                               next_page_uri=None)


def request_at(template: BuiltRequest, uri: str) -> BuiltRequest:
    """The GET of the page at ``uri`` (the server's next-page address) after ``template``."""
    url = httpx.URL(template.url).join(uri)
    return dataclasses.replace(template, method="GET", url=str(url), body=None,
                               content_type=None, form=(), query=url.query.decode(),
                               warnings=(), next_page_uri=uri)


def _times(page: ListPage, flt: DateFilter) -> pd.Series | None:
    """The page's records' filter dates (a message not sent yet: its creation date)."""
    frame = page.df
    if flt.column not in frame.columns:
        return None
    times = frame[flt.column]
    if "date_created" in frame.columns:
        times = times.fillna(frame["date_created"])
    times = times.dropna()
    return times if len(times) else None


def _newest(page: ListPage, flt: DateFilter) -> Bound | None:
    """The day of the newest record of ``page`` (None: no record has the date)."""
    times = _times(page, flt)
    if times is None:
        return None
    return parse_bound(times.max().date(), "until", upper=True)


def _per_second(first: ListPage, flt: DateFilter) -> float | None:
    """Records a second over the first page's stretch of time, when more pages follow."""
    times = _times(first, flt)
    if times is None or len(times) < 10 or not first.has_next_page:
        return None  # too few records to tell
    span = (times.max() - times.min()).total_seconds()
    return float(len(times) / span) if span >= 60 else None


def _probe_oldest(first: ListPage, flt: DateFilter, upper: Bound, workers: int) -> Bound:
    """About the day of the oldest record on or before ``upper``: ``workers`` probes at once,
    each asking for the newest record on or before a day. The first round looks 1, 2, 4, ...
    weeks back (lists seldom go back further than a few years), the next rounds divide the
    stretch found. The oldest slice has no lower end, so this estimate never loses a
    record: it only balances the slices."""
    lo, hi = EARLIEST, upper.day  # the oldest record's day is in [lo, hi], if there is one

    def newest_upto(day: dt.date) -> dt.date | None:
        page = first.origin.send(
            request_for(first, flt, [(flt.upper_key, day.isoformat())], page_size=1))
        found = _newest(page, flt)
        return found.day if found is not None else None

    with ThreadPoolExecutor(workers, thread_name_prefix="twilio_nb-probe") as pool:
        for round_ in range(PROBE_ROUNDS):
            span = (hi - lo).days
            if span <= 1:
                break
            if round_ == 0:
                points = sorted({max(lo, hi - dt.timedelta(weeks=2 ** k))
                                 for k in range(workers)} - {hi})
            else:
                points = sorted({lo + dt.timedelta(days=span * k // (workers + 1))
                                 for k in range(1, workers + 1)} - {hi})
            if not points:
                break
            found = list(pool.map(newest_upto, points))
            below = [(p, f) for p, f in zip(points, found, strict=True) if f is not None]
            if below:
                point, day = below[0]  # the first day with a record on or before it
                hi = min(point, day)
                earlier = [p for p in points if p < point]
                lo = max(earlier) + dt.timedelta(days=1) if earlier else lo
            else:
                lo = points[-1] + dt.timedelta(days=1)
    return parse_bound(hi, "since", upper=False)  # the open oldest slice takes the rest


@contextmanager
def gated(first: ListPage, concurrency: int) -> Iterator[None]:
    """The connection's gate for the block (none where the origin has no gate)."""
    if first.origin.gated is None:
        yield
        return
    with first.origin.gated(concurrency):
        yield


def prepare(first: ListPage, concurrency: int, since: Any = None, until: Any = None
            ) -> tuple[DateFilter | None, list[SliceState]]:
    """Check the input and plan the walk: the filter and the slices, newest first. Without a
    date filter one state walks the whole list (a TwilioWarning says so)."""
    check_concurrency(concurrency)
    flt = date_filter(first.operation)
    if flt is None:
        if since is not None or until is not None:
            raise ConfigurationError(
                f"{first.operation.name if first.operation else 'This request'} has no date "
                "filter, so since/until cannot apply: leave them out.", field="since")
        if concurrency > 1:
            warnings.warn(f"{first.operation.name if first.operation else 'This request'} "
                          "cannot be cut into date slices (its list has no date filter it is "
                          "ordered by): walking one page after the other.", TwilioWarning,
                          stacklevel=3)
        return None, [SliceState(None)]
    lower, upper = narrowed(flt, _pairs(first.request), since, until)
    if upper is None:
        upper = _newest(first, flt)
        if upper is None:
            return flt, []
    estimated = lower is None
    if lower is None:
        with gated(first, concurrency):
            lower = _probe_oldest(first, flt, upper, concurrency)
    slices = plan(lower, upper, concurrency, open_below=estimated, date_only=flt.date_only,
                  per_second=_per_second(first, flt), page_size=PAGE_SIZE)
    return flt, [SliceState(s) for s in slices]


OnPage = Callable[[int, "SliceState", "pd.DataFrame"], None]


class SliceWalks:
    """Walks ``states`` (newest slice first), ``concurrency`` slices at once, each by a
    :class:`~twilio_nb.paging.Walk`, handing each page's untyped records to
    ``on_page(index, state, frame)`` (called under a lock, in each slice's page order).
    ``cancel`` (set from any thread, or :meth:`stop`) ends every slice after the pages in
    hand. ``on_progress`` gets the records and pages of all slices together."""

    def __init__(self, first: ListPage, flt: DateFilter | None, states: list[SliceState],
                 concurrency: int, on_page: OnPage, *, progress: bool = True,
                 on_progress: ProgressCallback | None = None,
                 cancel: threading.Event | None = None) -> None:
        self.first, self.flt, self.states = first, flt, states
        self.concurrency = concurrency
        self.on_page = on_page
        self.progress = progress
        self.on_progress = on_progress
        self.cancel = cancel if cancel is not None else threading.Event()
        self.lock = threading.Lock()

    def stop(self) -> None:
        self.cancel.set()

    def template(self, state: SliceState) -> BuiltRequest:
        extra = state.slice.query(self.flt) if state.slice is not None and self.flt else []
        return request_for(self.first, self.flt, extra)

    def _walk_slice(self, index: int, moved: ProgressCallback) -> None:
        state = self.states[index]
        if state.done or self.cancel.is_set():
            return
        template = self.template(state)
        built = request_at(template, str(state.next_uri)) if state.started else template
        send = self.first.origin.send
        walk: Walk[ListPage] = Walk(lambda: send(built), cancel=self.cancel, keep=False)
        for page in walk.iter_pages():
            frame = page.untyped_frame()
            uri = page.next_page_uri
            with self.lock:
                state.started, state.next_uri = True, uri
                state.pages += 1
                state.rows += len(frame)
                state.done = not uri
                self.on_page(index, state, frame)
                done = Progress(sum(s.rows for s in self.states),
                                sum(s.pages for s in self.states),
                                not all(s.done for s in self.states))
                moved(done)
                if self.on_progress is not None:
                    self.on_progress(done)

    def run(self) -> None:
        """Walk every slice not done. The first failure (a PagingError of a slice's walk)
        or a KeyboardInterrupt propagates once the other slices stopped."""
        todo = [i for i, s in enumerate(self.states) if not s.done]
        error: BaseException | None = None
        with records_bar(self.progress, None, sum(s.rows for s in self.states)) as moved, \
                gated(self.first, self.concurrency), \
                ThreadPoolExecutor(self.concurrency, thread_name_prefix="twilio_nb-slice") \
                as pool:
            running: set[Future[None]] = set()
            try:
                while todo or running:
                    while todo and len(running) < self.concurrency \
                            and not self.cancel.is_set():
                        running.add(pool.submit(self._walk_slice, todo.pop(0), moved))
                    if not running:
                        break
                    finished, running = wait(running, return_when=FIRST_COMPLETED)
                    for fut in finished:
                        exc = fut.exception()
                        if exc is not None and error is None:
                            error = exc
                            self.cancel.set()
            except BaseException:  # KeyboardInterrupt: let the workers stop first
                self.cancel.set()
                wait(running)
                raise
        if error is not None:
            raise error
