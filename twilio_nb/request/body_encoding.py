"""Encodings of what a request carries: Twilio's form encoding, the Query field, the
Basic JSON body and the Request Headers rule. Pure functions, no network.

Encoding choices (the README repeats them):

* **Body (Basic)** — a JSON object, sent form-encoded as Twilio expects: a list becomes
  repeated keys (``MediaUrl``), a boolean ``true``/``false``, a number its text, an object or
  a nested list a JSON string, ``None`` is left out. Values are then percent-encoded the
  usual ``application/x-www-form-urlencoded`` way (a space as ``+``, a ``+`` as ``%2B``).
* **Query** — appended as written, as the adapter does, with the characters a URL cannot
  carry percent-encoded: a space becomes ``%20`` and a ``+`` becomes ``%2B``. In a query a
  raw ``+`` reads as a space at Twilio, so ``To=+9195523446XX`` is sent as
  ``To=%2B9195523446XX`` and Twilio sees the plus sign. ``%XX`` escapes already written are
  kept as they are.
* **Request Headers** — a pipe-separated list of header names to take from the headers
  given (any case); ``*`` (or nothing) takes all of them. Protocol and hop-by-hop headers,
  and the ones that carry credentials, are never taken from the user.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import quote, urlencode

from ..errors import ConfigurationError

__all__ = ["BLOCKED_HEADERS", "encode_query", "form_encode", "form_text", "parse_json_body",
           "select_headers", "urlencode_pairs"]

# Never taken from the user: they carry credentials, or the HTTP layer owns them.
BLOCKED_HEADERS = frozenset({
    "authorization", "proxy-authorization", "cookie", "set-cookie", "host", "content-length",
    "content-type", "transfer-encoding", "connection", "keep-alive", "proxy-authenticate",
    "proxy-connection", "te", "trailer", "trailers", "upgrade", "expect", "accept",
    "accept-encoding",
})
_TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
# In a query: keep unreserved and sub-delimiter characters and escapes already written;
# encode everything else (space -> %20, + -> %2B, < > # " and non-ASCII).
_QUERY_KEEP = re.compile(r"%[0-9A-Fa-f]{2}|[A-Za-z0-9\-._~!$'()*,;:@/?=&]")


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
        return str(value.strftime("%Y-%m-%dT%H:%M:%SZ"))
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value)
    return str(value)


def form_encode(body: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Twilio's form encoding of a mapping, as ``(name, text)`` pairs in order.

    A list or tuple becomes repeated keys (``None`` items dropped), a boolean
    ``"true"``/``"false"``, a dict (or a list inside a list) JSON text, a number its
    text, a date or datetime ISO 8601 (datetimes in UTC, like twilio-python), ``None``
    is left out.

    >>> form_encode({"MediaUrl": ["a", "b"], "Record": False, "Timeout": 60, "X": None})
    [('MediaUrl', 'a'), ('MediaUrl', 'b'), ('Record', 'false'), ('Timeout', '60')]
    """
    pairs: list[tuple[str, str]] = []
    for key, value in body.items():
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            pairs.extend((str(key), _scalar(v)) for v in value if v is not None)
        else:
            pairs.append((str(key), _scalar(value)))
    return pairs


def urlencode_pairs(pairs: Iterable[tuple[str, str]], *, space: str = "+") -> str:
    """``name=value&...`` percent-encoded: with ``space="+"`` the form way, with
    ``space="%20"`` the query way. A ``+`` in a value is always ``%2B``."""
    if space == "+":
        return urlencode(list(pairs))
    return urlencode(list(pairs), quote_via=quote)


def form_text(body: Mapping[str, Any]) -> str:
    """The form-encoded text of a mapping: ``form_encode`` + percent-encoding."""
    return urlencode_pairs(form_encode(body))


