"""What the inbox makes of one HTTP request: its framing checked, its fields read, its
signature checked, and what is kept of it.

- A request whose framing is wrong is answered before its body is trusted: a chunked body
  without ``Content-Length`` 411; a ``Content-Length`` that is not a whole number of bytes
  (``-5``, ``abc``) 400; one over ``max_body`` 413, unread; a body shorter than its
  ``Content-Length`` (the client went away mid-body) 400.
- A request the inbox refuses (any 4xx: framing, a missing or wrong signature) is kept as one
  row of the base columns only (time, method, path, signature, status, error), without its
  fields: a forged POST of 6,000 fields adds no column and holds no memory.
- A request taken (signed, or any with ``verify=False``) keeps its query and form fields.

:func:`kept_size` is the bytes a row counts against the inbox's memory budget.

Imports only the standard library and the webhook protocol's signature.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from ..webhook_protocol.signature import HEADER, valid

__all__ = ["BASE_COLUMNS", "MAX_PATH", "Check", "kept_size", "read_request"]

BASE_COLUMNS = ("received_at", "method", "path", "signature_valid", "status", "error")
#: the characters of a refused request's path that are kept (the rest cut, marked with ...)
MAX_PATH = 512
_ROW_OVERHEAD = 200  # a row's dict and its base values, roughly, in bytes
_TEXT = "text/plain; charset=utf-8"


@dataclass(frozen=True)
class Check:
    """How the inbox checks requests: its signing key and the URL senders sign."""

    verify: bool
    token: str = field(repr=False)  # the auth token: never in a repr
    public_url: str | None = None
    local_host: str = "127.0.0.1"
    max_body: int = 64 * 1024


def _refuse(row: dict[str, Any], check: Check, status: int, reason: str, error: str
            ) -> tuple[int, str, str]:
    row["error"] = error
    row["signature_valid"] = False if check.verify else None
    path = str(row["path"])
    if len(path) > MAX_PATH:
        row["path"] = path[:MAX_PATH] + "..."
    return status, reason + "\n", _TEXT


def _length(req: BaseHTTPRequestHandler) -> tuple[int | None, str | None]:
    """(the body's length, None) or (None, what is wrong with the framing)."""
    values = req.headers.get_all("Content-Length") or []
    if not values:
        if "chunked" in (req.headers.get("Transfer-Encoding") or "").lower():
            return None, "no Content-Length (chunked body)"
        return 0, None
    text = values[0].strip()
    if len(set(v.strip() for v in values)) > 1:
        return None, "Content-Length given twice with different values"
    if not text.isdigit():
        return None, f"Content-Length {text[:40]!r} is not a whole number of bytes"
    return int(text), None


def read_request(req: BaseHTTPRequestHandler, row: dict[str, Any], check: Check
                 ) -> tuple[int, str, str] | None:
    """Fill ``row`` from ``req``; the answer when the request is refused, None when taken."""
    size, wrong = _length(req)
    if size is None:
        status, reason = (411, "Length Required") if "chunked" in str(wrong) else \
            (400, "Bad Request: Content-Length is not a whole number of bytes")
        return _refuse(row, check, status, reason, f"{wrong}: refused")
    if size > check.max_body:
        return _refuse(row, check, 413, "Payload Too Large",
                       f"body of {size:,} bytes is over the limit of {check.max_body:,}: "
                       "refused unread")
    raw = req.rfile.read(size) if size else b""
    if len(raw) < size:
        return _refuse(row, check, 400, "Bad Request: body shorter than its Content-Length",
                       f"body cut short ({len(raw):,} of {size:,} bytes): refused")
    query = parse_qsl(urlsplit(req.path).query, keep_blank_values=True)
    form = parse_qsl(raw.decode("utf-8", errors="replace"), keep_blank_values=True) \
        if "form-urlencoded" in (req.headers.get("Content-Type") or "") else []
    if check.verify:
        # the URL the sender requested: public_url behind a tunnel, else the Host it named
        # (127.0.0.1 or localhost); a forger gains nothing by naming another host
        base = check.public_url or f"http://{req.headers.get('Host') or check.local_host}"
        signature = req.headers.get(HEADER)
        if not valid(base + req.path, form, signature, check.token):
            return _refuse(row, check, 403, "Forbidden: X-Twilio-Signature missing or wrong",
                           "X-Twilio-Signature missing" if not signature
                           else "X-Twilio-Signature does not match")
        row["signature_valid"] = True
    for k, v in [*query, *form]:
        if k not in BASE_COLUMNS:
            row[k] = v
    return None


def kept_size(row: dict[str, Any]) -> int:
    """Roughly the bytes ``row`` holds: what the inbox's memory budget counts."""
    return _ROW_OVERHEAD + sum(len(k) + len(v) for k, v in row.items()
                               if isinstance(v, str))
