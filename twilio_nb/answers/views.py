"""A Result as text and as HTML: its status line over the first records as a table (an
error said, never a traceback), or an image or audio answer inline, for HTML front ends
without IPython's own Image/Audio (the notebook front end shows those instead).

The views read a Result through :class:`Shown` (what they read of it: not answers.result,
which imports this module). Imports answers.tables and errors; never paging, the session or
a front end.
"""

from __future__ import annotations

import base64
import html
from typing import TYPE_CHECKING, Any, Protocol

from ..errors import TwilioError
from .fields import column_titles
from .tables import WRAP, count_of, table_html, table_text

if TYPE_CHECKING:
    import pandas as pd

    from ..request.built import BuiltRequest

__all__ = ["NEXT_PAGE", "SANDBOX", "Shown", "media_html", "result_html", "result_text",
           "status_line"]


# The status line's words for "more pages" and "the sandbox answered": neutral, since the
# Result may be held in any variable (``calls.next_page()``), or in none.
NEXT_PAGE = "next page: .next_page(), every page: .all()"
SANDBOX = "SANDBOX (offline, not Twilio)"


class _ShownOrigin(Protocol):
    """What the views read of a Result's origin."""

    @property
    def display_rows(self) -> int: ...
    @property
    def replay(self) -> str | None: ...


class Shown(Protocol):
    """What the views read of a :class:`~twilio_nb.answers.result.Result`."""

    @property
    def origin(self) -> _ShownOrigin: ...
    @property
    def request(self) -> BuiltRequest: ...
    @property
    def status_code(self) -> int: ...
    @property
    def content(self) -> bytes: ...
    @property
    def content_type(self) -> str: ...
    @property
    def duration_s(self) -> float: ...
    @property
    def format(self) -> str | None: ...
    @property
    def is_binary(self) -> bool: ...
    @property
    def is_sandbox(self) -> bool: ...
    @property
    def df(self) -> pd.DataFrame: ...
    @property
    def operation(self) -> Any: ...
    @property
    def page_number(self) -> int | None: ...
    @property
    def has_next_page(self) -> bool: ...
    def status_line(self) -> str: ...


def result_html(result: Shown) -> str:
    """The status line (a SANDBOX or REPLAY badge: who answered) and the first records
    (or the media) of ``result``."""
    line = html.escape(result.status_line())
    badge = ('<span style="background:#f22f46;color:white;padding:1px 6px;'
             'border-radius:3px;margin-right:6px">SANDBOX</span>' if result.is_sandbox else
             '<span style="background:#555;color:white;padding:1px 6px;border-radius:3px;'
             'margin-right:6px">REPLAY</span>' if result.origin.replay else "")
    body = ""
    if result.is_binary:
        body = media_html(result.content, result.content_type)
    elif result.format is not None:
        try:
            frame = result.df
            body = table_html(frame, result.origin.display_rows,
                              titles=column_titles(frame, result.operation))
        except TwilioError as exc:  # shown, never a traceback in the notebook
            body = (f"<pre style='color:#b00;white-space:pre-wrap'>{type(exc).__name__}: "
                    f"{html.escape(str(exc))}</pre>")
    return (f"<div style='max-width:100%'><div class='twilio-nb-status' "
            f"style='font-family:monospace;{WRAP}'>{badge}{line}</div>{body}</div>")


def media_html(content: bytes, content_type: str) -> str:
    """An image or audio answer inline (empty for any other file)."""
    data = base64.b64encode(content).decode()
    ctype = html.escape(content_type.split(";")[0].strip())
    if ctype.startswith("image/"):
        return f'<img src="data:{ctype};base64,{data}" style="max-width:320px"/>'
    if ctype.startswith("audio/"):
        return f'<audio controls src="data:{ctype};base64,{data}"></audio>'
    return ""


def status_line(result: Shown) -> str:
    """HTTP status, method and URL, records (and page), duration, next page, sandbox or
    replay."""
    parts = [f"HTTP {result.status_code}", f"{result.request.method} {result.request.url}"]
    if result.format is not None:
        try:
            page = result.page_number
            parts.append(count_of(len(result.df)) + (f", page {page}" if page is not None
                                                      else ""))
        except TwilioError as exc:
            parts.append(f"unreadable answer: {str(exc).splitlines()[0]}")
    elif result.is_binary:
        parts.append(f"{result.content_type}, {len(result.content):,} bytes")
    parts.append(f"{result.duration_s * 1000:.0f} ms")
    if result.has_next_page:
        parts.append(NEXT_PAGE)
    if result.is_sandbox:
        parts.append(SANDBOX)
    if result.origin.replay:
        parts.append(f"REPLAY of {result.origin.replay} (recorded, not live)")
    return " · ".join(parts)


def result_text(result: Shown, rows: int) -> str:
    """The status line and the first ``rows`` records as a text table."""
    lines = [status_line(result)]
    if result.format is not None:
        try:
            lines.append(table_text(result.df, rows))
        except TwilioError as exc:  # said, never a traceback in a display
            lines.append(f"{type(exc).__name__}: {exc}")
    return "\n".join(lines)
