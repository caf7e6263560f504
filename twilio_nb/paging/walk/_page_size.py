"""PageSize: what a list asks for, and the big pages walks use.

Twilio allows 1,000 records a page and sends 50 when not asked; a walk over 2,500 messages
makes 50 requests at the default and 3 at 1,000. So a walk (``--all``, ``--limit N``, the
form's Load all, ``r.all()``) asks for :func:`walk_page_size` records a page unless the user
set a page size. Only the user's own first request is ever sized: next pages are always the
addresses the server gave (see docs/paging.md). The user's own request is sized by
:func:`sized_request` (:func:`twilio_nb.paging.before_sending`), a walk's first page by
:func:`sized_first_page` (:func:`walk_start`: every sequential walk from a list's first page).

Imports nothing above paging: no answers, session or front end.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar, cast

import httpx

from ._page_types import ListPage

if TYPE_CHECKING:
    from ...request.built import BuiltRequest

__all__ = ["MAX_PAGE_SIZE", "PAGING_PARAMS", "sized_first_page", "sized_request",
           "walk_page_size", "walk_start"]

MAX_PAGE_SIZE = 1000
PAGING_PARAMS = ("PageSize", "Page", "PageToken")

P = TypeVar("P", bound=ListPage)


def walk_page_size(limit: int | None) -> int:
    """The page size of a walk for ``limit`` records (None: all): at most 1,000."""
    return MAX_PAGE_SIZE if limit is None else max(1, min(limit, MAX_PAGE_SIZE))


def has_page_size(query: str | None) -> bool:
    """Does ``query`` (as written or sent) set ``PageSize``?"""
    return any(name == "PageSize" for name, _ in httpx.QueryParams(query or "").multi_items())


def with_page_size(query: str | None, page_size: int | None) -> str | None:
    """``query`` with ``PageSize=page_size`` added, unless it sets one or no size is given."""
    if not page_size or has_page_size(query):
        return query
    return f"{query}&PageSize={page_size}" if query else f"PageSize={page_size}"


def _sized(built: BuiltRequest, page_size: int) -> BuiltRequest | None:
    url = httpx.URL(built.url)
    if any(name in PAGING_PARAMS for name, _ in url.params.multi_items()):
        return None
    query = with_page_size(url.query.decode(), page_size) or ""
    return dataclasses.replace(built, url=str(url.copy_with(query=query.encode())),
                               query=query)


def sized_first_page(built: BuiltRequest, page_size: int) -> BuiltRequest | None:
    """``built`` asking for ``page_size`` records a page, when it is the first page of a list
    the user did not size (a GET of a list operation, no PageSize, Page or PageToken, not a
    next-page address); else None: a server's address is never rewritten."""
    operation = built.operation
    if built.method != "GET" or built.next_page_uri or operation is None \
            or operation.kind != "list":
        return None
    return _sized(built, page_size)


def sized_request(built: BuiltRequest, page_size: int | None) -> BuiltRequest:
    """The user's own request (about to be sent) asking for ``page_size`` records a page
    where it asks for a list's first page and sets no size: a GET of a list operation
    (Basic), any GET (Advanced: the path may name no operation of the catalog); never with
    PageSize, Page or PageToken set, nor a next-page address. Else ``built`` as it is."""
    operation = built.operation
    listing = built.configuration == "advanced" or (operation is not None
                                                    and operation.kind == "list")
    if not page_size or built.method != "GET" or built.next_page_uri or not listing:
        return built
    return _sized(built, page_size) or built


def walk_start(first: P, limit: int | None) -> P | Callable[[], P]:
    """Where a sequential walk starts: ``first``, or, when it is the first page of a list
    the user did not size and more pages follow, that page asked again with big pages
    (1,000 records, or ``limit``) so that the walk makes 20 times fewer requests (see
    docs/paging.md)."""
    if first.format is None or not first.has_next_page:
        return first
    count = first.record_count
    if limit is not None and count is not None and limit <= count:
        return first
    size = walk_page_size(limit)
    bigger = sized_first_page(first.request, size)
    if bigger is None or (count is not None and count >= size):
        return first
    return lambda: cast("P", first.origin.send(bigger))
