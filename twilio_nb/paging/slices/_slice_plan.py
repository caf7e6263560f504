"""Concurrent walks: a list cut into date slices (:mod:`._slice_dates`), the slices walked
at once on the connection's one pool, their pages handed over in the list's order.

This module holds a walk's plan (:func:`prepare`), each slice's state (:class:`SliceState`,
saved in a ``to_parquet`` checkpoint), the requests and the records' filter dates;
:mod:`twilio_nb.paging.slices._slice_scheduler` runs the slices ``concurrency`` at a time behind the
connection's gate (:mod:`twilio_nb.transport.gate`: at most N requests in flight, a 429 slows every
worker), each by the core's one walker (:class:`twilio_nb.paging.Walk`), and hands each
page to a sink: the frame of ``all(concurrency=N)``
(:class:`~twilio_nb.paging.ConcurrentWalk`) or the Parquet file of ``to_parquet``
(:mod:`twilio_nb.paging.export._parquet`). The merged walk keeps the walker's contract: ``limit``,
``cancel``, one progress (``Progress(records, pages, has_next)``, a tqdm bar), and
:class:`~twilio_nb.errors.PagingError` with ``partial`` and ``resume()``. Only GETs are
sent.

The first page is the list's newest page: its records newer than its oldest instant (unit)
are the walk's first records, handed over as they are, and the rest of the range (to that
instant, inclusive) is walked in slices: from ``since=`` / the Query's ``X>=`` in slices
planned by :func:`._slice_dates.plan`, or, when the oldest record is not known, as one
slice open below. Nothing is probed: idle workers **split** the running slice with the most
work left (:mod:`twilio_nb.paging.slices._slice_scheduler`; the ordering assumption is in
:mod:`._slice_dates`), so that the first requests after the first page already fetch
records, and a slice denser than the rest does not keep the other workers waiting.

Records without the filter's date match no date filter: calls not dialled yet have no
``start_time`` (:data:`UNDATED`), so a sliced walk of calls leaves them out, and a
TwilioWarning says so.

The range (``since``/``until`` against the request's date filter and its Query) is checked
in one place, :func:`check_range`. Imports nothing above paging: no answers, session or
front end; pandas only inside functions.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx

from ...errors import ConfigurationError, warn
from ..walk._page_size import MAX_PAGE_SIZE, PAGING_PARAMS
from ._slice_dates import (
    Bound,
    DateFilter,
    Slice,
    date_filter,
    narrowed,
    parse_bound,
    plan,
    unit_text,
    units,
)

if TYPE_CHECKING:
    import pandas as pd

    from ...request.built import BuiltRequest
    from ..walk._page_types import ListPage

__all__ = ["PAGE_SIZE", "SliceState", "check_range", "first_rate", "prepare",
           "record_times", "request_at", "request_for"]

# a slice's pages: Twilio's largest (read as _slice_plan.PAGE_SIZE by the scheduler and the
# splits, so that tests can make it smaller in one place)
PAGE_SIZE = MAX_PAGE_SIZE
SAVED = ("next_uri", "started", "done", "pages", "rows", "reached")
# filter dates some records lack, so that no date filter sees them (see docs/bulk.md)
UNDATED = {"start_time": (
    "Calls not dialled yet (queued, or canceled before dialling; in the sandbox also busy, "
    "failed and no-answer calls) have no start_time, and no StartTime filter matches them: "
    "the sliced walk leaves them out. Walk with concurrency=1 to include them.")}


@dataclass
class SliceState:
    """Where one slice's walk is: its range (None: the whole list, one walk; its ``lower``
    moves up when the slice is split), the next page's address (None before its first
    page), pages and records taken so far, ``reached`` (the oldest instant of its records
    so far, in units of :func:`._slice_dates.units`), ``rate`` (records a unit expected),
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


