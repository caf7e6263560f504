"""One answer read in two steps: decoded first (its paging facts at once), converted on
demand (its typed frame).

A walk over pages needs the next page's address before it converts the page in hand, so
that it can fetch the next page while converting this one. The address is in the decoded
body (JSON ``next_page_uri``, XML ``nextpageuri``), so :func:`read_page` decodes and finds the
list and its paging, and :meth:`PageReader.parse` builds and types the frame afterwards.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ._reader_parts import PageInfo

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["PageReader", "ParsedPage"]


@dataclass
class ParsedPage:
    """One answer read: its records as a typed DataFrame and where the next page is."""

    frame: pd.DataFrame
    next_page: str | None
    page: int | None
    page_size: int | None
    key: str | None
    is_list: bool


class PageReader:
    """An answer decoded but not yet converted.

    ``info`` (next page, page number, list key) is known at once, and so is ``count`` (the
    records on the page) where the body says it without converting (JSON, XML; None for CSV).
    :meth:`parse` converts once and keeps the result; the decoded body is let go then.
    :meth:`raw` gives the frame before typing, for a walk that types all its pages at once.
    """

    __slots__ = ("_build", "_finish", "_parsed", "count", "info")

    def __init__(self, info: PageInfo, count: int | None, build: Callable[[], pd.DataFrame],
                 finish: Callable[[pd.DataFrame], pd.DataFrame] | None = None) -> None:
        self.info = info
        self.count = count
        self._build: Callable[[], pd.DataFrame] | None = build
        self._finish = finish
        self._parsed: ParsedPage | None = None

    @property
    def next_page(self) -> str | None:
        return self.info.next_page

    def raw(self) -> pd.DataFrame | None:
        """The records as a frame before typing (text stays text, nested objects flattened);
        None once :meth:`parse` has let the decoded body go."""
        return self._build() if self._build is not None else None

    def parse(self) -> ParsedPage:
        """The typed frame and the paging facts (converted on the first call)."""
        if self._parsed is None:
            assert self._build is not None
            frame = self._build()  # a failure leaves the reader as it was: call again
            if self._finish is not None:
                frame = self._finish(frame)
            info = self.info
            self._parsed = ParsedPage(frame=frame, next_page=info.next_page, page=info.page,
                                      page_size=info.page_size, key=info.key,
                                      is_list=info.is_list)
            self._build = None
        return self._parsed

    def __repr__(self) -> str:
        state = "converted" if self._parsed is not None else "not converted"
        return f"<PageReader {self.count} records, next page {self.info.next_page!r}, {state}>"
