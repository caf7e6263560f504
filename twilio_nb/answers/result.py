"""Result: one answer from Twilio, as a typed DataFrame, with its cursor.

``r.df`` is the page's records as a typed DataFrame, whatever format Twilio answered in;
``r.next_page()``, ``r.pages()`` and ``r.all()`` walk the pages with the one walk of
:mod:`twilio_nb.paging`. A Result fetches more (next pages, a failed page again, media)
through its :class:`Origin`, the few functions the Connection gives it, not the Connection.

It shows itself by IPython's protocols: ``_repr_mimebundle_`` (``text/plain``: the status
line and the first rows as a text table; ``text/html``) and ``_repr_pretty_``; ``repr()`` is
the text. The front ends add what only they can render (the paging widget, media players).

A model that does not know its walkers: every walk (``all``, ``pages``, ``walk``,
``to_parquet``, concurrency) goes through the face of :mod:`twilio_nb.paging`, none of its
private modules. Imports paging's face, convert (deferred), request's types and errors;
never transport, the session or a front end.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, cast

import httpx

from ..errors import ResponseFormatError, TwilioError
from ..paging import Walk, WalkOptions, all_records, collector_paused, export, join_uri, walk_from
from .fields import fields_of
from .headers import answer_format, filter_headers
from .views import result_html, result_text, status_line

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    import pandas as pd

    from ..convert import PageInfo, PageReader, ParsedPage
    from ..paging import ParquetExport
    from ..request.built import BuiltRequest
    from ..request.target import Target

__all__ = ["Origin", "Result"]


@dataclass(frozen=True)
class Origin:
    """What a Result may do with its connection (built by it; paging's ``PageOrigin``):
    ``send`` a request the same way, ``fetch_content`` of a media URI, ``gated(n)`` this
    origin with a gate of its own; ``sandbox``, ``display_rows``, ``replay`` (a cassette's
    path) and ``target`` (where requests go: checkpoints record it) describe it."""

    send: Callable[[BuiltRequest], Result]
    fetch_content: Callable[[str], Result]
    sandbox: bool = False
    display_rows: int = 20
    gated: Callable[[int], AbstractContextManager[Origin]] | None = None
    replay: str | None = None
    target: Target | None = None


class Result:
    """One page of an answer."""

    def __init__(self, request: BuiltRequest, response: httpx.Response, *, origin: Origin,
                 response_headers: str | None = "*", duration_s: float = 0.0) -> None:
        self.origin = origin
        self.request = request
        self.status_code = response.status_code
        self.response_headers_filter = response_headers
        self.headers = filter_headers(response.headers, response_headers)
        self.content = response.content
        self.content_type = response.headers.get("content-type", "")
        self.duration_s = duration_s
        self.fetched_at = dt.datetime.now(dt.UTC)
        self._link_next: str | None = response.links.get("next", {}).get("url")
        self._linked = "link" in response.headers  # the sandbox's CSV paging; Twilio has none
        self._encoding = response.encoding or "utf-8"
        # what has been read of the answer, kept explicitly (a walk lets the decoded body go)
        self._decoded: PageReader | None = None  # the answer decoded (see _reader)
        self._parsed: ParsedPage | None = None  # converted to the typed frame (see parsed)
        self._info: PageInfo | None = None  # the paging facts (see _page_info)

    # -- what came back ------------------------------------------------------------------
    @property
    def text(self) -> str:
        return self.content.decode(self._encoding, errors="replace")

    @property
    def operation(self) -> Any:
        return self.request.operation

    @property
    def is_sandbox(self) -> bool:
        return self.origin.sandbox

    @property
    def url(self) -> str:
        """The URL this page was fetched from (it never carries credentials)."""
        return self.request.url

    def fetch_content(self, uri: str) -> Result:
        """GET the file a media or recording URI points at, the way this page was fetched."""
        return self.origin.fetch_content(uri)

    @cached_property
    def format(self) -> str | None:
        """json, xml or csv, by the body, else the content type (:func:`.headers.
        answer_format`); None for an empty or binary answer."""
        return answer_format(self.content, self.content_type, self.request.response_format)

    @property
    def is_binary(self) -> bool:
        return self.format is None and bool(self.content)

    @property
    def _reader(self) -> PageReader:
        """The answer decoded but not yet converted: its paging facts without the cost of
        a DataFrame (a walk reads the next page's address here, then converts). Decoded once,
        until a walk lets it go (:meth:`untyped_frame`)."""
        if self._decoded is None:
            self._decoded = self._decode()
        return self._decoded

    def _decode(self) -> PageReader:
        # deferred here and below: convert imports pandas (most of the import time), and
        # ``import twilio_nb`` stays quick until an answer is read
        from ..convert import PageInfo, PageReader, empty_frame, read_page

        fmt = self.format
        if fmt is not None:
            try:
                return read_page(self.content, fmt, self.operation)
            except ResponseFormatError as exc:
                raise self._unreadable(exc) from None

        def frame() -> pd.DataFrame:
            import pandas as pd  # deferred: as above

            if self.is_binary:
                return pd.DataFrame({"content_type": [self.content_type],
                                     "bytes": [len(self.content)]})
            return empty_frame(self.operation)

        return PageReader(PageInfo(), None, frame)

    @property
    def parsed(self) -> ParsedPage:
        """The page converted (a typed DataFrame and its paging facts), once."""
        if self._parsed is None:
            self._parsed = self._parse()
        return self._parsed

    def _parse(self) -> ParsedPage:
        try:
            with collector_paused():  # the decoded body dies within the block
                parsed = self._reader.parse()
        except ResponseFormatError as exc:
            raise self._unreadable(exc) from None
        self._check_csv_paging(len(parsed.frame))
        parsed.frame.attrs.update(self.origin_attrs())
        parsed.frame.attrs["next_page_uri"] = parsed.next_page or self._link_next
        return parsed

    def origin_attrs(self) -> dict[str, Any]:
        """Where the records came from, for ``df.attrs``: the operation's label, the URL
        (never with credentials), the format, when it was fetched (UTC, ISO 8601),
        whether the sandbox answered and, when a cassette did, its path (``replay``)."""
        op = self.operation
        url = httpx.URL(self.request.url)
        return {"operation": op.label if op is not None else
                f"{self.request.method} {url.path}",
                "url": str(url.copy_with(username=None, password=None)),
                "format": self.format, "fetched_at": self.fetched_at.isoformat(),
                "sandbox": self.is_sandbox, "replay": self.origin.replay}

    def _check_csv_paging(self, records: int) -> None:
        """Twilio's CSV has no next-page address: a full CSV page warns (issue 13). Not from
        the sandbox, whose CSV answers carry their paging in a ``Link`` header."""
        if (self.format == "csv" and not self.is_sandbox and not self._linked
                and self.request.method == "GET"):
            from ..convert import warn_if_csv_page_full  # deferred: see _reader

            warn_if_csv_page_full(records, self.request.query, self.next_page_uri)

    def _unreadable(self, exc: ResponseFormatError) -> ResponseFormatError:
        """``exc`` with what to do about this request: a GET can simply be sent again; a
        POST that got a 2xx was processed, and must not be."""
        method = self.request.method
        if method in ("GET", "HEAD"):
            note = ("A GET is safe to send again: run it again, or send the answer's .request "
                    "with the connection's .execute().")
        else:
            note = (f"The {method} itself succeeded (HTTP {self.status_code}): Twilio made the "
                    "change, only its answer cannot be read. Do not send it again; fetch or "
                    "list the resource to see it.")
        return ResponseFormatError(f"{exc}\n{note}")

    def untyped_frame(self) -> pd.DataFrame:
        """The page's records before typing (text as it came, nested objects flattened): what
        a walk keeps of each page before it types every column once (:meth:`combine`). Reads
        the answer again when the page was converted already, and lets the decoded body go
        (a walk holds only the frames); a file's page is its frame as it is."""
        from ..convert import read_page  # deferred: see _reader

        if self.format is None:
            return self.df
        try:
            raw = self._reader.raw()
            if raw is None:  # converted: the decoded body was let go
                raw = read_page(self.content, self.format or "json", self.operation).raw()
        except ResponseFormatError as exc:
            raise self._unreadable(exc) from None
        assert raw is not None
        self._check_csv_paging(len(raw))
        _ = self._page_info  # kept: the walk may still ask for the next page
        self._decoded = None  # the decoded body (decoded again if asked for)
        return raw

    def combine(self, pieces: list[pd.DataFrame]) -> pd.DataFrame:
        """The untyped frames of a walk from this page (:meth:`untyped_frame`) as one
        DataFrame, each column typed once, with this page's ``attrs``; ``pieces`` is
        emptied."""
        from ..convert import combine_pages  # deferred: see _reader

        if self.format is None:  # a file or an empty answer: one page, no records
            frame = pieces[0] if pieces else self.df
            pieces.clear()
        elif not pieces:
            frame = self.df.iloc[0:0].copy()
        else:
            with collector_paused():  # the pages' frames die column by column meanwhile
                frame = combine_pages(pieces, self.operation)
        frame.attrs.clear()
        frame.attrs.update(self.origin_attrs())
        return frame

    @property
    def record_count(self) -> int | None:
        """The page's record count where the body tells it before conversion (JSON, XML);
        None otherwise (CSV, unless converted already)."""
        if self._parsed is not None:
            return len(self.df)
        return self._reader.count if self._decoded is not None or self.format != "csv" \
            else None

    @property
    def df(self) -> pd.DataFrame:
        """The page's records as a typed DataFrame."""
        return self.parsed.frame

    @property
    def fields(self) -> pd.DataFrame:
        """What ``df``'s columns mean: name, dtype, type, Twilio's words, enum, deprecated."""
        return fields_of(self.df, self.operation)

    @property
    def records(self) -> list[dict[str, Any]]:
        """The page's records as dicts (JSON's own values; from the typed frame for XML/CSV)."""
        if self.format == "json":
            from ..convert import read_json  # deferred: see _reader

            return read_json(self.content, self.operation)[0]
        frame = self.df.astype(object).where(self.df.notna(), None)
        return frame.to_dict("records")  # type: ignore[return-value]

    # -- paging ----------------------------------------------------------------------------
    @property
    def _page_info(self) -> PageInfo:
        """The page's paging facts, kept when a walk lets the decoded body go."""
        if self._info is None:
            self._info = self._reader.info
        return self._info

    @property
    def page_number(self) -> int | None:
        """The page's number where the answer tells it (the 2010 API's ``page``)."""
        return self._page_info.page

    @property
    def next_page_uri(self) -> str | None:
        return self._page_info.next_page or self._link_next

    def peek_next_page(self) -> str | None:
        """The next page's address read from the bytes when the page is not decoded yet
        (see :mod:`twilio_nb.convert._peek`), else :attr:`next_page_uri`: what a walk that
        fetches ahead needs, without the cost of decoding. The decoded page has the last
        word (the walk compares them)."""
        decoded = self._decoded is not None or self._info is not None
        if not decoded and self.format in ("json", "xml"):
            from ..convert import UNKNOWN, peek_next_page  # deferred: see _reader

            found = peek_next_page(self.content, str(self.format))
            if found is not UNKNOWN:
                return cast("str | None", found) or self._link_next
        return self.next_page_uri

    @property
    def has_next_page(self) -> bool:
        """True when this page names a next page; False when it names none, or when the
        answer cannot be read (``r.df`` and ``r.next_page_uri`` then raise and say why)."""
        try:
            return bool(self.next_page_uri)
        except TwilioError:
            return False

    def follow(self, uri: str) -> Result:
        """The page at ``uri`` (a next-page address the server gave), fetched the way this
        page was: a GET of the address made absolute against this page's URL."""
        url = join_uri(self.request.url, uri)
        nxt = dataclasses.replace(self.request, method="GET", url=str(url), body=None,
                                  content_type=None, form=(), query=url.query.decode(),
                                  warnings=(), next_page_uri=uri)
        return self.origin.send(nxt)

    def refetch(self) -> Result:
        """This page's request sent again."""
        return self.origin.send(self.request)

    def next_page(self) -> Result:
        """The next page, or a TwilioError when this is the last one."""
        uri = self.next_page_uri
        if not uri:
            raise TwilioError("There is no next page: this is the last page "
                              "(has_next_page is False).")
        return self.follow(uri)

    def pages(self, *, prefetch: bool = True) -> Iterator[Result]:
        """This page and every page after it, fetched as you iterate (nothing is kept). With
        ``prefetch`` the next pages (two at most) are fetched while you work on this one;
        ``prefetch=False`` fetches each page only when the loop asks for it."""
        return Walk(self, prefetch=prefetch).iter_pages()

    def walk(self, limit: int | None = None, **options: Any) -> Walk[Result]:
        """The :class:`~twilio_nb.paging.Walk` that :meth:`all` runs: from this page, or,
        when this is the first page of a list the user did not size and more pages
        follow, from this page asked again with big pages (1,000 records, or ``limit``) so
        that the walk makes 20 times fewer requests (see docs/paging.md). ``options``:
        ``prefetch``, ``on_progress``, ``cancel``, ``keep``."""
        prefetch = options.pop("prefetch", True)
        return walk_from(self, WalkOptions(every=True, limit=limit, prefetch=prefetch),
                         **options)

    def all(self, limit: int | None = None, progress: bool = True, *,
            prefetch: bool = True, concurrency: int = 1, since: Any = None,
            until: Any = None) -> pd.DataFrame:
        """Every record from this page on, as one DataFrame (with a progress bar).

        ``prefetch`` fetches the next page in the background while this one is converted;
        ``prefetch=False`` fetches one page after the other. The frame is the same. A
        failure raises :class:`~twilio_nb.errors.PagingError` (``partial``, ``resume()``).

        ``concurrency=N`` (1 to 32) cuts the list into date slices walked N at a time (see
        :mod:`~twilio_nb.paging`): the same frame in the same order, with N requests in flight.
        ``since``/``until`` (a date, a datetime or ISO text) narrow the range."""
        return all_records(self, WalkOptions(
            every=True, limit=limit, progress=progress, prefetch=prefetch,
            concurrency=concurrency, since=since, until=until))

    def to_parquet(self, path: str | os.PathLike[str], *, concurrency: int = 1,
                   since: Any = None, until: Any = None, overwrite: bool = False,
                   progress: bool = True) -> ParquetExport:
        """Every record of this list streamed into the Parquet file ``path``, page by page
        (typed as :meth:`all` types them; memory holds a few pages per worker, not the
        list), the date slices walked ``concurrency`` at a time. An interrupted export goes
        on from its checkpoint (``<path>.partial/``) when called again; an existing file is
        refused unless ``overwrite=True``. See :mod:`twilio_nb.paging.export._parquet`."""
        return export(self, WalkOptions(parquet=path, concurrency=concurrency, since=since,
                                        until=until, overwrite=overwrite, progress=progress))

    # -- display ---------------------------------------------------------------------------
    def status_line(self) -> str:
        """HTTP status, method and URL, records (and page), duration, next page, sandbox."""
        return status_line(self)

    def to_text(self, rows: int | None = None) -> str:
        """The status line and the first ``rows`` records as a text table: what a terminal
        shows (``repr``, ``print``, ``text/plain``)."""
        return result_text(self, self.origin.display_rows if rows is None else rows)

    def __repr__(self) -> str:
        return self.to_text()

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """IPython's pretty printer (terminal IPython, ``%pprint``): the text view."""
        printer.text("<Result …>" if cycle else self.to_text())

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/plain": self.to_text(), "text/html": self._repr_html_()}

    def _repr_html_(self) -> str:
        return result_html(self)
