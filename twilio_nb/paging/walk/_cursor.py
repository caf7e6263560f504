"""The cursor's two rules: a next-page address is made absolute against the page it came
from, and an address that comes round a second time stops the walk."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

import httpx

from ...errors import ResponseFormatError, TwilioError

if TYPE_CHECKING:
    from ._page_types import Page

__all__ = ["follow_once", "join_uri"]

P = TypeVar("P", bound="Page")


def join_uri(base: str, uri: str) -> httpx.URL:
    """The server's next-page address ``uri`` made absolute against ``base`` (the URL of the
    page that named it); a TwilioError when it is no URL."""
    try:
        return httpx.URL(base).join(uri)
    except (httpx.InvalidURL, ValueError) as exc:
        raise ResponseFormatError(
            f"The server gave {uri!r} as the next page, which is not a URL ({exc}): paging "
            "cannot go on. The records so far are complete up to this page.") from None


def follow_once(page: P, uri: str, seen: set[str]) -> P:
    """The page at ``uri`` after ``page``; a TwilioError when ``uri`` came round before."""
    absolute = str(join_uri(page.url, uri))
    if absolute in seen:
        raise TwilioError(
            f"The server gave {uri} as the next page a second time: stopping instead of "
            "looping. The records so far are complete up to this page.")
    seen.add(absolute)
    return page.follow(uri)
