"""A Result as text and as HTML: its status line over the first records as a table (an
error said, never a traceback), or an image or audio answer inline, for HTML front ends
without IPython's own Image/Audio (the notebook front end shows those instead).

Imports answers.tables and errors (not answers.result, which imports it); never paging, the
session or a front end.
"""

from __future__ import annotations

import base64
import html
from typing import Any

from ..errors import TwilioError
from .tables import count_of, table_html, table_text

# a Result, read by its attributes (not imported: result imports this module)
Result = Any

__all__ = ["media_html", "result_html", "result_text", "status_line"]


def result_html(result: Result) -> str:
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
            body = table_html(result.df, result.origin.display_rows)
        except TwilioError as exc:  # shown, never a traceback in the notebook
            body = (f"<pre style='color:#b00;white-space:pre-wrap'>{type(exc).__name__}: "
                    f"{html.escape(str(exc))}</pre>")
    return f"<div><div style='font-family:monospace'>{badge}{line}</div>{body}</div>"


def media_html(content: bytes, content_type: str) -> str:
    """An image or audio answer inline (empty for any other file)."""
    data = base64.b64encode(content).decode()
    ctype = html.escape(content_type.split(";")[0].strip())
    if ctype.startswith("image/"):
        return f'<img src="data:{ctype};base64,{data}" style="max-width:320px"/>'
    if ctype.startswith("audio/"):
        return f'<audio controls src="data:{ctype};base64,{data}"></audio>'
    return ""


def status_line(result: Result) -> str:
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
        parts.append("next page: r.next_page()")
    if result.is_sandbox:
        parts.append("SANDBOX (offline, not Twilio)")
    if result.origin.replay:
        parts.append(f"REPLAY of {result.origin.replay} (recorded, not live)")
    return " · ".join(parts)


def result_text(result: Result, rows: int) -> str:
    """The status line and the first ``rows`` records as a text table."""
    lines = [status_line(result)]
    if result.format is not None:
        try:
            lines.append(table_text(result.df, rows))
        except TwilioError as exc:  # said, never a traceback in a display
            lines.append(f"{type(exc).__name__}: {exc}")
    return "\n".join(lines)