def encode_query(query: str | Mapping[str, Any] | None) -> str:
    """The Query field as sent, without the leading ``?``.

    Text is kept as written except for characters a URL cannot carry, which are
    percent-encoded: a space becomes ``%20``, a ``+`` becomes ``%2B`` (Twilio would read a
    raw ``+`` in a query as a space), ``<`` and ``>`` become ``%3C`` and ``%3E``; escapes
    already written (``%20``, ``%2B``) stay. A mapping is form-encoded the same way.

    >>> encode_query("To=+9195523446XX&FriendlyName=my line")
    'To=%2B9195523446XX&FriendlyName=my%20line'
    """
    if query is None:
        return ""
    if isinstance(query, Mapping):
        return urlencode_pairs(form_encode(query), space="%20")
    text = str(query).strip()
    if text.startswith("?"):
        text = text[1:]
    out: list[str] = []
    pos = 0
    for match in _QUERY_KEEP.finditer(text):
        if match.start() > pos:
            out.append(quote(text[pos:match.start()], safe=""))
        out.append(match.group(0))
        pos = match.end()
    if pos < len(text):
        out.append(quote(text[pos:], safe=""))
    return "".join(out).strip("&")


def parse_json_body(text: str) -> dict[str, Any]:
    """The Basic body: a JSON object. Bad JSON is a ConfigurationError giving the line and
    column, and what to fix."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        line = exc.doc.splitlines()[exc.lineno - 1] if exc.doc.splitlines() else ""
        raise ConfigurationError(
            f"The Body is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}:"
            f"\n  {line}\n  {' ' * (exc.colno - 1)}^\n"
            "For the Basic configuration type the body is a JSON object, e.g. "
            '{"From": "+14155552671", "To": "+919876543210", "Body": "Hi"} '
            "(double quotes around names and strings, no trailing commas).",
            field="Body") from None
    if not isinstance(value, dict):
        raise ConfigurationError(
            f"The Body must be a JSON object ({{\"Name\": value, ...}}), not a "
            f"{type(value).__name__}.", field="Body")
    return value


def _header_value(name: str, value: Any) -> str:
    text = str(value)
    if "\r" in text or "\n" in text or "\0" in text:
        raise ConfigurationError(
            f"The value of header {name!r} contains a line break; header values must be "
            "one line.", field="Request Headers")
    if not text.isascii() or not text.isprintable():
        raise ConfigurationError(
            f"The value of header {name!r} holds a character HTTP headers cannot carry (only "
            "printable ASCII); percent-encode it or leave it out.", field="Request Headers")
    return text


def select_headers(request_headers: str | None, headers: Mapping[str, Any] | None,
                   extra: Sequence[tuple[str, Any]] = ()) -> tuple[list[tuple[str, str]],
                                                                      list[str]]:
    """The headers to send and the warnings about those left out.

    ``request_headers`` is the adapter's Request Headers field: pipe-separated names to take
    from ``headers`` (any case), ``*`` for all; ``None`` means ``*``. ``extra`` are header
    parameters of the operation (``X-Twilio-Webhook-Enabled``, ``If-Match``), always sent.
    Blocked headers (:data:`BLOCKED_HEADERS`, ``Camel*``) are dropped with a warning.
    """
    given = dict(headers or {})
    spec = "*" if request_headers is None else request_headers.strip()
    if spec == "*":
        chosen = list(given.items())
    else:
        wanted = {n.strip().lower() for n in spec.split("|") if n.strip()}
        chosen = [(k, v) for k, v in given.items() if k.lower() in wanted]
    chosen.extend(extra)
    out: list[tuple[str, str]] = []
    warnings: list[str] = []
    for name, value in chosen:
        name = str(name).strip()
        if not _TOKEN.match(name):
            raise ConfigurationError(
                f"{name!r} is not a valid header name (letters, digits and - only, "
                "e.g. X-Twilio-Webhook-Enabled).", field="Request Headers")
        low = name.lower()
        if low in BLOCKED_HEADERS or low.startswith("camel"):
            warnings.append(
                f"Header {name} is not sent: protocol, hop-by-hop and credential headers "
                "(Authorization, Cookie, Host, Content-Length, Content-Type, ...) are set by "
                "twilio_nb itself, never taken from the request headers.")
            continue
        if value is None:
            continue
        out.append((name, _header_value(name, value)))
    return out, warnings
