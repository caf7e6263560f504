"""The sandbox's Bulk Export day files: its own records, grouped by UTC day, written as Twilio
writes them (twilio.com/docs/usage/bulkexport/day): gzip JSON lines, one record a line, like
the resource's JSON but with UTC ISO 8601 dates and without the fields
:data:`~twilio_nb.vocabulary.BULK_EXPORT_LEFT_OUT` names.

A day's file is made from the store when asked and kept (by the count of the day's records:
a new record of an old day makes it again). The records by day are kept too, until the
store's shape or a source collection's version changes, so that a large sandbox (a million
messages) does not group them again on every request.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable
from typing import Any

from ..vocabulary import BULK_EXPORT_LEFT_OUT
from .bodies import columns, json_record
from .clock import iso8601, parse_time
from .routes import V2010
from .store import Collection, Record, Store, time_of

__all__ = ["DAY_S", "StoredDayFiles"]

DAY_S = 86400
#: resource -> (the collection's last path segment, the catalog resource of its records)
SOURCES = {"Messages": ("Messages", "api.v2010.account.message"),
           "Calls": ("Calls", "api.v2010.account.call"),
           "Conferences": ("Conferences", "api.v2010.account.conference"),
           "Participants": ("Participants", "api.v2010.account.conference.participant")}
_DATES = ("date_created", "date_updated", "date_sent", "start_time", "end_time")


def _line(rec: Record, cols: tuple[str, ...], left_out: tuple[str, ...]) -> str:
    values: dict[str, Any] = json.loads(json_record(rec, cols, ""))
    for name in left_out:
        values.pop(name, None)
    for name in _DATES:
        text = values.get(name)
        if isinstance(text, str) and text:
            when = parse_time(text)
            values[name] = iso8601(when) if when is not None else text
    return json.dumps(values, ensure_ascii=False)


class StoredDayFiles:
    """Day files of one sandbox account, made from ``store`` as asked."""

    def __init__(self, account: str) -> None:
        self.account = account
        self._cache: dict[tuple[str, int], tuple[int, bytes]] = {}
        self._sources: dict[str, tuple[tuple[int, int, int], list[Collection]]] = {}
        self._days: dict[str, tuple[tuple[Any, ...], dict[int, list[Record]]]] = {}

    def _collections(self, store: Store, resource: str) -> list[Collection]:
        shape = (id(store), *store.shape)
        known = self._sources.get(resource)
        if known is not None and known[0] == shape:
            return known[1]
        last, _ = SOURCES[resource]
        prefix = (V2010, "Accounts", self.account)
        found = [coll for path, coll in store.under("api", prefix)
                 if path[-1] == last and (resource != "Participants" or "Conferences" in path)]
        self._sources[resource] = (shape, found)
        return found

    def _records(self, colls: list[Collection]) -> Iterable[Record]:
        for coll in colls:
            yield from coll.records()

    def by_day(self, store: Store, resource: str) -> dict[int, list[Record]]:
        """Records by UTC day (days since the epoch) of their ``date_created``."""
        colls = self._collections(store, resource)
        key = (id(store), *store.shape, *(coll.version for coll in colls))
        known = self._days.get(resource)
        if known is not None and known[0] == key:
            return known[1]
        days: dict[int, list[Record]] = {}
        for rec in self._records(colls):
            when = time_of(rec, "date_created")
            if when is not None:
                days.setdefault(int(when // DAY_S), []).append(rec)
        self._days[resource] = (key, days)
        return days

    def file(self, resource: str, day: int, recs: list[Record]) -> bytes:
        """The day's gzip JSON lines."""
        known = self._cache.get((resource, day))
        if known is not None and known[0] == len(recs):
            return known[1]
        cols = columns(SOURCES[resource][1])
        left_out = BULK_EXPORT_LEFT_OUT[resource]
        text = "".join(_line(rec, cols, left_out) + "\n" for rec in recs)
        body = gzip.compress(text.encode("utf-8"), mtime=0)
        self._cache[(resource, day)] = (len(recs), body)
        return body
