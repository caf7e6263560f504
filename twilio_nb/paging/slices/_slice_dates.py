"""Date slices of a list: the plan a concurrent walk follows (pure: nothing is sent here).

A list operation that filters by date can be cut into disjoint date ranges walked at once.
Twilio's filters (2010 API, e.g. List Messages' ``DateSent``): ``X=D`` on day D,
``X>=D`` on or after D's midnight, ``X<=D`` up to the end of day D (D included); a date-time
value is that second. In a query string ``X<=D`` is the key ``X<`` with the value ``D``.

A plan covers ``[oldest, newest]`` with slices newest first: slice k is ``X>=day_k`` and
``X<=day_{k+1} - 1 day``, so a record exactly at a slice's midnight belongs to the newer
slice alone, and records of one second never straddle two slices (slices are whole days).
Walked newest slice first, each slice in the list's own order, the slices give the list's
order. The ordering assumption everything here rests on: the list is ordered newest first by
the filter's date (a record without it, such as a message not sent yet, by its
``date_created``), as Twilio and the sandbox list.

A slice can be split while it is walked (:func:`split_point`): a walk newest first that has
reached the records of instant R still has ``[lower, R]`` to go; cut at S (whole seconds
for a date-time filter, whole days for a date-only one), the walk keeps ``[S, ...]`` (it
drops what is older than S and ends at the first page that reaches below S) and a new slice
``[lower, S - 1 unit]`` follows it in the list's order. Both ends are inclusive, so no record
is lost or taken twice.

Which filter an operation has comes from its catalog query parameters: ``X``, ``X<`` and
``X>`` with a date format (``DateSent``, ``StartTime``, ``DateCreated``, ...). Operations with
``StartDate``/``EndDate`` (usage records, conversations) filter by date too, but their lists
are not ordered by that date, so slices cannot give their order: :func:`date_filter` returns
None for them and they walk one page after the other.

Pure date maths: imports catalog (types) and errors only; nothing of paging's walks, nothing
above paging.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ...errors import ConfigurationError

if TYPE_CHECKING:
    from ...catalog import Operation

__all__ = ["Bound", "DateFilter", "Slice", "date_filter", "narrowed", "parse_bound", "plan",
           "split_point", "unit_text", "units"]

SLICES_PER_WORKER = 4  # more slices than workers: a dense slice does not keep the rest waiting
DAY = dt.timedelta(days=1)
# the filters whose lists are ordered by them, preferred in this order
PREFERRED = ("DateSent", "StartTime", "DateCreated", "MessageDate")


@dataclass(frozen=True)
class DateFilter:
    """An operation's date filter: ``param`` (``DateSent``), its record column (``date_sent``),
    and whether Twilio takes a date only (``date``) or a date-time too."""

    param: str
    column: str
    date_only: bool

    @property
    def lower_key(self) -> str:  # "on or after": DateSent>=... in the URL
        return self.param + ">"

    @property
    def upper_key(self) -> str:  # "on or before": DateSent<=...
        return self.param + "<"

    @property
    def keys(self) -> tuple[str, str, str]:
        return self.param, self.lower_key, self.upper_key


def _snake(name: str) -> str:
    out = "".join("_" + c.lower() if c.isupper() else c for c in name)
    return out.lstrip("_")


def date_filter(operation: Operation | None) -> DateFilter | None:
    """The date filter a concurrent walk slices ``operation``'s list by, or None."""
    if operation is None or operation.kind != "list":
        return None
    params = {p.name: p for p in operation.params_in("query")}
    found = [name for name, p in params.items()
             if p.format in ("date", "date-time") and name + "<" in params
             and name + ">" in params]
    if not found:
        return None
    found.sort(key=lambda n: PREFERRED.index(n) if n in PREFERRED else len(PREFERRED))
    name = found[0]
    return DateFilter(name, _snake(name), params[name].format == "date")


@dataclass(frozen=True, order=True)
class Bound:
    """One end of a range: the instant it stands for (``at``, UTC), the day it falls on, and
    the text sent to Twilio (``2025-06-01`` or ``2025-06-01T12:00:00Z``)."""

    at: dt.datetime
    day: dt.date
    text: str
    date_only: bool


