"""What ``conn.bulk_export(...)`` returns: the typed frame, the days, the jobs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ._days import DayState

__all__ = ["BulkExport"]

DAY_COLUMNS = {"day": "str", "size": "Int64", "records": "Int64", "status": "str",
               "job_sid": "str"}
JOB_COLUMNS = ("job_sid", "start_day", "end_day", "friendly_name", "status", "days")


@dataclass
class BulkExport:
    """An export of one resource over ``since``..``until`` (both days included).

    ``df``: every record of the available days, typed like the resource's list frame (read
    back from the Parquet file when the export wrote one); ``days``: one row per day (day,
    size, records, status, job_sid); ``jobs``: the jobs sent; ``missing``: the days whose
    records are not in ``df``."""

    resource: str
    since: dt.date
    until: dt.date
    states: list[DayState] = field(repr=False)
    job_rows: list[dict[str, object]] = field(repr=False)
    frame: pd.DataFrame | None = field(default=None, repr=False)
    parquet: Path | None = None
    resumed: bool = False

    @property
    def df(self) -> pd.DataFrame:
        if self.frame is None and self.parquet is not None:
            return pd.read_parquet(self.parquet)
        return self.frame if self.frame is not None else pd.DataFrame()

    @property
    def days(self) -> pd.DataFrame:
        frame = pd.DataFrame([s.row() for s in self.states], columns=list(DAY_COLUMNS))
        return frame.astype(DAY_COLUMNS)

    @property
    def jobs(self) -> pd.DataFrame:
        return pd.DataFrame(self.job_rows, columns=list(JOB_COLUMNS))

    @property
    def missing(self) -> list[str]:
        return [s.day.isoformat() for s in self.states if s.status != "available"]

    @property
    def records(self) -> int:
        return sum(s.records or 0 for s in self.states)

    def __repr__(self) -> str:
        counts: dict[str, int] = {}
        for state in self.states:
            counts[state.status] = counts.get(state.status, 0) + 1
        days = ", ".join(f"{n} {status}" for status, n in counts.items())
        where = f", written to {self.parquet}" if self.parquet else ""
        return (f"BulkExport({self.resource} {self.since}..{self.until}: {self.records} "
                f"records; days: {days}; {len(self.job_rows)} jobs{where})")
