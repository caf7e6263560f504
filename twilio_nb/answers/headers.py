"""What an answer's headers tell a Result: which of them it keeps (the adapter's Response
Headers rule), and the format the answer is in (:func:`answer_format`).

Imports the vocabulary only (and httpx's types).
"""

from __future__ import annotations

import httpx

from ..vocabulary import FORMATS

__all__ = ["PROTOCOL_HEADERS", "answer_format", "filter_headers"]

_NOT_TEXT = ("image/", "audio/", "video/", "application/octet-stream", "application/pdf")

# protocol headers the adapter never passes on (it keeps "date")
PROTOCOL_HEADERS = {"connection", "keep-alive", "transfer-encoding", "content-length",
                    "content-encoding", "upgrade", "te", "trailer", "proxy-authenticate",
                    "proxy-connection", "set-cookie", "www-authenticate"}


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


def answer_format(content: bytes, content_type: str, requested: str) -> str | None:
    """json, xml or csv: by the body where it starts like JSON or XML (a proxy may label it
    wrongly), else by the ``content_type`` (the ``requested`` one if unclear); None for an
    empty or binary answer."""
    ctype = content_type.lower()
    if not content.strip() or ctype.startswith(_NOT_TEXT):
        return None
    head = content.lstrip().removeprefix(b"\xef\xbb\xbf")[:1]
    if head in (b"{", b"[") or head == b"<":
        return "xml" if head == b"<" else "json"
    for fmt in FORMATS:
        if fmt in ctype:
            return fmt
    return requested
