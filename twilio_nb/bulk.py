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

The first page is the list's newest page: its records newer than its oldest instant (unit)
are the walk's first records, handed over as they are, and the rest of the range (to that
instant, inclusive) is walked in slices: from ``since=`` / the Query's ``X>=`` in slices
planned by :func:`~twilio_nb.slices.plan`, or, when the oldest record is not known, as one
slice open below. Nothing is probed: idle workers **split** the running slice with the most
work left (:func:`~twilio_nb.slices.split_point`; the ordering assumption is in
:mod:`twilio_nb.slices`), so that the first requests after the first page already fetch
records, and a slice denser than the rest does not keep the other workers waiting.
"""

from __future__ import annotations

import dataclasses
import math
import threading
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx
import pandas as pd

from .convert import parse_iso8601, parse_rfc2822
from .errors import ConfigurationError, TwilioWarning
from .paging import ListPage, Progress, ProgressCallback, Walk, records_bar
from .slices import (
    DateFilter,
    Slice,
    check_concurrency,
    date_filter,
    narrowed,
    parse_bound,
    plan,
    split_point,
    unit_text,
    units,
)

if TYPE_CHECKING:
    from .request import BuiltRequest

__all__ = ["SliceState", "SliceWalks", "gated", "prepare", "request_at", "request_for"]

PAGE_SIZE = 1000  # Twilio's largest page
PAGING_KEYS = ("PageSize", "Page", "PageToken")
SAVED = ("next_uri", "started", "done", "pages", "rows", "reached")


@dataclass
class SliceState:
    """Where one slice's walk is: its range (None: the whole list, one walk; its ``lower``
    moves up when the slice is split), the next page's address (None before its first
    page), pages and records taken so far, ``reached`` (the oldest instant of its records
    so far, in units of :func:`~twilio_nb.slices.units`), ``rate`` (records a unit expected),
    ``pieces`` (what the sink keeps of each page: frames, file names) and ``held`` (records
    in hand before any request: the first page's)."""

    slice: Slice | None
    next_uri: str | None = None
    started: bool = False
    done: bool = False
    pages: int = 0
    rows: int = 0
    reached: int | None = None
    top: int | None = field(default=None, repr=False)
    rate: float | None = field(default=None, repr=False)
    pieces: list[Any] = field(default_factory=list, repr=False)
    held: pd.DataFrame | None = field(default=None, repr=False)

    def saved(self) -> dict[str, Any]:
        """The state as JSON-ready data (a checkpoint's)."""
        bounds = [self.slice.lower, self.slice.upper] if self.slice else None
        return {"slice": bounds, **{name: getattr(self, name) for name in SAVED}}

    @classmethod
    def restored(cls, data: dict[str, Any]) -> SliceState:
        bounds = data.get("slice")
        return cls(Slice(*bounds) if bounds else None, data.get("next_uri"),
                   bool(data.get("started")), bool(data.get("done")), int(data.get("pages", 0)),
                   int(data.get("rows", 0)), data.get("reached"))


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


def _parsed(values: pd.Series) -> pd.Series:
    """A date column of a page as UTC datetimes: the 2010 API's RFC 2822 text, ISO 8601
    elsewhere, or already typed."""
    if values.dtype.kind == "M":
        return parse_rfc2822(values)
    sample = values.dropna()
    text = str(sample.iloc[0]) if len(sample) else ""
    return parse_rfc2822(values) if "," in text else parse_iso8601(values)


def record_times(frame: pd.DataFrame, flt: DateFilter) -> pd.Series | None:
    """The filter date of each record of a page's frame (typed or not; a record without it,
    such as a message not sent yet, by its ``date_created``), NaT where it has neither;
    None when the frame has no such column."""
    if flt.column not in frame.columns:
        return None
    times = _parsed(frame[flt.column])
    if "date_created" in frame.columns and times.isna().any():
        times = times.fillna(_parsed(frame["date_created"]))
    return times


def _rate(first: ListPage, flt: DateFilter) -> float | None:
    """Records a unit (second or day) over the first page's stretch, when more pages follow."""
    times = record_times(first.untyped_frame(), flt)
    times = times.dropna() if times is not None else None
    if times is None or len(times) < 2 or not first.has_next_page:
        return None
    span = units(times.max(), flt.date_only) - units(times.min(), flt.date_only) + 1
    return len(times) / span


def _per_second(first: ListPage, flt: DateFilter) -> float | None:
    """Records a second over the first page's stretch of time, when more pages follow."""
    return _rate(first, flt) if not flt.date_only else None


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
    """Check the input and plan the walk: the filter and the slices, newest first (the first
    one holds the first page's records newer than its oldest unit). Nothing is sent. Without
    a date filter one state walks the whole list (a TwilioWarning says so)."""
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
    frame = first.untyped_frame()
    times = record_times(frame, flt)
    if times is None or times.isna().all():
        return flt, []
    oldest = units(times.min(), flt.date_only)
    newer = parse_bound(unit_text(oldest + 1, flt.date_only), "since", upper=False).at
    undated = times.isna()
    inside = undated | (((times >= lower.at) if lower else True)
                        & ((times <= upper.at) if upper else True))
    more = first.has_next_page
    held = frame[(inside & (undated | (times >= newer)) if more else inside).to_numpy()]
    states = []
    if len(held):  # walked like any slice if a checkpoint saved it before it was handed over
        low = lower.text if lower is not None and lower.at > newer else \
            unit_text(oldest + 1, flt.date_only)
        newest = unit_text(units(times.max(), flt.date_only), flt.date_only)
        high = upper.text if upper is not None and upper.at < times.max() else newest
        states.append(SliceState(Slice(low, high), held=held.reset_index(drop=True)))
    if not more:
        return flt, states
    high = unit_text(oldest, flt.date_only)
    top = parse_bound(high, "until", upper=True)
    if upper is not None and upper.at < top.at:
        top = upper
    if lower is None:
        slices = [Slice("", top.text)]
    else:
        slices = plan(lower, top, concurrency, date_only=flt.date_only,
                      per_second=_per_second(first, flt), page_size=PAGE_SIZE)
    return flt, states + [SliceState(s) for s in slices]


OnPage = Callable[[int, "SliceState", "pd.DataFrame"], None]


class SliceWalks:
    """Walks ``states`` (newest slice first), ``concurrency`` slices at once, each by a
    :class:`~twilio_nb.paging.Walk`, handing each page's untyped records to
    ``on_page(index, state, frame)`` (called under a lock, in each slice's page order;
    ``index`` is the state's place in ``states`` at that moment). When a worker is idle and
    no slice waits, the running slice with the most work left is split: the new slice is
    inserted into ``states`` right after it. ``cancel`` (set from any thread, or
    :meth:`stop`) ends every slice after the pages in hand. ``on_progress`` gets the records
    and pages of all slices together."""

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
        self.lock = threading.Condition()  # guards ``states``; woken by each page and end
        self.rate = _rate(first, flt) if flt is not None else None
        self.splits = 0
        # an open-below slice that has no page yet is split "blind" (no record seen below
        # it): at most ``concurrency`` times until a page reaches further back, so that
        # splits do not run ahead into a stretch without records
        self.blind = 0
        self.deepest: int | None = None
        self.floor: int | None = None  # no record is older (an open walk reached its end)

    def stop(self) -> None:
        self.cancel.set()

    def template(self, state: SliceState) -> BuiltRequest:
        extra = state.slice.query(self.flt) if state.slice is not None and self.flt else []
        return request_for(self.first, self.flt, extra)

    # -- one slice's walk --------------------------------------------------------------------
    def _walk_slice(self, state: SliceState, moved: ProgressCallback) -> None:
        if state.done or self.cancel.is_set():
            return
        if state.held is not None:  # the first page's records: no request
            with self.lock:
                held, state.held = state.held, None
                self._took(state, held, None, moved)
            return
        template = self.template(state)
        built = request_at(template, str(state.next_uri)) if state.started else template
        sent_open = state.slice is not None and not state.slice.lower
        send = self.first.origin.send
        walk: Walk[ListPage] = Walk(lambda: send(built), cancel=self.cancel, keep=False,
                                    prefetch=False)
        for page in walk.iter_pages():
            frame = page.untyped_frame()
            uri = page.next_page_uri
            times = record_times(frame, self.flt) if self.flt is not None else None
            with self.lock:
                if sent_open and not uri and self.flt is not None:
                    self._ended(state, times)
                low = self._lower(state)
                if times is not None and low is not None and (times < low).any():
                    keep = ~(times < low)  # a split left the older records to another slice
                    frame = frame[keep.to_numpy()].reset_index(drop=True)
                    times, uri = times[keep], None  # and every later page is older still
                self._took(state, frame, uri, moved, times)
            if state.done:
                break

    def _ended(self, state: SliceState, times: pd.Series | None) -> None:
        """An open-below walk's last page: nothing is older than its oldest record (or, for
        an empty page, than its upper end)."""
        assert self.flt is not None and state.slice is not None
        dated = times.dropna() if times is not None else None
        if dated is not None and len(dated):
            floor = units(dated.min(), self.flt.date_only)
        elif state.reached is not None:
            floor = state.reached
        else:
            floor = units(parse_bound(state.slice.upper, "until", upper=True).at,
                          self.flt.date_only) + 1
        self.floor = floor if self.floor is None else max(self.floor, floor)

    def _lower(self, state: SliceState) -> Any:
        if state.slice is None or not state.slice.lower:
            return None
        return parse_bound(state.slice.lower, "since", upper=False).at

    def _took(self, state: SliceState, frame: pd.DataFrame, uri: str | None,
              moved: ProgressCallback, times: pd.Series | None = None) -> None:
        """A page of ``state`` arrived (under the lock): count it, hand it over, wake the
        scheduler."""
        state.started, state.next_uri = True, uri
        state.pages += 1
        state.rows += len(frame)
        state.done = not uri
        if times is not None and self.flt is not None:
            dated = times.dropna()
            if len(dated):
                oldest = units(dated.min(), self.flt.date_only)
                if self.deepest is None or oldest < self.deepest:
                    self.deepest, self.blind = oldest, 0  # records further back: look on
                state.reached = oldest if state.reached is None else min(state.reached, oldest)
                if state.top is None:
                    state.top = units(dated.max(), self.flt.date_only)
        self.on_page(self.states.index(state), state, frame)
        done = Progress(sum(s.rows for s in self.states), sum(s.pages for s in self.states),
                        not all(s.done for s in self.states))
        moved(done)
        if self.on_progress is not None:
            self.on_progress(done)
        self.lock.notify_all()

    # -- splitting -----------------------------------------------------------------------------
    def _work(self, state: SliceState) -> tuple[float, int | None, int, float | None] | None:
        """What is left of a running slice: (expected records, lower, reached, rate); None
        when it cannot be split."""
        flt = self.flt
        if flt is None or state.slice is None or state.done or state.held is not None \
                or (state.started and state.reached is None):
            return None
        low = self._lower(state)
        lower = units(low, flt.date_only) if low is not None else None
        if lower is None and state.reached is None and self.blind >= self.concurrency:
            return None
        if lower is None and self.floor is not None:  # the records end there
            lower = self.floor
        reached = state.reached if state.reached is not None else units(
            parse_bound(state.slice.upper, "until", upper=True).at, flt.date_only)
        rate = state.rate or self.rate
        if state.top is not None and state.reached is not None and state.rows >= 100:
            rate = state.rows / (state.top - state.reached + 1)  # observed in this slice
        if lower is not None and reached - lower + 1 < 2:
            return None
        work = math.inf if lower is None or not rate else rate * (reached - lower + 1)
        return work, lower, reached, rate

    def _split(self, running: list[SliceState]) -> SliceState | None:
        """Split the running slice with the most work left (more than its next page brings);
        the new slice, inserted after it, or None."""
        best: tuple[float, int | None, int, float | None] | None = None
        chosen: SliceState | None = None
        for state in running:
            work = self._work(state)
            if work is not None and work[0] > PAGE_SIZE and (best is None or work[0] > best[0]):
                best, chosen = work, state
        if best is None or chosen is None or chosen.slice is None or self.flt is None:
            return None
        _, lower, reached, rate = best
        date_only = self.flt.date_only
        cut = split_point(lower, reached, rate, PAGE_SIZE, date_only)
        if cut is None:
            return None
        old = chosen.slice
        if not old.lower and chosen.reached is None:
            self.blind += 1
        new = SliceState(Slice(old.lower, unit_text(cut - 1, date_only)), rate=rate)
        chosen.slice = Slice(unit_text(cut, date_only), old.upper)
        self.states.insert(self.states.index(chosen) + 1, new)
        self.splits += 1
        return new

    # -- the scheduler -------------------------------------------------------------------------
    def run(self) -> None:
        """Walk every slice not done, splitting slices for idle workers. The first failure
        (a PagingError of a slice's walk) or a KeyboardInterrupt propagates once the other
        slices stopped."""
        todo = [s for s in self.states if not s.done]
        error: BaseException | None = None
        running: dict[Future[None], SliceState] = {}

        def ended(_fut: Future[None]) -> None:
            with self.lock:
                self.lock.notify_all()

        with records_bar(self.progress, None, sum(s.rows for s in self.states)) as moved, \
                gated(self.first, self.concurrency), \
                ThreadPoolExecutor(self.concurrency, thread_name_prefix="twilio_nb-slice") \
                as pool:
            try:
                with self.lock:
                    while True:
                        for fut in [f for f in running if f.done()]:
                            del running[fut]
                            exc = fut.exception()
                            if exc is not None and error is None:
                                error = exc
                                self.cancel.set()
                        while len(running) < self.concurrency and not self.cancel.is_set():
                            state = todo.pop(0) if todo else self._split(list(running.values()))
                            if state is None:
                                break
                            fut = pool.submit(self._walk_slice, state, moved)
                            running[fut] = state
                            fut.add_done_callback(ended)
                        if not running:
                            break
                        self.lock.wait(0.5)  # a page arrived or a slice ended
            except BaseException:  # KeyboardInterrupt: let the workers stop first
                self.cancel.set()
                wait(running)
                raise
        if error is not None:
            raise error
