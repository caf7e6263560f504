"""One measurement in a child process of its own: wall time, CPU time and peak memory.

The parent imports what the contenders need and then forks a child per measurement (on
Linux; elsewhere a fresh interpreter is spawned), so every run starts from a clean heap and
its peak memory is its own. Inside the child the contender is prepared (untimed), the
garbage collected, the kernel's peak-RSS mark reset (``/proc/self/clear_refs``), and then
the run is timed with ``time.perf_counter``; ``time.process_time`` gives its CPU time (every
thread of the child): the client's own cost, whatever the server's. Peak memory is the rise
of the peak RSS (``VmHWM``) over the RSS before the run: pandas' string columns live in Arrow
buffers that ``tracemalloc`` does not see, so RSS is the honest figure.
"""

from __future__ import annotations

import gc
import multiprocessing
import re
import resource
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, TypeVar

from .contenders import prepare

__all__ = ["Measurement", "in_child", "measure"]

T = TypeVar("T")

_STATUS = Path("/proc/self/status")
_CLEAR_REFS = Path("/proc/self/clear_refs")


@dataclass
class Measurement:
    contender: str
    messages: int
    wall_s: float
    records: int
    peak_mb: float  # peak RSS during the run minus the RSS before it
    cpu_s: float = 0.0  # CPU time of the child (every thread) during the run
    frame_mb: float | None = None
    page_mb: float | None = None
    splits: dict[str, float] = field(default_factory=dict)
    peak_method: str = "VmHWM"


def _status_kb(key: str) -> int | None:
    try:
        match = re.search(rf"^{key}:\s+(\d+) kB", _STATUS.read_text(), re.M)
    except OSError:
        return None
    return int(match.group(1)) if match else None


def _reset_peak() -> str:
    """Reset the kernel's peak-RSS mark to the current RSS; the method the peak is read by."""
    try:
        _CLEAR_REFS.write_text("5")
    except OSError:
        return "ru_maxrss"  # cannot reset: the peak may include what came before the run
    return "VmHWM"


def _peak_kb(method: str) -> int:
    if method == "VmHWM":
        value = _status_kb("VmHWM")
        if value is not None:
            return value
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak  # bytes on macOS, kB on Linux


def _rss_kb() -> int:
    value = _status_kb("VmRSS")
    return value if value is not None else _peak_kb("ru_maxrss")


def run_one(name: str, url: str, messages: int, page_size: int) -> Measurement:
    """Prepare ``name``, run it once, measure it (in the calling process)."""
    run = prepare(name, url, page_size)
    gc.collect()
    method = _reset_peak()
    before = _rss_kb()
    cpu = time.process_time()
    started = time.perf_counter()
    outcome = run()
    wall = time.perf_counter() - started
    cpu = time.process_time() - cpu
    peak = _peak_kb(method)
    if outcome.records != messages:
        raise RuntimeError(f"{name} got {outcome.records} records, expected {messages}")
    mb = 1024 * 1024
    return Measurement(
        contender=name, messages=messages, wall_s=wall, cpu_s=cpu, records=outcome.records,
        peak_mb=max(0, peak - before) / 1024,
        frame_mb=None if outcome.frame_bytes is None else outcome.frame_bytes / mb,
        page_mb=None if outcome.page_bytes is None else outcome.page_bytes / mb,
        splits=outcome.splits, peak_method=method)


def _child(conn: Connection, action: Callable[..., Any], args: tuple[Any, ...]) -> None:
    try:
        conn.send(("ok", action(*args)))
    except BaseException:
        conn.send(("error", traceback.format_exc()))
    finally:
        conn.close()


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def in_child(action: Callable[..., T], *args: Any, timeout_s: float = 600.0) -> T:
    """``action(*args)`` in a child process of its own (forked where possible); its result,
    or a RuntimeError with the child's traceback."""
    ctx = _context()
    receiver, sender = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(sender, action, args), name="benchmark")
    child.start()
    sender.close()
    try:
        if not receiver.poll(timeout_s):
            raise RuntimeError(f"{action.__name__} did not finish within {timeout_s:.0f} s")
        status, payload = receiver.recv()
    except EOFError:
        status, payload = "error", f"the child process died (exit {child.exitcode})"
    finally:
        receiver.close()
        child.join(timeout=30)
        if child.is_alive():
            child.kill()
            child.join()
    if status != "ok":
        raise RuntimeError(f"{action.__name__}{args!r} failed:\n{payload}")
    result: T = payload
    return result


def _measured(name: str, url: str, messages: int, page_size: int) -> dict[str, Any]:
    return asdict(run_one(name, url, messages, page_size))


def measure(name: str, url: str, messages: int, page_size: int) -> Measurement:
    """Measure ``name`` once in a child process of its own."""
    return Measurement(**in_child(_measured, name, url, messages, page_size))
