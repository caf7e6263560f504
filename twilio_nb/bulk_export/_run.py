"""One export, whole: checked before anything is sent, then days listed, jobs sent and
polled, day files fetched (``concurrency`` at a time, in day order) and typed, kept in
memory or written to Parquet."""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypedDict

import httpx
import pandas as pd

from ..convert import arrow_frame, arrow_schema, empty_frame
from ..errors import ConfigurationError
from ..paging import Progress, check_concurrency, records_bar
from ..vocabulary import BULK_EXPORT_LEFT_OUT
from ._bulk_result import BulkExport
from ._day_pieces import DayWriter
from ._days import DayState, listed_days, span
from ._files import DayFiles
from ._jobs import JobRun, check_job_range
from ._link import Clock, Link, check_range, check_region, check_resource, list_operation, utc_today

__all__ = ["ExportOptions", "run_export"]

class ExportOptions(TypedDict, total=False):
    create_jobs: bool
    wait: bool
    poll_s: float
    timeout: float | None
    concurrency: int
    parquet: str | Path | None
    overwrite: bool
    progress: bool


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _check_numbers(poll_s: float, timeout: float | None, concurrency: int) -> None:
    if not isinstance(poll_s, int | float) or poll_s <= 0:
        raise ConfigurationError(f"poll_s must be a number of seconds above 0; got {poll_s!r}.",
                                 field="poll_s")
    if timeout is not None and (not isinstance(timeout, int | float) or timeout < 0):
        raise ConfigurationError(f"timeout must be None or seconds (0 or more); got "
                                 f"{timeout!r}.", field="timeout")
    check_concurrency(concurrency)


def run_export(link: Link, transport: httpx.BaseTransport | None, resource: str, since: Any,
               until: Any, *, create_jobs: bool = True, wait: bool = True,
               poll_s: float = 60, timeout: float | None = None, concurrency: int = 4,
               parquet: str | Path | None = None, overwrite: bool = False,
               progress: bool = True, now: Clock = _now,
               sleep: Callable[[float], None] = time.sleep) -> BulkExport:
    """See :meth:`twilio_nb.Connection.bulk_export` and docs/bulk.md."""
    resource = check_resource(resource)
    first, last = check_range(since, until)
    check_region(link)
    _check_numbers(poll_s, timeout, concurrency)
    today = utc_today(now)
    if create_jobs:
        check_job_range(last, today)
    wanted = f"bulk_export {resource} {first}..{last} {link.account_sid or ''}"
    writer = DayWriter(parquet, overwrite, wanted, link.target) if parquet is not None else None
    states = {day: DayState(day) for day in span(first, last)}
    states.update(listed_days(link, resource, first, last, now()))
    for text, piece in (writer.done() if writer is not None else {}).items():
        state = states[dt.date.fromisoformat(text)]  # written before a kill: kept as it is
        state.status, state.records, state.size = "available", piece["records"], piece["size"]
    jobs = JobRun(link, resource, states)
    ask = [d for d, s in states.items() if s.status in ("missing", "expired")]
    if create_jobs and ask:
        jobs.send(ask, today)
        if wait:
            jobs.wait(poll_s, timeout, sleep)
    result = BulkExport(resource, first, last, list(states.values()), jobs.jobs,
                        parquet=writer.target if writer else None,
                        resumed=bool(writer and writer.resumed))
    frames = _fetch(link, transport, resource, states, concurrency, writer, progress)
    operation = list_operation(resource)
    empty = empty_frame(operation).drop(columns=list(BULK_EXPORT_LEFT_OUT[resource]),
                                        errors="ignore")
    if writer is not None:
        writer.finish(empty)
    else:
        result.frame = pd.concat(frames, ignore_index=True) if frames else empty
    return result


def _fetch(link: Link, transport: httpx.BaseTransport | None, resource: str,
           states: dict[dt.date, DayState], concurrency: int, writer: DayWriter | None,
           progress: bool) -> list[pd.DataFrame]:
    """Every available day's records, typed, in day order (written to ``writer`` when there
    is one: then nothing is kept)."""
    todo = [s for s in states.values() if s.status == "available" and s.records is None]
    operation = list_operation(resource)
    frames: list[pd.DataFrame] = []
    with tempfile.TemporaryDirectory(prefix="twilio_nb-bulk-") as folder, \
            records_bar(progress, None) as moved, \
            ThreadPoolExecutor(max_workers=concurrency) as pool:
        files = DayFiles(link, transport, resource, Path(folder),
                         arrow_schema(operation, BULK_EXPORT_LEFT_OUT[resource]))
        try:
            def one(state: DayState) -> pd.DataFrame:
                return arrow_frame(files.table(state.day), operation)

            count = 0
            for index, (state, frame) in enumerate(_in_order(pool, one, todo, concurrency)):
                state.records = len(frame)
                count += len(frame)
                if writer is not None:
                    writer.write(state.day, frame, state.size)
                else:
                    frames.append(frame)
                moved(Progress(count, index + 1, index + 1 < len(todo)))
        finally:
            files.close()
    return frames


def _in_order(pool: ThreadPoolExecutor, work: Callable[[DayState], pd.DataFrame],
              states: list[DayState], window: int) -> Iterator[tuple[DayState, pd.DataFrame]]:
    """``work`` of each state, at most ``window`` at once, yielded in order."""
    pending = [(s, pool.submit(work, s)) for s in states[:window]]
    rest = iter(states[window:])
    while pending:
        state, future = pending.pop(0)
        frame = future.result()
        following = next(rest, None)
        if following is not None:
            pending.append((following, pool.submit(work, following)))
        yield state, frame
