"""One cursor over Twilio's three paging styles.

* 2010-04-01 JSON: ``next_page_uri`` (relative) beside the list;
* 2010-04-01 XML: the ``nextpageuri`` attribute of the list element (``""`` for none);
* product APIs: ``meta.next_page_url`` (absolute).

The next page's address is always the one the server gave (page tokens are never built).
CSV bodies carry no paging; where the server sends a ``Link: <...>; rel="next"`` header (the
sandbox does) the cursor follows it, otherwise a CSV answer has no next page.

A walk keeps no pages it has handed out (``pages()``), stops with an error when a next-page
address comes round a second time, and on a failure raises :class:`PagingError`, which holds
every record fetched so far and resumes from the page that failed.
"""

from __future__ import annotations

import dataclasses
import queue
import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import httpx

from ._collector import collector_paused
from .errors import PagingError, ResponseFormatError, TwilioError

if TYPE_CHECKING:
    import pandas as pd

    from .result import Result

__all__ = ["all_records", "iter_pages", "link_next", "next_page", "untyped_records",
           "walk_frame"]


def link_next(headers: httpx.Headers) -> str | None:
    """The ``rel="next"`` target of a Link header, if any."""
    value = headers.get("link")
    if not value:
        return None
    for part in value.split(","):
        section = part.split(";")
        if len(section) < 2:
            continue
        target = section[0].strip()
        if target.startswith("<") and target.endswith(">") and any(
                p.strip().replace('"', "").lower() == "rel=next" for p in section[1:]):
            return str(target[1:-1])
    return None


def next_page(result: Result, uri: str | None = None) -> Result:
    """Fetch the page after ``result``: ``uri``, or the next-page address the server gave in
    ``result`` (same credentials)."""
    uri = uri or result.next_page_uri
    if not uri:
        raise TwilioError("There is no next page: this is the last page (has_next_page is False).")
    built = result.request
    url = _join(built.url, uri)
    nxt = dataclasses.replace(built, method="GET", url=str(url), body=None, content_type=None,
                              form=(), query=url.query.decode(), warnings=(),
                              next_page_uri=uri)
    return result.connection.execute(nxt, response_headers=result.response_headers_filter)


def _join(base: str, uri: str) -> httpx.URL:
    """The server's next-page address made absolute; a TwilioError when it is no URL."""
    try:
        return httpx.URL(base).join(uri)
    except (httpx.InvalidURL, ValueError) as exc:
        raise ResponseFormatError(
            f"The server gave {uri!r} as the next page, which is not a URL ({exc}): paging "
            "cannot go on. The records so far are complete up to this page.") from None


def _url(page: Result) -> str:
    return str(httpx.URL(page.request.url))


def _following(page: Result, uri: str, seen: set[str]) -> Result:
    """The page at ``uri`` after ``page``; a TwilioError when ``uri`` came round before."""
    absolute = str(_join(page.request.url, uri))
    if absolute in seen:
        raise TwilioError(
            f"The server gave {uri} as the next page a second time: stopping instead of "
            "looping. The records so far are complete up to this page.")
    seen.add(absolute)
    return next_page(page, uri)


def iter_pages(first: Result, *, seen: set[str] | None = None) -> Iterator[Result]:
    """``first`` and every page after it, one at a time; nothing is kept."""
    seen = set() if seen is None else seen
    page = first
    seen.add(_url(page))
    while True:
        yield page
        uri = page.next_page_uri
        if not uri:
            return
        page = _following(page, uri, seen)


def all_records(first: Result, *, limit: int | None = None, progress: bool = True,
                prefetch: bool = True, pieces: list[pd.DataFrame] | None = None
                ) -> pd.DataFrame:
    """Every record from ``first`` on as one DataFrame (at most ``limit`` rows).

    With ``prefetch`` a background thread fetches the pages ahead while this thread builds
    the frame of the page in hand (see :class:`_Ahead`); without it, one page after the
    other. Each page's frame is kept untyped and every column is typed once at the end
    (:func:`~twilio_nb.convert.combine_pages`): the same frame as typing page by page and
    concatenating, with one date parse per column instead of one per page. Either way the
    frame, the errors and ``resume()`` are the same. ``pieces``: untyped frames of the pages
    before ``first`` (a resumed walk).
    """
    from .convert import combine_pages

    if limit is not None and limit < 0:
        raise TwilioError("limit must be a positive number of records, or None for all")
    if first.format is None:  # a file or an empty answer: no records, no pages
        return first.df
    pieces = [] if pieces is None else pieces
    count = sum(len(f) for f in pieces)
    bar = _progress(progress, limit, count)
    current: Result | None = None  # the last page whose records were taken
    seen = {_url(first)}
    ahead: _Ahead | None = None
    peek = True  # the thread ahead reads next-page addresses without decoding pages

    def failed(exc: TwilioError) -> PagingError:
        uri = current.next_page_uri if current is not None else None
        return PagingError(
            f"Paging stopped after {count} records: {exc}\nNothing is lost: err.partial "
            "holds the records fetched so far, and err.resume() goes on from the page that "
            "failed.", partial=combine_pages(list(pieces), first.operation), failed_uri=uri,
            cause=exc, resume=_resumer(current or first, current is None, pieces, limit,
                                       prefetch))

    page: Result | None = first
    try:
        while page is not None and (limit is None or count < limit):
            try:
                with collector_paused():  # the decoded page dies within the block
                    uri = page.next_page_uri  # decodes the page, does not convert it yet
                    if prefetch and ahead is None and uri and _ahead_known(page, limit):
                        ahead = _Ahead(page, uri, seen,
                                       None if limit is None else limit - count, peek=peek)
                    frame = page._raw_frame()
            except TwilioError as exc:
                raise failed(exc) from exc
            current = page
            if limit is not None and count + len(frame) > limit:
                frame = frame.iloc[: limit - count]
            pieces.append(frame)
            count += len(frame)
            bar.update(len(frame))
            if not uri or (limit is not None and count >= limit):
                break
            try:
                page = ahead.take() if ahead is not None else None
                if ahead is not None and (page is None or page.request.next_page_uri != uri):
                    ahead.close()  # it followed a peek the decoded page contradicts
                    ahead, peek = None, False
                if ahead is None:
                    page = _following(current, uri, seen)
            except TwilioError as exc:
                raise failed(exc) from exc
    finally:
        if ahead is not None:
            ahead.close()
        bar.close()
    return walk_frame(first, pieces)