def request_for(built: BuiltRequest, flt: DateFilter | None,
                extra: list[tuple[str, str]], page_size: int | None = None) -> BuiltRequest:
    """A list's request (``built``: its first page's) as a GET of page 0 with ``page_size``
    records a page (default :data:`PAGE_SIZE`), its date filter replaced by ``extra``."""
    page_size = PAGE_SIZE if page_size is None else page_size
    drop = set(PAGING_PARAMS) | (set(flt.keys) if flt is not None and extra else set())
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
    # deferred: convert loads pandas, and `import twilio_nb` reaches this module through
    # Result (tests/test_imports.py keeps pandas out of the package's import)
    from ...convert import parse_iso8601, parse_rfc2822

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


def first_rate(first: ListPage, flt: DateFilter, times: pd.Series | None = None
               ) -> float | None:
    """Records a unit (second or day) over the first page's stretch, when more pages follow
    (``times``: the page's :func:`record_times`, when they are in hand)."""
    if times is None:
        times = record_times(first.untyped_frame(), flt)
    times = times.dropna() if times is not None else None
    if times is None or len(times) < 2 or not first.has_next_page:
        return None
    span = units(times.max(), flt.date_only) - units(times.min(), flt.date_only) + 1
    return len(times) / span


def check_range(request: BuiltRequest, since: Any = None, until: Any = None,
                prefix: str = "") -> tuple[DateFilter | None, Bound | None, Bound | None]:
    """``since``/``until`` against ``request``'s date filter and the date filters its Query
    has already (:func:`._slice_dates.narrowed`): the filter and the range to slice. A
    ConfigurationError, ``prefix`` first (how a front end names the options), when the list
    has no date filter to narrow or the range is empty. Nothing is sent."""
    flt = date_filter(request.operation)
    if flt is None:
        if since is not None or until is not None:
            name = request.operation.name if request.operation else "This request"
            raise ConfigurationError(f"{prefix}{name} has no date filter, so since/until "
                                     "cannot apply: leave them out.", field="since")
        return None, None, None
    try:
        lower, upper = narrowed(flt, _pairs(request), since, until)
    except ConfigurationError as exc:
        if not prefix:
            raise
        raise ConfigurationError(f"{prefix}{exc}", field=exc.field) from None
    return flt, lower, upper


def prepare(first: ListPage, concurrency: int, since: Any = None, until: Any = None
            ) -> tuple[DateFilter | None, list[SliceState]]:
    """Plan the walk: the filter and the slices, newest first (the first one holds the first
    page's records newer than its oldest unit). Nothing is sent. ``concurrency`` was checked
    with the options (:class:`~twilio_nb.paging.WalkOptions`); the range is checked here
    (:func:`check_range`). Without a date filter one state walks the whole list (a
    TwilioWarning says so when ``concurrency`` asked for more)."""
    flt, lower, upper = check_range(first.request, since, until)
    if flt is None:
        if concurrency > 1:
            warn(f"{first.operation.name if first.operation else 'This request'} cannot be "
                 "cut into date slices (its list has no date filter it is ordered by): walking "
                 "one page after the other.")
        return None, [SliceState(None)]
    if flt.column in UNDATED:
        warn(UNDATED[flt.column])
    frame = first.untyped_frame()
    times = record_times(frame, flt)
    if times is None or times.isna().all():
        return flt, []
    oldest = units(times.min(), flt.date_only)
    newer = parse_bound(unit_text(oldest + 1, flt.date_only), "since", upper=False).at
    undated = times.isna()
    inside = undated | (((times >= lower.at) if lower else True)
                        & ((times <= upper.at) if upper else True))
    if flt.column in UNDATED and flt.column in frame.columns:  # as the filters see them
        inside &= _parsed(frame[flt.column]).notna().to_numpy()
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
    rate = first_rate(first, flt, times)
    if lower is None:
        slices = [Slice("", top.text)]
    else:
        slices = plan(lower, top, concurrency, date_only=flt.date_only,
                      per_second=None if flt.date_only else rate, page_size=PAGE_SIZE)
    return flt, states + [SliceState(s, rate=rate) for s in slices]
