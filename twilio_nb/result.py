"""Result: one answer from Twilio, as a typed DataFrame, with its cursor.

``r.df`` is the page's records as a typed DataFrame, whatever format Twilio answered in;
``r.next_page()``, ``r.pages()`` and ``r.all()`` walk the pages (see :mod:`twilio_nb.paging`).
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from functools import cached_property
from typing import TYPE_CHECKING, Any, cast

import httpx

from . import paging
from ._collector import collector_paused
from .errors import ResponseFormatError, TwilioError
from .vocabulary import FORMATS

if TYPE_CHECKING:
    import pandas as pd

    from .connection import Connection
    from .convert import PageReader, ParsedPage
    from .convert._common import PageInfo
    from .request import BuiltRequest

__all__ = ["Result", "filter_headers"]

# protocol headers the adapter never passes on (it keeps "date")
PROTOCOL_HEADERS = {"connection", "keep-alive", "transfer-encoding", "content-length",
                    "content-encoding", "upgrade", "te", "trailer", "proxy-authenticate",
                    "proxy-connection", "set-cookie", "www-authenticate"}
TABULAR = {"json": ("json",), "xml": ("xml",), "csv": ("csv",)}


def filter_headers(headers: httpx.Headers, spec: str | None) -> dict[str, str]:
    """The adapter's Response Headers rule: ``*`` (the default) keeps every header, a
    pipe-separated list keeps those names; protocol headers other than Date never pass."""
    spec = "*" if spec is None or not spec.strip() else spec.strip()
    wanted = None if spec == "*" else {n.strip().lower() for n in spec.split("|") if n.strip()}
    out: dict[str, str] = {}
    for name, value in headers.multi_items():
        low = name.lower()
        if low in PROTOCOL_HEADERS or (wanted is not None and low not in wanted):
            continue
        out[name] = value if name not in out else out[name] + ", " + value
    return out


class Result:
    """One page of an answer."""

    def __init__(self, connection: Connection, request: BuiltRequest, response: httpx.Response,
                 *, response_headers: str | None = "*", duration_s: float = 0.0) -> None:
        self.connection = connection
        self.request = request
        self.status_code = response.status_code
        self.response_headers_filter = response_headers
        self.headers = filter_headers(response.headers, response_headers)
        self.content = response.content
        self.content_type = response.headers.get("content-type", "")
        self.duration_s = duration_s
        self._link_next = paging.link_next(response.headers)
        self._encoding = response.encoding or "utf-8"

    # -- what came back ------------------------------------------------------------------
    @property
    def text(self) -> str:
        return self.content.decode(self._encoding, errors="replace")

    @property
    def operation(self) -> Any:
        return self.request.operation

    @property
    def is_sandbox(self) -> bool:
        return bool(getattr(self.connection, "is_sandbox", False))

    @cached_property
    def format(self) -> str | None:
        """json, xml or csv: by the body where it starts like JSON or XML (a proxy may label
        it wrongly), else by the answer's content type (the requested one if unclear); None
        for an empty or binary answer."""
        ctype = self.content_type.lower()
        if not self.content.strip():
            return None
        if ctype.startswith(("image/", "audio/", "video/", "application/octet-stream",
                             "application/pdf")):
            return None
        head = self.content.lstrip().removeprefix(b"\xef\xbb\xbf")[:1]
        if head in (b"{", b"[") or head == b"<":
            return "xml" if head == b"<" else "json"
        for fmt in FORMATS:
            if fmt in ctype:
                return fmt
        return self.request.response_format

    @property
    def is_binary(self) -> bool:
        return self.format is None and bool(self.content)

    @cached_property
    def _reader(self) -> PageReader:
        """The answer decoded but not yet converted: its paging facts without the cost of
        a DataFrame (a walk reads the next page's address here, then converts)."""
        from .convert import PageReader, empty_frame, read_page
        from .convert._common import PageInfo

        fmt = self.format
        if fmt is not None:
            try:
                return read_page(self.content, fmt, self.operation)
            except ResponseFormatError as exc:
                raise self._unreadable(exc) from None

        def frame() -> pd.DataFrame:
            import pandas as pd

            if self.is_binary:
                return pd.DataFrame({"content_type": [self.content_type],
                                     "bytes": [len(self.content)]})
            return empty_frame(self.operation)

        return PageReader(PageInfo(), None, frame)

    @cached_property
    def parsed(self) -> ParsedPage:
        try:
            with collector_paused():  # the decoded body dies within the block
                return self._reader.parse()
        except ResponseFormatError as exc:
            raise self._unreadable(exc) from None

    def _unreadable(self, exc: ResponseFormatError) -> ResponseFormatError:
        """``exc`` with what to do about this request: a GET can simply be sent again; a
        POST that got a 2xx was processed, and must not be."""
        method = self.request.method
        if method in ("GET", "HEAD"):
            note = "A GET is safe to send again: run it again, or conn.execute(r.request)."
        else:
            note = (f"The {method} itself succeeded (HTTP {self.status_code}): Twilio made the "
                    "change, only its answer cannot be read. Do not send it again; fetch or "
                    "list the resource to see it.")
        return ResponseFormatError(f"{exc}\n{note}")

    def _raw_frame(self) -> pd.DataFrame:
        """The page's records before typing (text as it came, nested objects flattened): what
        a walk keeps of each page before it types every column once. Reads the answer again
        when the page was converted already, and lets the decoded body go (a walk holds
        only the frames)."""
        from .convert import read_page

        try:
            raw = self._reader.raw()
            if raw is None:  # converted: the decoded body was let go
                raw = read_page(self.content, self.format or "json", self.operation).raw()
        except ResponseFormatError as exc:
            raise self._unreadable(exc) from None
        assert raw is not None
        _ = self._page_info  # kept: the walk may still ask for the next page
        self.__dict__.pop("_reader", None)  # the decoded body (decoded again if asked for)
        return raw

    @property
    def df(self) -> pd.DataFrame:
        """The page's records as a typed DataFrame."""
        return self.parsed.frame

    @property
    def records(self) -> list[dict[str, Any]]:
        """The page's records as dicts (JSON's own values; from the typed frame for XML/CSV)."""
        if self.format == "json":
            from .convert._json import read_json

            return read_json(self.content, self.operation)[0]
        frame = self.df.astype(object).where(self.df.notna(), None)
        return frame.to_dict("records")  # type: ignore[return-value]

    # -- paging ----------------------------------------------------------------------------
    @cached_property
    def _page_info(self) -> PageInfo:
        """The page's paging facts, kept when a walk lets the decoded body go."""
        return self._reader.info

    @property
    def next_page_uri(self) -> str | None:
        return self._page_info.next_page or self._link_next

    def _peek_next_page(self) -> str | None:
        """The next page's address read from the bytes when the page is not decoded yet
        (see :mod:`twilio_nb.convert._peek`), else :attr:`next_page_uri`: what a walk that
        fetches ahead needs, without the cost of decoding. The decoded page has the last
        word (the walk compares them)."""
        decoded = "_reader" in self.__dict__ or "_page_info" in self.__dict__
        if not decoded and self.format in ("json", "xml"):
            from .convert import UNKNOWN, peek_next_page

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

    def next_page(self) -> Result:
        """The next page, or a TwilioError when this is the last one."""
        return paging.next_page(self)

    def pages(self) -> Iterator[Result]:
        """This page and every page after it, fetched as you iterate (nothing is kept)."""
        return paging.iter_pages(self)

    def all(self, limit: int | None = None, progress: bool = True, *,
            prefetch: bool = True) -> pd.DataFrame:
        """Every record from this page on, as one DataFrame (with a progress bar).

        ``prefetch`` fetches the next page in the background while this one is converted;
        ``prefetch=False`` fetches one page after the other. The frame is the same."""
        return paging.all_records(self, limit=limit, progress=progress, prefetch=prefetch)

    # -- display ---------------------------------------------------------------------------
    def status_line(self) -> str:
        parts = [f"HTTP {self.status_code}", f"{self.request.method} {self.request.url}"]
        if self.format is not None:
            try:
                page = self._page_info.page
                parts.append(f"{len(self.df)} records" + (f", page {page}" if page is not None
                                                           else ""))
            except TwilioError as exc:
                parts.append(f"unreadable answer: {str(exc).splitlines()[0]}")
        elif self.is_binary:
            parts.append(f"{self.content_type}, {len(self.content)} bytes")
        parts.append(f"{self.duration_s * 1000:.0f} ms")
        if self.has_next_page:
            parts.append("next page: r.next_page()")
        if self.is_sandbox:
            parts.append("SANDBOX (offline, not Twilio)")
        return " · ".join(parts)

    def __repr__(self) -> str:
        return f"<Result {self.status_line()}>"

    def _repr_html_(self) -> str:
        line = html.escape(self.status_line())
        badge = ('<span style="background:#f22f46;color:white;padding:1px 6px;'
                 'border-radius:3px;margin-right:6px">SANDBOX</span>' if self.is_sandbox else "")
        body = ""
        if self.is_binary:
            body = self._media_html()
        elif self.format is not None:
            rows = getattr(self.connection, "display_rows", 20)
            try:
                body = self.df.head(rows).to_html(max_cols=30, notebook=True)
            except TwilioError as exc:  # shown, never a traceback in the notebook
                body = (f"<pre style='color:#b00;white-space:pre-wrap'>{type(exc).__name__}: "
                        f"{html.escape(str(exc))}</pre>")
        return f"<div><div style='font-family:monospace'>{badge}{line}</div>{body}</div>"

    def _media_html(self) -> str:
        import base64

        data = base64.b64encode(self.content).decode()
        if self.content_type.startswith("image/"):
            return f'<img src="data:{self.content_type};base64,{data}" style="max-width:320px"/>'
        if self.content_type.startswith("audio/"):
            return f'<audio controls src="data:{self.content_type};base64,{data}"></audio>'
        return ""

