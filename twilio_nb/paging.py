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
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import httpx

from .errors import PagingError, TwilioError

if TYPE_CHECKING:
    import pandas as pd

    from .result import Result

__all__ = ["all_records", "iter_pages", "link_next", "next_page"]


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


def next_page(result: Result) -> Result:
    """Fetch the page after ``result`` (the server's next-page address, same credentials)."""
    uri = result.next_page_uri
    if not uri:
        raise TwilioError("There is no next page: this is the last page (has_next_page is False).")
    built = result.request
    url = httpx.URL(built.url).join(uri)
    nxt = dataclasses.replace(built, method="GET", url=str(url), body=None, content_type=None,
                              form=(), query=url.query.decode(), warnings=(),
                              next_page_uri=uri)
    return result.connection.execute(nxt, response_headers=result.response_headers_filter)


def iter_pages(first: Result, *, seen: set[str] | None = None) -> Iterator[Result]:
    """``first`` and every page after it, one at a time; nothing is kept."""
    seen = set() if seen is None else seen
    page = first
    seen.add(str(httpx.URL(page.request.url)))
    while True:
        yield page
        uri = page.next_page_uri
        if not uri:
            return
        absolute = str(httpx.URL(page.request.url).join(uri))
        if absolute in seen:
            raise TwilioError(
                f"The server gave {uri} as the next page a second time: stopping instead of "
                "looping. The records so far are complete up to this page.")
        seen.add(absolute)
        page = next_page(page)


def all_records(first: Result, *, limit: int | None = None, progress: bool = True,
                frames: list[pd.DataFrame] | None = None) -> pd.DataFrame:
    """Every record from ``first`` on as one DataFrame (at most ``limit`` rows)."""
    import pandas as pd

    if limit is not None and limit < 0:
        raise TwilioError("limit must be a positive number of records, or None for all")
    frames = [] if frames is None else frames
    count = sum(len(f) for f in frames)
    bar = _progress(progress, limit, count)
    current: Result | None = None  # the last page whose records were taken
    seen: set[str] = set()
    try:
        pages = iter_pages(first, seen=seen)
        while True:
            if limit is not None and count >= limit:
                break
            try:
                page = next(pages, None)
                if page is None:
                    break
                frame = page.df
            except TwilioError as exc:
                failed = current.next_page_uri if current is not None else None
                raise PagingError(
                    f"Paging stopped after {count} records: {exc}\nNothing is lost: "
                    "err.partial holds the records fetched so far, and err.resume() goes on "
                    "from the page that failed.", frames=list(frames), failed_uri=failed,
                    cause=exc, resume=_resumer(current or first, current is None, frames,
                                               limit)) from exc
            current = page
            if limit is not None and count + len(frame) > limit:
                frame = frame.iloc[: limit - count]
            frames.append(frame)
            count += len(frame)
            bar.update(len(frame))
    finally:
        bar.close()
    if not frames:
        return first.df.iloc[0:0]
    out = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    return out.reset_index(drop=True)


def _resumer(page: Result, again: bool, frames: list[pd.DataFrame],
             limit: int | None) -> Callable[..., pd.DataFrame]:
    """Going on after a failure: fetch ``page`` again when it was the one that failed
    (``again``), else the page after it; keep the records of ``frames``."""
    kept = list(frames)

    def resume(progress: bool = True) -> pd.DataFrame:
        retry = page.connection.execute(page.request, page.response_headers_filter) if again \
            else next_page(page)
        return all_records(retry, limit=limit, progress=progress, frames=list(kept))

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