def untyped_records(page: Result) -> pd.DataFrame:
    """``page``'s records as a walk keeps them: untyped, to be typed once for every page by
    :func:`walk_frame`. The decoded page is let go (its next-page address stays known), with
    the cycle collector paused meanwhile; a file's page is its frame as it is."""
    if page.format is None:
        return page.df
    with collector_paused():  # the decoded page dies within the block
        return page._raw_frame()


def walk_frame(first: Result, pieces: list[pd.DataFrame]) -> pd.DataFrame:
    """The records a walk from ``first`` kept (:func:`untyped_records`) as one DataFrame, each
    column typed once; ``pieces`` is emptied."""
    from .convert import combine_pages

    if first.format is None:  # a file or an empty answer: one page, no records
        return pieces[0] if pieces else first.df
    if not pieces:
        return first.df.iloc[0:0]
    return combine_pages(pieces, first.operation)


def _ahead_known(page: Result, limit: int | None) -> bool:
    """Can the pages ahead be fetched without overshooting ``limit``? Always without a limit;
    with one, when a page tells its record count before it is converted (JSON, XML)."""
    return limit is None or page._reader.count is not None


AHEAD = 2  # pages fetched ahead of the one being converted: enough to even out the waits


class _Ahead:
    """Fetches the page after the one in hand in a background thread while the caller
    converts the page in hand.

    As soon as a page arrives its next page's address is read: peeked from the bytes
    (``peek``; the caller decodes the page and checks the peek) or, where the peek gives up
    or a ``budget`` needs the record count, by decoding the page here. The request for that
    address goes out as soon as the caller takes the page. So a walk holds the page being
    converted and the one on its way, whatever its length, and the server works while the
    caller converts. ``budget``: records still wanted (None: all); the thread stops once the
    pages it fetched hold that many. :meth:`take` hands the pages over
    in order, raises the error that stopped the thread where it happened, and returns None
    after the last page.
    """

    def __init__(self, page: Result, uri: str, seen: set[str], budget: int | None, *,
                 peek: bool = True) -> None:
        self._queue: queue.Queue[Result | BaseException | None] = queue.Queue(maxsize=AHEAD)
        self._taken = threading.Semaphore(AHEAD - 1)
        self._stop = threading.Event()
        self._peek = peek and budget is None  # a budget needs each page's record count
        count = (page._reader.count or 0) if budget is not None else 0  # read before the thread
        self._thread = threading.Thread(target=self._run,
                                        args=(page, uri, seen, budget, count),
                                        name="twilio_nb-prefetch", daemon=True)
        self._thread.start()

    def _run(self, page: Result, uri: str | None, seen: set[str], budget: int | None,
             count: int) -> None:
        try:
            while uri and not self._stop.is_set():
                if budget is not None:
                    budget -= count
                    if budget <= 0:
                        break
                page = _following(page, uri, seen)
                if self._peek:  # the next address only: decoding is the caller's
                    uri = page._peek_next_page()
                else:  # decoded here: the caller may let the decoded page go once taken
                    uri = page.next_page_uri
                    count = page._reader.count or 0
                self._queue.put(page)
                while not self._taken.acquire(timeout=0.05):  # AHEAD pages, no more
                    if self._stop.is_set():
                        return
            self._queue.put(None)
        except BaseException as exc:  # handed to the caller, raised there
            self._queue.put(exc)

    def take(self) -> Result | None:
        item = self._queue.get()
        self._taken.release()
        if isinstance(item, BaseException):
            raise item
        return item

    def close(self) -> None:
        """Stop fetching (a request on the way is let finish in the background)."""
        self._stop.set()


def _resumer(page: Result, again: bool, pieces: list[pd.DataFrame], limit: int | None,
             prefetch: bool) -> Callable[..., pd.DataFrame]:
    """Going on after a failure: fetch ``page`` again when it was the one that failed
    (``again``), else the page after it; keep the records of ``pieces``."""
    kept = list(pieces)

    def resume(progress: bool = True) -> pd.DataFrame:
        retry = page.connection.execute(page.request, page.response_headers_filter) if again \
            else next_page(page)
        return all_records(retry, limit=limit, progress=progress, prefetch=prefetch,
                           pieces=list(kept))

    return resume


class _NoBar:
    def update(self, n: int) -> None:
        pass

    def close(self) -> None:
        pass


def _progress(enabled: bool, total: int | None, initial: int) -> Any:
    """A tqdm.auto bar counting records (a widget in notebooks), or one that shows nothing."""
    if not enabled:
        return _NoBar()
    from tqdm.auto import tqdm

    return tqdm(total=total, initial=initial, unit=" records", desc="twilio_nb", leave=False)
