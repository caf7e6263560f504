"""What comes back over the wire, read: the answer's body read up to a cap, an empty answer
told apart from a real one, an error answer turned into a :class:`TwilioApiError`, and a URL
as logs show it.

Imports errors and convert (error bodies, deferred); never answers, paging or above.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import httpx

from ..errors import ResponseFormatError, TransportError, TwilioApiError, TwilioError

if TYPE_CHECKING:
    from ..request.built import BuiltRequest

__all__ = ["MAX_RESPONSE_BYTES", "empty_answer", "empty_error", "error_from_response",
           "read_capped", "shown"]

# a page of 1000 records is a few MB; a long call's WAV recording can be a few hundred
MAX_RESPONSE_BYTES = 256 * 2**20


def error_from_response(response: httpx.Response, method: str, url: str) -> TwilioApiError:
    """A TwilioApiError from an error answer: Twilio's JSON or XML error, or a clear
    message for an HTML page (a proxy) or an empty body."""
    from ..convert import parse_error  # deferred: convert imports pandas

    status = response.status_code
    parsed = None
    try:
        parsed = parse_error(response.content, response.headers.get("content-type"))
    except TwilioError:
        parsed = None
    if parsed is not None:
        return TwilioApiError(status, parsed.code, parsed.message, parsed.more_info,
                              method=method, url=url, detail=parsed.detail)
    ctype = response.headers.get("content-type", "")
    text = response.text.strip() if response.content else ""
    if not text:
        message = f"{response.reason_phrase or 'error'} with an empty body"
    elif "html" in ctype or text[:15].lower().startswith(("<!doctype", "<html")):
        title = re.search(r"<title>(.*?)</title>", text, re.I | re.S)
        shown = title.group(1).strip() if title else text[:120]
        message = (f"an HTML page ({shown!r}), not a Twilio answer: a proxy or gateway may "
                   "stand between you and Twilio; check the Address")
    else:
        message = f"{response.reason_phrase}: {text[:200]}"
    return TwilioApiError(status, None, message, None, method=method, url=url)


def read_capped(response: httpx.Response, limit: int, where: str) -> httpx.Response:
    """The answer of the streamed ``response`` with its body read, but not past ``limit``
    bytes (announced or received, decoded). The body is decoded already, so the answer no
    longer names a Content-Encoding (its Content-Length is the decoded size); neither header
    reaches a user (see ``answers.headers.PROTOCOL_HEADERS``)."""
    declared = response.headers.get("content-length", "").strip()
    too_big = declared.isdigit() and int(declared) > limit
    chunks: list[bytes] = []
    size = 0
    if not too_big:
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > limit:
                too_big = True
                break
            chunks.append(chunk)
    if too_big:
        raise TransportError(
            f"The answer from {where} is larger than {limit / 2**20:g} MB (max_response_bytes), "
            "so it was not read. A Twilio page is a few MB at most: check the Address, or ask "
            "for a smaller PageSize; for a big recording raise max_response_bytes of the "
            "Connection.")
    headers = [(name, value) for name, value in response.headers.multi_items()
               if name.lower() not in ("content-encoding", "content-length")]
    return httpx.Response(response.status_code, headers=headers, content=b"".join(chunks),
                          request=response.request, extensions=response.extensions)


def empty_answer(built: BuiltRequest, response: httpx.Response) -> bool:
    """A 2xx without a body where Twilio always sends one (not a delete, not a 204)."""
    op = built.operation
    return (not response.content and response.status_code not in (204, 205)
            and op is not None and op.kind != "delete" and built.method.upper() != "HEAD")


def empty_error(built: BuiltRequest, response: httpx.Response,
                 method: str) -> ResponseFormatError:
    op = built.operation
    what = "a page of records" if op is not None and op.kind == "list" else "the resource"
    return ResponseFormatError(
        f"HTTP {response.status_code} with an empty body ({method} {shown(built.url)}), where "
        f"Twilio always sends {what}: a proxy or the network lost the answer.")


def shown(url: str) -> str:
    """The URL as logs show it: no user-info (credentials never live in URLs here anyway)."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError):
        return url
    if parsed.userinfo:
        parsed = parsed.copy_with(username=None, password=None)
    return str(parsed)