def _utc(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def parse_bound(value: Any, name: str, *, upper: bool) -> Bound:
    """``value`` (a date, a datetime, or ISO 8601 text) as a range end; a ConfigurationError
    that says how to write it otherwise. A date as an upper end stands for its last second."""
    if isinstance(value, str):
        text = value.strip()
        try:
            value = dt.date.fromisoformat(text) if len(text) == 10 else \
                dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise ConfigurationError(
                f"{name}={text!r} is not a date: give a date (2025-06-01, datetime.date) or "
                "an ISO 8601 date-time (2025-06-01T12:00:00Z, datetime.datetime).",
                field=name) from None
    if isinstance(value, dt.datetime):
        at = _utc(value)
        return Bound(at, at.date(), at.strftime("%Y-%m-%dT%H:%M:%SZ"), False)
    if isinstance(value, dt.date):
        start = dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
        at = start + DAY - dt.timedelta(seconds=1) if upper else start
        return Bound(at, value, value.isoformat(), True)
    raise ConfigurationError(f"{name} must be a date, a datetime or ISO 8601 text, not "
                             f"{type(value).__name__}: e.g. {name}='2025-06-01'.", field=name)


def narrowed(flt: DateFilter, query: list[tuple[str, str]], since: Any = None,
             until: Any = None) -> tuple[Bound | None, Bound | None]:
    """The range to slice: ``since``/``until`` narrowed by the date filters the Query already
    has (``DateSent``, ``DateSent>``, ``DateSent<``). A ConfigurationError when they
    contradict (the range is empty) or ``since`` is after ``until``."""
    lower = parse_bound(since, "since", upper=False) if since is not None else None
    upper = parse_bound(until, "until", upper=True) if until is not None else None
    if lower is not None and upper is not None and lower.at > upper.at:
        raise ConfigurationError(f"since ({lower.text}) is after until ({upper.text}): give "
                                 "since <= until.", field="since")
    for bound in (lower, upper):
        if bound is not None and flt.date_only and not bound.date_only:
            raise ConfigurationError(
                f"{flt.param} takes dates only: give since/until as dates (2025-06-01), not "
                f"date-times ({bound.text}).", field="since" if bound is lower else "until")
    given_lower = given_upper = None
    for key, text in query:
        name = f"{key}={text!r} in the Query"
        if key in (flt.param, flt.lower_key):
            got = parse_bound(text, name, upper=False)
            given_lower = got if given_lower is None or got.at > given_lower.at else given_lower
        if key in (flt.param, flt.upper_key):
            got = parse_bound(text, name, upper=True)
            given_upper = got if given_upper is None or got.at < given_upper.at else given_upper
    if given_lower is not None and given_upper is not None and given_lower.at > given_upper.at:
        raise ConfigurationError(f"The Query's {flt.param} filters leave no date: "
                                 f"{given_lower.text} is after {given_upper.text}.",
                                 field=flt.param)
    for mine, theirs, word in ((lower, given_upper, "after"), (upper, given_lower, "before")):
        if mine is not None and theirs is not None and (
                mine.at > theirs.at if word == "after" else mine.at < theirs.at):
            raise ConfigurationError(
                f"{'since' if mine is lower else 'until'}={mine.text} is {word} the Query's "
                f"{flt.param} filter ({theirs.text}): nothing could match. Drop one of them, or "
                "give a range inside the Query's.", field="since" if mine is lower else "until")
    if given_lower is not None and (lower is None or given_lower.at > lower.at):
        lower = given_lower
    if given_upper is not None and (upper is None or given_upper.at < upper.at):
        upper = given_upper
    return lower, upper


@dataclass(frozen=True)
class Slice:
    """Records from ``lower`` to ``upper``, both included: the text sent as ``X>=`` / ``X<=``."""

    lower: str  # "": no lower end (the oldest slice of a list whose oldest day is estimated)
    upper: str

    def query(self, flt: DateFilter) -> list[tuple[str, str]]:
        return ([(flt.lower_key, self.lower)] if self.lower else []) + [(flt.upper_key,
                                                                         self.upper)]


def plan(lower: Bound, upper: Bound, concurrency: int,
         per_worker: int = SLICES_PER_WORKER, *, open_below: bool = False,
         per_second: float | None = None, date_only: bool = True,
         page_size: int = 1000) -> list[Slice]:
    """Disjoint slices covering ``[lower, upper]``, newest first; the outer ends keep the
    exact text given (a date-time stays one). ``open_below``: ``lower`` is an estimate, the
    oldest slice has no lower end (it takes whatever is older too).

    Whole days (at most ``concurrency * per_worker`` slices) where the filter takes dates
    only or nothing is known of the records' density; where it takes date-times and
    ``per_second`` records a second are expected, whole seconds, each slice sized to hold
    a little less than one page (``page_size``), so that most slices take one request."""
    if lower.at > upper.at:
        return []
    if date_only or not per_second:
        days = (upper.day - lower.day).days + 1
        count = max(1, min(days, concurrency * per_worker))
        starts = [dt.datetime.combine(lower.day + dt.timedelta(days=(days * k) // count),
                                      dt.time(), dt.UTC) for k in range(count)]
        step = DAY
    else:
        seconds = int((upper.at - lower.at).total_seconds()) + 1
        wanted = per_second * seconds / (FILL * page_size)
        most = concurrency * MAX_PER_WORKER  # a wrong density costs requests, not more
        count = max(1, min(seconds, most, max(concurrency * per_worker, int(wanted) + 1)))
        starts = [lower.at + dt.timedelta(seconds=(seconds * k) // count) for k in range(count)]
        step = dt.timedelta(seconds=1)
    slices: list[Slice] = []
    for k, start in enumerate(starts):
        last = starts[k + 1] - step if k + 1 < count else upper.at
        low = ("" if open_below else lower.text) if k == 0 else _text(start, step)
        high = upper.text if k + 1 == count else _text(last, step)
        slices.append(Slice(low, high))
    return slices[::-1]


FILL = 0.9  # a slice sized to 90 % of a page: a denser stretch still fits in one
MAX_PER_WORKER = 40  # slices a worker walks at most


def _text(at: dt.datetime, step: dt.timedelta) -> str:
    return at.date().isoformat() if step == DAY else at.strftime("%Y-%m-%dT%H:%M:%SZ")


# -- splitting a slice while it is walked: instants as whole units (seconds or days) --------
OPEN_KEEP_DAYS = 1  # what the walk of an open-below slice keeps when its density is unknown
SPLIT_FILL = 0.95  # a piece cut off a walk: a little less than the page its request brings


def units(at: dt.datetime, date_only: bool) -> int:
    """``at`` as whole units: the day's ordinal (date-only filters) or epoch seconds."""
    at = _utc(at)
    return at.date().toordinal() if date_only else int(at.timestamp() // 1)


def unit_text(unit: int, date_only: bool) -> str:
    """The filter text of a unit (``2025-06-01`` or ``2025-06-01T12:00:00Z``)."""
    if date_only:
        return dt.date.fromordinal(unit).isoformat()
    return _text(dt.datetime.fromtimestamp(unit, dt.UTC), dt.timedelta(seconds=1))


def split_point(lower: int | None, reached: int, rate: float | None, page_size: int,
                date_only: bool) -> int | None:
    """Where to cut the remaining range ``[lower, reached]`` (units; ``lower`` None: open
    below) of a slice being walked: the walk keeps ``[S, reached]``, the new slice takes
    ``[lower, S - 1]``. None when the range is under two units.

    ``rate`` (records a unit, observed): the walk keeps at least what its next page brings
    (95 % of a page) and otherwise half of the expected records; open below, just that page's
    worth (a new open slice takes the rest and is split again by the next idle worker).
    Nothing known: the midpoint (open below: a day back)."""
    if lower is not None and reached - lower + 1 < 2:
        return None
    if rate:
        expected = rate * (reached - lower + 1) if lower is not None else 0.0
        keep = max(1, math.ceil(max(SPLIT_FILL * page_size, expected / 2) / rate))
    elif lower is not None:
        keep = (reached - lower + 1) // 2
    else:
        keep = OPEN_KEEP_DAYS if date_only else OPEN_KEEP_DAYS * 86_400
    cut = reached - keep + 1
    return cut if lower is None else min(max(cut, lower + 1), reached)
