"""The trace of a connection: one entry per request sent (method, URL, status, duration,
retries; never a credential), the line a trace prints, and the history as a DataFrame.

Imports nothing of twilio_nb; pandas only inside :func:`history_frame` (deferred).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any

__all__ = ["TraceEntry", "history_frame", "to_stderr", "trace_line"]


@dataclass
class TraceEntry:
    time: float
    method: str
    url: str
    status: int | None
    duration_ms: float
    retries: int
    bytes: int
    error: str | None = None
    retry_reasons: list[str] = field(default_factory=list)


def trace_line(entry: TraceEntry) -> str:
    """One request as a trace shows it: method, URL (no credentials), status, duration."""
    return (f"twilio_nb: {entry.method} {entry.url} -> {entry.status} in "
            f"{entry.duration_ms:.0f} ms ({entry.retries} retries)"
            + (f" error: {entry.error}" if entry.error else ""))


def to_stderr(line: str) -> None:
    """Where a trace goes unless told: standard error, which a terminal and a notebook cell
    both show (a logger would need a handler first)."""
    print(line, file=sys.stderr, flush=True)


def history_frame(entries: list[TraceEntry]) -> Any:
    import pandas as pd  # deferred: import twilio_nb stays without pandas

    return pd.DataFrame([{
        "time": pd.Timestamp(e.time, unit="s", tz="UTC"), "method": e.method, "url": e.url,
        "status": e.status, "duration_ms": round(e.duration_ms, 1), "retries": e.retries,
        "bytes": e.bytes, "error": e.error} for e in entries],
        columns=["time", "method", "url", "status", "duration_ms", "retries", "bytes", "error"])
