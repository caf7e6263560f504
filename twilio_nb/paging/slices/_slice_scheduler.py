"""The slices of a concurrent walk walked at once, split while they are walked.

:class:`SliceWalks` runs the states :func:`._slice_plan.prepare` planned, ``concurrency``
at a time behind the connection's gate, each by the core's one walker
(:class:`~twilio_nb.paging.Walk`), and hands every page to a sink in each slice's order.

Work stealing: when a worker is idle and no planned slice waits, it takes a piece of the
running slice with the most work left (:func:`._slice_dates.split_point`; the ordering
assumption and the boundary rules are in :mod:`._slice_dates`): the running walk keeps
the newer part (it drops older records from the pages it receives and ends at the first
page that reaches below the cut) and the new slice, the older part, is inserted right after
it; a slice cut off that way is not cut again before its first page is in (its size is a
guess from the density above it). What is left open below (the records older than any seen
yet) is held back while one request of it is on its way (the *scout*): idle workers cut
pieces off its newest end, about a page each at the density seen so far, at most
``concurrency`` pieces beyond the oldest record seen; the scout's page tells how far the
records go on, and its last page where they end (no piece is cut below that, and what is
left there is done without a request).

A piece's requests go out open below (only the walk's own lower end, ``since=`` or the
Query's, is sent): the walk drops the older records itself, and so every page tells whether
records go on below its piece, and the one that ends the list says where they end. Then the
pieces cut older than that end are done: the walk does not wait for the requests of theirs
still out (the connection's gate closes at the end of the walk, so none is tried again).
Pages are decoded one at a time, and another request goes out while a page is decoded (not
while an export converts and writes it: its memory; see :meth:`SliceWalks._walk_pages`).
Where a running slice is cut is :mod:`._slice_splits`.

The gate goes with the walk: :func:`_gated` asks the first page's origin for an origin with
a gate of its own (:class:`~..walk._page_types.PageOrigin`), and every request of the walk
goes out through that one; another walk at once on the same connection has its own.

Imports nothing above paging: no answers, session or front end (the gate is reached through
the page's origin, never :mod:`twilio_nb.transport.gate`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from ..walk._bar import records_bar
from ..walk._gc_pause import collector_paused
from ..walk._page_types import Progress
from ..walk._walk import Walk
from . import _slice_plan  # PAGE_SIZE, first_rate read at use: tests replace them there
from ._slice_dates import DateFilter, Slice, units
from ._slice_plan import SliceState, record_times, request_at, request_for
from ._slice_splits import SliceSplits

if TYPE_CHECKING:
    import pandas as pd

    from ...request.built import BuiltRequest
    from ..walk._page_types import ListPage, PageOrigin, ProgressCallback

__all__ = ["Convert", "OnPage", "SliceWalks"]

OnPage = Callable[[int, SliceState, Any], None]
Convert = Callable[[SliceState, "pd.DataFrame"], Any]


class SliceWalks(SliceSplits):
    """Walks ``states`` (newest slice first), ``concurrency`` slices at once, handing each
    page's untyped records to ``on_page(index, state, frame)`` (called under a lock, in each
    slice's page order; ``index`` is the state's place in ``states`` at that moment: split
    slices are inserted into ``states``). With ``convert``, ``on_page`` gets
    ``convert(state, frame)`` instead, computed outside the lock (in the worker that fetched
    the page, so in each slice's page order too, and one page at a time): the slow part of a
    sink (the export writes its piece there) holds up neither the other workers' requests
    nor the scheduling. ``cancel`` (set from any thread, or :meth:`stop`) ends every slice
    after the pages in hand. ``on_progress`` gets the records and pages of all slices
    together."""

    def __init__(self, first: ListPage, flt: DateFilter | None, states: list[SliceState],
                 concurrency: int, on_page: OnPage, *, convert: Convert | None = None,
                 progress: bool = True, on_progress: ProgressCallback | None = None,
                 cancel: threading.Event | None = None) -> None:
        self.first, self.flt, self.states = first, flt, states
        self.origin: PageOrigin = first.origin  # the walk's own gate's, once it runs
        self.concurrency = concurrency
        self.on_page = on_page
        self.convert = convert
        self.progress = progress
        self.on_progress = on_progress
        self.cancel = cancel if cancel is not None else threading.Event()
        self.lock = threading.Condition()  # guards ``states``; woken by each page and end
        # the first page's density, as prepare() gave it to the slices (a checkpoint's
        # slices do not keep it: read from the first page again)
        planned = [s.rate for s in states if s.rate is not None]
        self.rate = planned[0] if planned else \
            _slice_plan.first_rate(first, flt) if flt is not None and states else None
        self.blind = 0  # pieces cut below the oldest record seen, since it last moved
        self.deepest: int | None = None  # the oldest record seen (units)
        self.floor: int | None = None  # no record is older (an open walk reached its end)
        self.pending: SliceState | None = None  # the open remainder, held back
        self.scouts: set[int] = set()  # ids of the states whose request went out open
        self.closing: set[int] = set()  # ids of the states whose last page is being handed
        self.cuts: set[int] = set()  # ids of the states cut off others while walked
        # the walk's own lower end (since=, the Query's): a slice's lower end above it is a
        # cut, and the slice's requests go out open below (see _walk_pages)
        self.bottom = states[-1].slice.lower if states and states[-1].slice else ""
        # one page decoded (or converted: see _converted) at a time (see _walk_pages)
        self.decoding = threading.Lock()
        self.out = 0  # slices whose request is out (or about to go)

    def stop(self) -> None:
        self.cancel.set()

    def template(self, state: SliceState, sent_open: bool = False) -> BuiltRequest:
        """The request of a slice's first page (``sent_open``: without its lower end; the
        walk drops the older records itself)."""
        chosen = state.slice
        if chosen is not None and sent_open:
            chosen = Slice("", chosen.upper)
        extra = chosen.query(self.flt) if chosen is not None and self.flt else []
        return request_for(self.first.request, self.flt, extra)

    # -- one slice's walk --------------------------------------------------------------------
    def _walk_slice(self, state: SliceState, moved: ProgressCallback) -> None:
        """Walk one slice; counted in :attr:`out` (by :meth:`run`, which launched it) while
        its request is out."""
        out = [state.held is None]  # (the first page's records need no request)
        try:
            self._walk_pages(state, moved, out)
        finally:
            if out[0]:
                self._arrived(out)

    def _arrived(self, out: list[bool]) -> None:
        """A slice's request is no longer out: an idle worker may send another."""
        with self.lock:
            out[0] = False
            self.out -= 1
            self.lock.notify_all()

    def _walk_pages(self, state: SliceState, moved: ProgressCallback, out: list[bool]) -> None:
        if state.done or self.cancel.is_set():
            return
        if state.held is not None:  # the first page's records: no request
            held = state.held
            piece = self._converted(state, held)
            with self.lock:
                state.held = None
                self._took(state, piece, len(held), None, moved)
            return
        with self.lock:
            sent_open = state.slice is not None and (
                state.slice.lower != self.bottom or id(state) in self.scouts)
            template = self.template(state, sent_open)
        built = request_at(template, str(state.next_uri)) if state.started else template
        send = self.origin.send
        walk: Walk[ListPage] = Walk(lambda: send(built), cancel=self.cancel, keep=False,
                                    prefetch=False)
        for page in walk.iter_pages():
            # The page is in: another request may go out while this one is decoded (most
            # pieces end with their first page); not for a sink that converts (an export
            # keeps at most ``concurrency`` pages in hand: its memory). Decoding holds the
            # GIL: pages decoded by several threads at once would all be ready at the end
            # (each thread gets the interpreter in turns); one at a time, the first page in
            # is the first ready.
            if self.convert is None:
                self._arrived(out)
            if state.done:  # abandoned while its request was out (see _ended)
                return
            with self.decoding, collector_paused():  # (see paging.walk._gc_pause)
                frame = page.untyped_frame()
                uri = page.next_page_uri
                times = record_times(frame, self.flt) if self.flt is not None else None
            with self.lock:
                if state.done:  # abandoned: older than the records' end (see _ended)
                    return
                if sent_open and not uri:
                    self._ended(state, times)
                low = self._lower(state)
                if times is not None and low is not None and (times < low).any():
                    keep = ~(times < low)  # a split left the older records to another slice
                    frame = frame[keep.to_numpy()].reset_index(drop=True)
                    times, uri = times[keep], None  # and every later page is older still
                self._reach(state, times)  # (splits cut below: the page is this slice's)
                if not uri:
                    self.closing.add(id(state))
            piece = self._converted(state, frame)
            with self.lock:
                self.closing.discard(id(state))
                self._took(state, piece, len(frame), uri, moved)
                if not state.done and not out[0]:  # its next page goes out
                    out[0] = True
                    self.out += 1
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
            floor = self._units(state.slice.upper, upper=True) + 1
        self.floor = floor if self.floor is None else max(self.floor, floor)
        for other in self.states:  # older than the records' end: nothing to fetch (a
            # request of one in flight is not waited for: its page is dropped)
            if not other.done and other is not state and other.slice is not None \
                    and other.held is None \
                    and self._units(other.slice.upper, upper=True) < self.floor:
                other.done = True
        if self.pending is not None and self.pending.done:
            self.pending = None

    def _converted(self, state: SliceState, frame: pd.DataFrame) -> Any:
        """What ``on_page`` is handed for ``frame``: outside the walks' lock, one page at a
        time like the decoding (a few pages in hand at once, not one a thread)."""
        if self.convert is None:
            return frame
        with self.decoding, collector_paused():
            return self.convert(state, frame)

    def _took(self, state: SliceState, piece: Any, rows: int, uri: str | None,
              moved: ProgressCallback) -> None:
        """A page of ``state`` (``rows`` records, as ``piece``) is in (under the lock): count
        it, hand it over, wake the scheduler."""
        state.started, state.next_uri = True, uri
        state.pages += 1
        state.rows += rows
        state.done = not uri
        if state.done:
            self._gap(state)
        self._deliver(state, piece, moved)

    def _reach(self, state: SliceState, times: pd.Series | None) -> None:
        """How far back a page of ``state`` reached (under the lock, before it is handed
        over: what the splits go by)."""
        if times is not None and self.flt is not None:
            dated = times.dropna()
            if len(dated):
                oldest = units(dated.min(), self.flt.date_only)
                if self.deepest is None or oldest < self.deepest:
                    self.deepest, self.blind = oldest, 0  # records further back: look on
                state.reached = oldest if state.reached is None else min(state.reached, oldest)
                if state.top is None:
                    state.top = units(dated.max(), self.flt.date_only)

    def _gap(self, state: SliceState) -> None:
        """A bounded slice ended far above its lower end (or empty) where records were
        expected: the records may end there, so no more pieces are cut blind until a page
        reaches further back (the open remainder's walk tells)."""
        if self.flt is None or state.slice is None or not state.slice.lower:
            return
        rate = state.rate or self.rate
        lower = self._units(state.slice.lower, upper=False)
        bottom = state.reached if state.reached is not None else \
            self._units(state.slice.upper, upper=True) + 1
        if rate and rate * (bottom - lower) > _slice_plan.PAGE_SIZE / 2:
            self.blind = max(self.blind, self.concurrency)

    def _deliver(self, state: SliceState, piece: Any, moved: ProgressCallback) -> None:
        self.on_page(self.states.index(state), state, piece)
        done = Progress(sum(s.rows for s in self.states), sum(s.pages for s in self.states),
                        not all(s.done for s in self.states))
        moved(done)
        if self.on_progress is not None:
            self.on_progress(done)
        self.lock.notify_all()

    def _next(self, running: list[SliceState]) -> SliceState | None:
        """The slice an idle worker walks next (the planned ones come first)."""
        for _ in range(2):
            pending = self.pending
            if pending is None:
                new = self._split(running)
                if new is None or (new.slice is not None and new.slice.lower):
                    return new
                self.pending = pending = new  # open below: held back, cut into pieces
            assert pending.slice is not None
            if self.floor is not None \
                    and self._units(pending.slice.upper, upper=True) < self.floor:
                pending.done = True  # older than the records' end: nothing to fetch
                self.pending = None
                continue
            scouting = any(id(s) in self.scouts and not s.started for s in running)
            work = self._work(pending)
            new = self._cut(pending, work) if work is not None \
                and work[0] > _slice_plan.PAGE_SIZE else None
            if new is None:  # little left, or enough pieces cut blind
                if work is None and scouting:
                    return None  # wait for the scout
                self.pending = None
                self.scouts.add(id(pending))
                return pending  # the rest as one walk, open below
            self.pending = new
            if not scouting:  # the piece's request goes out open below: its page tells
                self.scouts.add(id(pending))  # whether (and how far) the records go on
            return pending  # the newest piece of the rest
        return None

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

        # a worker decoding a page has handed its place to another: twice the threads
        # (an export's worker keeps its place until its page is written)
        threads = self.concurrency * (1 if self.convert is not None else 2)
        pool = ThreadPoolExecutor(threads, thread_name_prefix="twilio_nb-slice")
        with records_bar(self.progress, None, sum(s.rows for s in self.states)) as moved, \
                _gated(self.first.origin, self.concurrency) as self.origin:
            try:
                with self.lock:
                    while True:
                        for fut in [f for f in running if f.done()]:
                            del running[fut]
                            exc = fut.exception()
                            if exc is not None and error is None:
                                error = exc
                                self.cancel.set()
                        # the idle workers' slices are all cut before any of them is sent
                        launch: list[SliceState] = []
                        while self.out + sum(s.held is None for s in launch) < self.concurrency \
                                and len(running) + len(launch) < threads \
                                and not self.cancel.is_set():
                            state = todo.pop(0) if todo else self._next(
                                [*running.values(), *launch])
                            if state is None:
                                break
                            launch.append(state)
                            if state.slice is not None and not state.slice.lower:
                                self.scouts.add(id(state))
                        for state in launch:
                            self.out += state.held is None
                            fut = pool.submit(self._walk_slice, state, moved)
                            running[fut] = state
                            fut.add_done_callback(ended)
                        if all(s.done for s in running.values()):
                            break  # (a slice abandoned below the records' end may still
                            # wait for its page: not waited for)
                        self.lock.wait(0.5)  # a page arrived or a slice ended
            except BaseException:  # KeyboardInterrupt: let the workers stop first
                self.cancel.set()
                wait(running)
                raise
            finally:
                pool.shutdown(wait=False)
        if error is not None:
            raise error


@contextmanager
def _gated(origin: PageOrigin, concurrency: int) -> Iterator[PageOrigin]:
    """``origin`` with a gate of its own for the block: at most ``concurrency`` of the walk's
    requests in flight, a 429 slowing them all (``origin`` itself where it has no gate)."""
    if origin.gated is None:
        yield origin
        return
    with origin.gated(concurrency) as own:
        yield own
