"""The sandbox's state: collections of records, singletons, filters and paging.

A record is a mapping of a resource's properties (snake_case, as the JSON shows them) plus
hidden keys that start with ``_``: ``_seq`` (creation order, the paging key) and optionally
``_t_<property>`` (a date property as epoch seconds, for date filters). Records are plain dicts,
except the seeded messages, which are compact rows that read like mappings (see ``seed``).

Lists are newest first: by creation order (``_seq``), so records created in the same
second keep the order they were created in (the seeded data and anything created through
the API are created in date order, so this is date order too). A page token is
``PA<seq>`` ("the records created before record <seq>") or ``PB<seq>`` ("the page just
before, newer than <seq>"), so walking pages stays exact while records are added or deleted
during the walk.

One lock (``Store.lock``) guards everything; the app holds it for a whole request.
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .clock import parse_time

__all__ = ["Collection", "Filter", "PageSlice", "Record", "Store", "page_slice", "time_of"]

Record = Mapping[str, Any]
# (property, op, value): eq (value lower-cased), in (frozenset of lower-cased values),
# ge | le | lt (epoch seconds), contains (digits of a phone number), prefix
Filter = tuple[str, str, Any]


def time_of(rec: Record, prop: str) -> float | None:
    """A date property of a record as epoch seconds (cached on dict records)."""
    hidden = "_t_" + prop
    ts = rec.get(hidden)
    if ts is not None:
        return float(ts)
    text = rec.get(prop)
    if not isinstance(text, str) or not text:
        return None
    ts = parse_time(text)
    if ts is not None and isinstance(rec, dict):
        rec[hidden] = ts
    return ts


def _seq(rec: Record) -> int:
    return int(rec["_seq"])


DATE_OPS = ("ge", "le", "lt")


def _filter_time(rec: Record, prop: str) -> float | None:
    """The date a date filter on ``prop`` compares ``rec`` by."""
    ts = time_of(rec, prop)
    if ts is None and prop == "date_sent":  # a message not sent: its creation date
        ts = time_of(rec, "date_created")
    return ts


def _matches(rec: Record, filters: tuple[Filter, ...]) -> bool:
    for prop, op, value in filters:
        if op in DATE_OPS:
            ts = _filter_time(rec, prop)
            if ts is None or (op == "ge" and ts < value) or (op == "le" and ts > value) \
                    or (op == "lt" and ts >= value):
                return False
            continue
        got = rec.get(prop)
        if isinstance(got, bool):
            got = "true" if got else "false"
        got = "" if got is None else str(got)
        if op == "eq" and got.lower() != value:
            return False
        if op == "in" and got.lower() not in value:
            return False
        if op == "prefix" and not got.startswith(value):
            return False
        if op == "contains" and value not in got:
            return False
    return True


class Collection:
    """The records of one list path, in creation order, by key."""

    __slots__ = ("_by_key", "_list", "_times", "_views", "key_prop", "version")

    def __init__(self, key_prop: str = "sid") -> None:
        self.key_prop = key_prop
        self._by_key: dict[str, Record] = {}
        self._list: list[Record] | None = []
        self._views: dict[tuple[Filter, ...], list[Record]] = {}
        self._times: dict[str, list[float] | None] = {}
        self.version = 0

    def _changed(self) -> None:
        self.version += 1
        if self._views:
            self._views = {}
        if self._times:
            self._times = {}

    def key_of(self, rec: Record) -> str:
        """The record's key: its key property, or its sequence number when it has none
        (call events, available numbers without a key)."""
        key = rec.get(self.key_prop)
        return str(key if key is not None else rec["_seq"])

    def add(self, rec: Record) -> None:
        key = self.key_of(rec)
        if key in self._by_key:
            self.replace(key, rec)
            return
        self._by_key[key] = rec
        if self._list is not None:
            if self._list and _seq(self._list[-1]) > _seq(rec):
                self._list = None
            else:
                self._list.append(rec)
        self._changed()

    def extend(self, recs: list[Record]) -> None:
        """Bulk add of records in creation order (seeding)."""
        for rec in recs:
            self._by_key[self.key_of(rec)] = rec
        self._list = None
        self._changed()

    def replace(self, key: str, rec: Record) -> None:
        self._by_key[key] = rec
        self._list = None
        self._changed()

    def get(self, key: str) -> Record | None:
        return self._by_key.get(key)

    def remove(self, key: str) -> Record | None:
        rec = self._by_key.pop(key, None)
        if rec is not None:
            self._list = None
            self._changed()
        return rec

    def __len__(self) -> int:
        return len(self._by_key)

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def records(self) -> list[Record]:
        """Every record, oldest first."""
        if self._list is None:
            self._list = sorted(self._by_key.values(), key=_seq)
        return self._list

    def view(self, filters: tuple[Filter, ...]) -> list[Record]:
        """The records passing every filter, oldest first (cached until the next change)."""
        if not filters:
            return self.records()
        hit = self._views.get(filters)
        if hit is None:
            records, rest = self._date_range(filters)
            hit = [r for r in records if _matches(r, rest)] if rest else list(records)
            if len(self._views) > 32:
                self._views = {}
            self._views[filters] = hit
        return hit


    def _timeline(self, prop: str) -> list[float] | None:
        """Every record's filter date on ``prop`` in creation order, when each has one and
        they never go back in time (then a date range is found by bisection, as a database
        index would); else None."""
        if prop not in self._times:
            times: list[float] | None = []
            last = float("-inf")
            for rec in self.records():
                ts = _filter_time(rec, prop)
                if ts is None or ts < last:
                    times = None
                    break
                assert times is not None
                times.append(ts)
                last = ts
            self._times[prop] = times
        return self._times[prop]

    def _date_range(self, filters: tuple[Filter, ...]) -> tuple[list[Record], tuple[Filter, ...]]:
        """The records a date range on one property leaves (by bisection where the dates
        follow creation order), and the filters still to apply."""
        dates = [f for f in filters if f[1] in DATE_OPS]
        props = {f[0] for f in dates}
        records = self.records()
        times = self._timeline(next(iter(props))) if len(props) == 1 else None
        if times is None:
            return records, filters
        lo, hi = 0, len(records)
        for _, op, value in dates:
            if op == "ge":
                lo = max(lo, bisect_left(times, value))
            elif op == "le":
                hi = min(hi, bisect_right(times, value))
            else:
                hi = min(hi, bisect_left(times, value))
        rest = tuple(f for f in filters if f[1] not in DATE_OPS)
        return (records[lo:hi] if lo < hi else []), rest


@dataclass
class PageSlice:
    """One page of a list, newest first."""

    records: list[Record]
    page: int
    start: int  # index of the first record of the page in the whole (filtered) list
    next_token: str | None
    prev_token: str | None


class BadTokenError(ValueError):
    """A PageToken the sandbox did not make."""


def page_slice(view: list[Record], size: int, page: int, token: str | None) -> PageSlice:
    """The page of ``view`` (oldest first) that a list request asks for."""
    n = len(view)
    if token:
        kind, digits = token[:2], token[2:]
        if kind not in ("PA", "PB") or not digits.isdigit():
            raise BadTokenError(token)
        seq = int(digits)
        if kind == "PA":
            hi = bisect_left(view, seq, key=_seq)
            lo = max(0, hi - size)
        else:
            lo = bisect_right(view, seq, key=_seq)
            hi = min(n, lo + size)
    else:
        hi = max(0, n - page * size)
        lo = max(0, hi - size)
    recs = view[lo:hi][::-1]
    next_token = f"PA{_seq(recs[-1])}" if recs and lo > 0 else None
    prev_token = f"PB{_seq(recs[0])}" if recs and hi < n else None
    return PageSlice(recs, page, n - hi, next_token, prev_token)


class Store:
    """Every collection and singleton of one sandbox, by (product, path segments)."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self._collections: dict[tuple[str, tuple[str, ...]], Collection] = {}
        self._singletons: dict[tuple[str, tuple[str, ...]], dict[str, Any]] = {}
        self._seq = 0

    def next_seq(self) -> int:
        self._seq += 1
        return self._seq

    @property
    def shape(self) -> tuple[int, int]:
        """Changes whenever a record is created or a collection made or dropped (the records
        of a collection change its own ``version``)."""
        return self._seq, len(self._collections)

    def reserve_seqs(self, n: int) -> int:
        """Reserve ``n`` sequence numbers; returns the first."""
        first = self._seq + 1
        self._seq += n
        return first

    def collection(self, product: str, path: tuple[str, ...], key_prop: str = "sid") -> Collection:
        key = (product, path)
        coll = self._collections.get(key)
        if coll is None:
            coll = self._collections[key] = Collection(key_prop)
        return coll

    def find(self, product: str, path: tuple[str, ...]) -> Collection | None:
        return self._collections.get((product, path))

    def drop_below(self, product: str, path: tuple[str, ...]) -> None:
        """Forget every collection and singleton under ``path`` (a deleted instance's children)."""
        n = len(path)
        for key in [k for k in self._collections if k[0] == product and k[1][:n] == path]:
            del self._collections[key]
        for key in [k for k in self._singletons if k[0] == product and k[1][:n] == path]:
            del self._singletons[key]

    def under(self, product: str,
              prefix: tuple[str, ...]) -> list[tuple[tuple[str, ...], Collection]]:
        """(path, collection) of every collection whose path starts with ``prefix``."""
        n = len(prefix)
        return [(k[1], c) for k, c in self._collections.items()
                if k[0] == product and k[1][:n] == prefix]

    def singleton(self, product: str, path: tuple[str, ...],
                  make: Callable[[], dict[str, Any]] | None = None) -> dict[str, Any] | None:
        key = (product, path)
        rec = self._singletons.get(key)
        if rec is None and make is not None:
            rec = self._singletons[key] = make()
        return rec

    def set_singleton(self, product: str, path: tuple[str, ...], rec: dict[str, Any]) -> None:
        self._singletons[(product, path)] = rec

    def __repr__(self) -> str:
        total = sum(len(c) for c in self._collections.values())
        return f"Store(collections={len(self._collections)}, records={total})"
