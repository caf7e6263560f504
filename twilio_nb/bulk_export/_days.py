"""The days an export covers: which have a file (the Days list, walked to its end by the one
page walk), which must be made by a job, which have expired.

A day's status: ``available`` (its file is there, or its job found no records), ``requested``
(a job was sent and has not started), ``running`` (its job is working), ``missing`` (no file,
and no job asked: ``create_jobs=False``), ``expired`` (its file was made more than seven days
ago and was not asked again), ``failed`` (its job failed, or ended without it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from .. import catalog
from ._link import KEPT_DAYS, Link, day_text, parse_day

__all__ = ["STATUSES", "DayState", "listed_days", "page_size", "span"]

STATUSES = ("available", "requested", "running", "missing", "expired", "failed")


@dataclass
class DayState:
    """One row of ``x.days``."""

    day: dt.date
    status: str = "missing"
    size: int | None = None
    records: int | None = None
    job_sid: str | None = None

    def row(self) -> dict[str, Any]:
        return {"day": day_text(self.day), "size": self.size, "records": self.records,
                "status": self.status, "job_sid": self.job_sid}


def span(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def page_size() -> int:
    """The largest PageSize the catalog allows for List Export Days."""
    param = catalog.find("Day", "List Export Days").param("PageSize")
    top = param.maximum if param is not None else None
    return int(top) if top else 100


def _made(value: Any) -> dt.datetime | None:
    if value is None or value != value:  # NaN
        return None
    try:
        made = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return made if made.tzinfo else made.replace(tzinfo=dt.UTC)


def listed_days(link: Link, resource: str, first: dt.date, last: dt.date,
                now: dt.datetime) -> dict[dt.date, DayState]:
    """Each day of the range that the Days list names: available, or expired when its file
    was made more than :data:`KEPT_DAYS` days before ``now``."""
    built = link.build_basic("Day", "List Export Days", params={"ResourceType": resource},
                             query={"PageSize": page_size()})
    frame = link.execute(built).all(progress=False)
    found: dict[dt.date, DayState] = {}
    if not len(frame):
        return found
    sizes = frame["size"] if "size" in frame else [None] * len(frame)
    made = frame["create_date"] if "create_date" in frame else [None] * len(frame)
    for day_value, size, created in zip(frame["day"], sizes, made, strict=True):
        day = parse_day(day_value, "day")
        if not first <= day <= last:
            continue
        when = _made(created)
        old = when is not None and now - when > dt.timedelta(days=KEPT_DAYS)
        found[day] = DayState(day, "expired" if old else "available",
                              None if size is None or size != size else int(size))
    return found
