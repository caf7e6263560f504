"""What a walk deals in: the :class:`Page` protocol its pages follow (a list's first page, a
:class:`ListPage`, with the :class:`PageOrigin` it came from), and the :class:`Progress` it
reports.

Imports nothing above paging (request's types only): no answers, session or front end.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, Self

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    import pandas as pd

    from ...request.built import BuiltRequest
    from ...request.target import Target

__all__ = ["ListPage", "Page", "PageOrigin", "Progress", "ProgressCallback"]


class Page(Protocol):
    """What a walk needs of a page (:class:`~twilio_nb.answers.result.Result` is one)."""

    @property
    def url(self) -> str:
        """The page's absolute URL (next-page addresses are relative to it)."""

    @property
    def next_page_uri(self) -> str | None:
        """The next page's address as the server gave it (decodes the page); a TwilioError
        when the page cannot be read."""

    def peek_next_page(self) -> str | None:
        """The next page's address, read without decoding where that can be done."""

    @property
    def record_count(self) -> int | None:
        """The page's record count where known before converting it, else None."""

    def untyped_frame(self) -> pd.DataFrame:
        """The page's records before typing; the decoded page may be let go."""

    def combine(self, pieces: list[pd.DataFrame]) -> pd.DataFrame:
        """The untyped frames of a walk from this page as one typed frame (empties
        ``pieces``)."""

    def follow(self, uri: str) -> Self:
        """The page at ``uri`` (a next-page address this page gave), fetched."""

    def refetch(self) -> Self:
        """This page fetched again (a walk that failed on its first page resumes so)."""


class PageOrigin(Protocol):
    """Where a list's page came from, as much as paging uses of it
    (:class:`~twilio_nb.answers.result.Origin` is one): ``send`` a request the same way (the
    next pages' gate included) and get its page; ``gated(n)``, this origin for a block with a
    gate of its own (at most n of its requests in flight, a 429 slowing them all; None where
    there is no gate). A walk's gate goes with its requests: two walks at once on one
    connection neither share nor swap one. ``target``: where its requests go (an export's
    checkpoint records it), or None where that is not known."""

    @property
    def send(self) -> Callable[[BuiltRequest], Any]:
        """Sends a request the same way and returns its page."""

    @property
    def gated(self) -> Callable[[int], AbstractContextManager[PageOrigin]] | None:
        """This origin with a gate of its own for a block, or None."""

    @property
    def target(self) -> Target | None:
        """Where this origin's requests go, or None."""


class ListPage(Page, Protocol):
    """What the concurrent walk and the Parquet export need of a list's first page
    (:class:`~twilio_nb.answers.result.Result` is one): the page and where it came from. They sit
    beside Result, which calls them, so they know it only by this protocol."""

    @property
    def operation(self) -> Any:
        """The catalog operation the page answers (None for an Advanced request)."""

    @property
    def origin(self) -> PageOrigin:
        """How the page was fetched: sends further requests the same way."""

    @property
    def request(self) -> BuiltRequest:
        """The request the page answers."""

    @property
    def df(self) -> pd.DataFrame:
        """The page's records, typed."""

    @property
    def has_next_page(self) -> bool:
        """Whether the page names a next page."""

    @property
    def format(self) -> str | None:
        """json, xml or csv; None for a file or an empty answer (no records, no pages)."""


@dataclass(frozen=True)
class Progress:
    """Where a walk is: records and pages taken so far, and whether more pages follow."""

    records: int
    pages: int
    has_next: bool


ProgressCallback = Callable[[Progress], None]
