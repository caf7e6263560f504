"""Python's cycle collector paused while a page is decoded and turned into columns.

A decoded page is thousands of dicts that cannot form cycles and die as soon as its columns
are built. If the collector runs meanwhile (every 700 allocations it may), it walks them,
finds them alive, and moves them to its older generations; a walk over many pages then sets
off full collections, each walking every object of the process (measured: 60-110 ms of a
0.5 s walk of 20,000 messages). Paused for the few milliseconds a page takes, it finds them
gone when it runs next. Reference counting frees memory as usual meanwhile. Paused too while
a walk's pages are typed into one frame (their frames die column by column): a full
collection there walks the whole process (measured: ~90 ms with the catalog loaded).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused"]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cycle collector for the block, unless it is off already (then leave it)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
