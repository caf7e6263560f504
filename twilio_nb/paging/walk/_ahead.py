"""Prefetch: the pages after the one in hand fetched in a background thread while the walk
converts the page in hand.

As soon as a page arrives its next page's address is read: peeked from the bytes (``peek``;
the walk decodes the page and checks the peek) or, where the peek gives up or a ``budget``
needs the record count, by decoding the page here. The request for that address goes out as
soon as the walk takes the page. So a walk holds the page being converted and the ones on
their way (:data:`AHEAD`), whatever its length, and the server works while the walk converts.
"""

from __future__ import annotations

import queue
import threading
from typing import TYPE_CHECKING, Generic, TypeVar

from ._cursor import follow_once

if TYPE_CHECKING:
    from ._page_types import Page

__all__ = ["AHEAD", "Ahead"]

AHEAD = 2  # pages fetched ahead of the one being converted: enough to even out the waits
P = TypeVar("P", bound="Page")


class Ahead(Generic[P]):
    """Fetches the pages after ``page`` (the next one at ``uri``) in a thread.

    ``budget``: records still wanted (None: all); the thread stops once the pages it fetched
    hold that many. ``stop``: set by the walk's cancel, or by :meth:`close`. :meth:`take`
    hands the pages over in order with the address each was fetched from, raises the error
    that stopped the thread where it happened, and returns None after the last page.
    """

    def __init__(self, page: P, uri: str, seen: set[str], budget: int | None, *,
                 peek: bool = True, stop: threading.Event | None = None) -> None:
        self._queue: queue.Queue[tuple[P, str] | BaseException | None] = queue.Queue(
            maxsize=AHEAD)
        self._taken = threading.Semaphore(AHEAD - 1)
        self._closed = threading.Event()
        self._cancel = stop
        self._peek = peek and budget is None  # a budget needs each page's record count
        count = (page.record_count or 0) if budget is not None else 0  # read before the thread
        self._thread = threading.Thread(target=self._run,
                                        args=(page, uri, seen, budget, count),
                                        name="twilio_nb-prefetch", daemon=True)
        self._thread.start()

    def _stopped(self) -> bool:
        return self._closed.is_set() or (self._cancel is not None and self._cancel.is_set())

    def _run(self, page: P, uri: str | None, seen: set[str], budget: int | None,
             count: int) -> None:
        try:
            while uri and not self._stopped():
                if budget is not None:
                    budget -= count
                    if budget <= 0:
                        break
                followed = uri
                page = follow_once(page, uri, seen)
                if self._peek:  # the next address only: decoding is the walk's
                    uri = page.peek_next_page()
                else:  # decoded here: the walk may let the decoded page go once taken
                    uri = page.next_page_uri
                    count = page.record_count or 0
                self._queue.put((page, followed))
                while not self._taken.acquire(timeout=0.05):  # AHEAD pages, no more
                    if self._stopped():
                        return
            self._queue.put(None)
        except BaseException as exc:  # handed to the walk, raised there
            self._queue.put(exc)

    def take(self) -> tuple[P, str] | None:
        """The next page and the address it was fetched from; None after the last one."""
        item = self._queue.get()
        self._taken.release()
        if isinstance(item, BaseException):
            raise item
        return item

    def close(self) -> None:
        """Stop fetching (a request on the way is let finish in the background)."""
        self._closed.set()
