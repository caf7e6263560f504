"""Requests for the adapter's two configuration types, built without sending anything.

* :func:`build_basic` — an operation of the catalog (Entity + Operation), its parameters by
  name (routed to the path, query, body or headers where the catalog says), a JSON body,
  the Query field, a Next Page URI.
* :func:`build_advanced` — HTTP method + Relative URL + a form-encoded body sent as written.

Both return a :class:`BuiltRequest`: what will be sent, with the catalog operation it
belongs to and the warnings found. It never holds credentials: the executor adds
authentication when it sends. Encoding rules are in :mod:`.body_encoding`, checks in
:mod:`twilio_nb.request.validate`, hosts and paths in :mod:`twilio_nb.request.urls`, the model
in :mod:`.built`. Imports catalog, vocabulary and errors; never transport, paging or above.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import httpx

from ..catalog import Operation
from ..errors import ConfigurationError, TwilioWarning, warn
from ..vocabulary import METHODS, WRITE_METHODS, normalize_format
from .body_encoding import (
    encode_query,
    form_encode,
    parse_json_body,
    select_headers,
    urlencode_pairs,
)
from .built import BuiltRequest
from .urls import (
    DEFAULT_ADDRESS,
    fill_path,
    match_operation,
    parse_address,
    quote_segment,
    split_suffix,
)
from .validate import validate

__all__ = ["JSON", "build_advanced", "build_basic"]

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
_PLACEHOLDER = re.compile(r"(?<=/):([A-Za-z_]\w*)(?=[/.]|$)|\{([A-Za-z_]\w*)\}")


def _emit(found: list[str]) -> tuple[str, ...]:
    unique = tuple(dict.fromkeys(found))
    for text in unique:
        warn(text, TwilioWarning)
    return unique


def _encode_items(items: list[tuple[str, Any]]) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for name, value in items:
        pairs.extend(form_encode({name: value}))
    return pairs


def _json_format_only(fmt: str, where: str, found: list[str]) -> str:
    if fmt != "json":
        found.append(f"{where} is a product API that answers JSON only; the Response Format "
                     f"{fmt.upper()} is read as JSON.")
    return "json"


def _route(op: Operation, params: Mapping[str, Any], body: Mapping[str, Any]
           ) -> tuple[dict[str, str], list[tuple[str, Any]], dict[str, Any],
                      list[tuple[str, Any]]]:
    """Send each name where the catalog says: path, query, body or header. Names the
    catalog does not know go in the body of a POST/PUT/PATCH, else in the query."""
    path: dict[str, str] = {}
    query: list[tuple[str, Any]] = []
    body_out: dict[str, Any] = {}
    header: list[tuple[str, Any]] = []
    for source, items in (("params", params), ("body", body)):
        for name, value in items.items():
            name = str(name)
            locations = [p.location for p in op.params if p.name == name]
            if source == "params" and "path" in locations:
                where = "path"
            elif source == "body" and "body" in locations:
                where = "body"
            elif locations:
                where = locations[0]
            else:
                where = "body" if op.method in WRITE_METHODS else "query"
            if value is None:
                continue
            if where == "path":
                path.setdefault(name, str(value))
            elif where == "query":
                query.append((name, value))
            elif where == "header":
                header.append((name, value))
            else:
                body_out[name] = value
    return path, query, body_out, header


def _v2010_suffix(path: str, fmt: str, found: list[str]) -> tuple[str, str]:
    """A 2010 path without a suffix takes the format's (without one Twilio answers XML); a
    suffix written in the path decides the format."""
    if not path.startswith("/2010-04-01/"):
        return path, fmt
    stem, ext = split_suffix(path)
    if ext is None and "." not in stem.rsplit("/", 1)[-1]:
        return f"{path}.{fmt}", fmt
    if ext is not None and ext != fmt:
        found.append(f"{path} ends in .{ext}: the answer is read as {ext.upper()}, "
                     f"not {fmt.upper()}.")
        return path, ext
    return path, fmt


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _no_control(text: str, field: str) -> None:
    if _CONTROL.search(text):
        raise ConfigurationError(
            f"The {field} {text!r} holds a control character (a tab, a line break, ...); "
            "remove it.", field=field)


def _mapping_or_text(value: object, field: str, what: str, *, text: bool = True) -> None:
    if value is None or isinstance(value, Mapping) or (text and isinstance(value, str)):
        return
    raise ConfigurationError(f"The {field} must be {what}, not {type(value).__name__} "
                             f"{value!r:.60}.", field=field)


def _usable(url: str, field: str) -> str:
    """``url`` once httpx can send it; a ConfigurationError naming ``field`` otherwise."""
    try:
        httpx.URL(url)
    except (httpx.InvalidURL, ValueError) as exc:
        raise ConfigurationError(f"The {field} gives the URL {url!r}, which cannot be sent "
                                 f"({exc}); check the {field}.", field=field) from None
    return url


def _next_page_url(uri: str, base: str, fmt: str, found: list[str]) -> tuple[str, str]:
    _no_control(uri.strip(), "Next Page URI")
    text = uri.strip().replace(" ", "%20")
    if re.match(r"^https?://[^/?#]+", text, re.IGNORECASE):
        parts = urlsplit(text)
        path, fmt = _v2010_suffix(parts.path, fmt, found)
        return _usable(parts._replace(path=path).geturl(), "Next Page URI"), fmt
    if text.startswith("/") and not text.startswith("//"):
        path, sep, query = text.partition("?")
        path, fmt = _v2010_suffix(path, fmt, found)
        return _usable(base + path + sep + query, "Next Page URI"), fmt
    raise ConfigurationError(
        f"Next Page URI {uri!r} must be a path starting with / (the next_page_uri Twilio "
        "gave, e.g. /2010-04-01/Accounts/AC.../Messages.json?PageSize=50&Page=1&PageToken=...) "
        "or an absolute http(s) URL (a product API's meta.next_page_url).",
        field="Next Page URI")


def build_basic(operation: Operation, *, address: str = DEFAULT_ADDRESS,
                account_sid: str | None = None, params: Mapping[str, Any] | None = None,
                body: Mapping[str, Any] | str | None = None,
                query: str | Mapping[str, Any] | None = None,
                next_page_uri: str | None = None, response_format: str = "json",
                request_headers: str | None = None, headers: Mapping[str, str] | None = None,
                region: str | None = None, edge: str | None = None) -> BuiltRequest:
    """The request of the Basic configuration type.

    ``params`` (the Operation Parameters) and ``body`` (a dict or JSON text) are routed by
    the catalog: path parameters fill the path (``AccountSid`` defaults to
    ``account_sid``), query parameters go in the query (so a GET operation's filters may be
    given there too), body parameters in the body, header parameters in the headers. Names
    the catalog does not know go in the body of a POST/PUT/PATCH and in the query
    otherwise, with a warning. The body is form-encoded (:func:`form_encode`), or JSON for
    an operation that takes JSON. ``query`` is appended as written (see
    :func:`.body_encoding.encode_query`: spaces as ``%20``, ``+`` as ``%2B``). A Next Page
    URI replaces path and query. Raises ConfigurationError before anything is sent.
    """
    found: list[str] = []
    fmt = normalize_format(response_format)
    if not operation.is_v2010:
        fmt = _json_format_only(fmt, operation.name, found)
    addr = parse_address(address)
    base = addr.base(operation.host, region, edge)
    _mapping_or_text(body, "Body", "a JSON object (a dict, or its JSON text)")
    _mapping_or_text(params, "Operation Parameters", "a dict of names and values", text=False)
    if isinstance(body, str):
        body_map: Mapping[str, Any] = parse_json_body(body) if body.strip() else {}
    else:
        body_map = body or {}
    path_values, query_items, body_items, header_items = _route(operation, params or {},
                                                                body_map)
    takes_account = any(p.name == "AccountSid" for p in operation.params_in("path"))
    if takes_account and "AccountSid" not in path_values and account_sid:
        path_values["AccountSid"] = str(account_sid)

    written = encode_query(query)
    routed = urlencode_pairs(_encode_items(query_items), space="%20")
    query_text = "&".join(q for q in (written, routed) if q)
    form = form_encode(body_items)
    if next_page_uri and next_page_uri.strip():
        url, fmt = _next_page_url(next_page_uri, base, fmt, found)
        if query_text:
            found.append("The Query and query parameters are not used with a Next Page URI: "
                         "the URI carries its own query.")
        query_text = urlsplit(url).query
        found += validate(operation, path_values, [], form, required_in=("body",))
    else:
        found += validate(operation, path_values, parse_qsl(query_text, keep_blank_values=True),
                          form)
        url = base + fill_path(operation, path_values, fmt)
        url += f"?{query_text}" if query_text else ""

    content: bytes | None = None
    ctype: str | None = None
    if operation.body_type == JSON:
        content, ctype = json.dumps(body_items, default=str).encode(), JSON
    elif form or operation.method in WRITE_METHODS or operation.body_type:
        content, ctype = urlencode_pairs(form).encode(), FORM
    extra, header_warnings = select_headers(request_headers, headers, header_items)
    found += header_warnings
    _usable(url, "Next Page URI" if next_page_uri else "Operation Parameters or Query")
    return BuiltRequest(
        configuration="basic", method=operation.method, url=url, headers=tuple(extra),
        body=content, content_type=ctype, response_format=fmt, operation=operation,
        path_params=tuple(path_values.items()), query=query_text, form=tuple(form),
        warnings=_emit(found), next_page_uri=next_page_uri.strip() if next_page_uri else None)


def _method(method: str) -> str:
    m = str(method or "").strip().upper()
    if m not in METHODS:
        raise ConfigurationError(
            f"HTTP Method {method!r} is not one of {', '.join(METHODS)}.", field="HTTP Method")
    return m


def _relative(relative_url: str) -> tuple[str, str]:
    text = (relative_url or "").strip()
    example = "e.g. /2010-04-01/Accounts/:AccountSid/Messages"
    if not text:
        raise ConfigurationError(f"The Relative URL is required, {example}.",
                                 field="Relative URL")
    _no_control(text, "Relative URL")
    path, _, query = text.partition("?")
    if (re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", text) or text.startswith("//")
            or "\\" in path or not text.startswith("/")):
        raise ConfigurationError(
            f"The Relative URL {text!r} must start with / and name no host or scheme ({example});"
            " the host comes from the Address and the operation.", field="Relative URL")
    if "#" in text:
        raise ConfigurationError("The Relative URL must not carry a #fragment.",
                                 field="Relative URL")
    return path, query


def _fill_placeholders(path: str, params: Mapping[str, Any], account_sid: str | None
                       ) -> tuple[str, dict[str, str]]:
    filled: dict[str, str] = {}

    def repl(m: re.Match[str]) -> str:
        name = m.group(1) or m.group(2)
        value = params.get(name)
        if value is None and name == "AccountSid":
            value = account_sid
        if value is None:
            raise ConfigurationError(
                f"The Relative URL has the placeholder {m.group(0)}: give {name} as a "
                f"parameter (params={{'{name}': ...}})"
                + (" or set the connection's account SID." if name == "AccountSid" else "."),
                field=name)
        filled[name] = str(value)
        return quote_segment(str(value), name)

    return _PLACEHOLDER.sub(repl, path), filled


_PHONE_PLUS = re.compile(r"((?:^|&)[^=&]*=(?:[a-z]+:)?)\+(?=\d)")


def _advanced_body(text_or_map: str | Mapping[str, Any], op: Operation | None,
                   found: list[str]) -> tuple[bytes, str, list[tuple[str, str]]]:
    takes_json = op is not None and op.body_type == JSON
    if isinstance(text_or_map, Mapping):
        if takes_json:
            return (json.dumps(dict(text_or_map), default=str).encode(), JSON,
                    form_encode(text_or_map))
        pairs = form_encode(text_or_map)
        return urlencode_pairs(pairs).encode(), FORM, pairs
    text = text_or_map.strip()
    if text.startswith("{"):
        if takes_json:
            return text.encode(), JSON, form_encode(parse_json_body(text))
        found.append("The Advanced body looks like JSON but is sent as form text "
                     "(application/x-www-form-urlencoded), which Twilio expects: write "
                     "Name=value&Name=value, or use the Basic configuration type for a JSON body.")
    # A '+' that starts a phone number (From=+1..., To=whatsapp:+91...) is what a person
    # means by the guide's body; in form encoding it would read as a space, so it is sent as
    # %2B. Any other raw '+' keeps its form meaning (a space), with a warning.
    phone = _PHONE_PLUS.sub(r"\1%2B", text)
    if phone != text:
        found.append("A '+' before a phone number in the body was sent as %2B, so Twilio reads "
                     "a plus sign (in form encoding a raw '+' is a space).")
        text = phone
    plus = re.search(r"(?:^|&)([^=&]*)=([^&]*\+[^&]*)", text)
    if plus:
        found.append(
            f"The body is sent as written, and in form encoding a raw '+' reads as a space: "
            f"Twilio will read {plus.group(1)}={plus.group(2).replace('+', ' ')!r}. "
            f"Write %2B for a plus sign ({plus.group(1)}={plus.group(2).replace('+', '%2B')}), "
            "or give the body as a dict to have it encoded.")
    return text.encode(), FORM, parse_qsl(text, keep_blank_values=True)


def build_advanced(method: str, relative_url: str, *, address: str = DEFAULT_ADDRESS,
                   account_sid: str | None = None, params: Mapping[str, Any] | None = None,
                   body: str | Mapping[str, Any] | None = None, send_body: bool | None = None,
                   query: str | Mapping[str, Any] | None = None, response_format: str = "json",
                   request_headers: str | None = None, headers: Mapping[str, str] | None = None,
                   region: str | None = None, edge: str | None = None) -> BuiltRequest:
    """The request of the Advanced configuration type.

    ``relative_url`` is a path without host (``/2010-04-01/Accounts/:AccountSid/Messages``);
    ``:Name`` and ``{Name}`` placeholders are filled from ``params`` (``AccountSid`` from
    ``account_sid``). A 2010 URL without a suffix takes the response format's
    (``.json``/``.xml``/``.csv``). The host is the one of the catalog operation the URL
    matches, else the Address's. The body is sent as written (but a ``+`` before a phone
    number, sent as ``%2B`` with a warning), as
    ``application/x-www-form-urlencoded`` (a dict is form-encoded); Send Body defaults to
    off for GET and DELETE. Checks against the matched operation only warn: the URL is the
    user's.
    """
    found: list[str] = []
    m = _method(method)
    fmt = normalize_format(response_format)
    addr = parse_address(address)
    path, url_query = _relative(relative_url)
    _mapping_or_text(params, "Operation Parameters", "a dict of names and values", text=False)
    params = params or {}
    path, filled = _fill_placeholders(path, params, account_sid)
    unused = [n for n in params if n not in filled]
    if unused:
        found.append(f"Parameters {', '.join(unused)} are not used: the Relative URL has no "
                     "placeholder for them (:Name or {Name}). Put query parameters in the "
                     "Query and body fields in the Body.")
    path, fmt = _v2010_suffix(path, fmt, found)
    op, values, match_warnings = match_operation(m, path,
                                                 addr.host if addr.is_twilio else None)
    found += match_warnings
    if not path.startswith("/2010-04-01/"):
        fmt = _json_format_only(fmt, path, found)
    base = addr.base(op.host if op else None, region, edge)

    query_text = "&".join(q for q in (encode_query(url_query), encode_query(query)) if q)
    sb = send_body if send_body is not None else m not in ("GET", "DELETE")
    _mapping_or_text(body, "Body", "form text (Name=value&Name=value) or a dict")
    has_body = body is not None and (isinstance(body, Mapping) or bool(body.strip()))
    content: bytes | None = None
    ctype: str | None = None
    form: list[tuple[str, str]] = []
    if has_body and not sb:
        found.append(f"Send Body is off (the default for {m}): the body is not sent.")
    elif has_body and body is not None:
        content, ctype, form = _advanced_body(body, op, found)
    elif sb and m in WRITE_METHODS:
        content, ctype = b"", FORM
    path_params = {**filled, **{k: unquote(v) for k, v in values.items()}}
    if op is not None:
        found += validate(op, path_params, parse_qsl(query_text, keep_blank_values=True),
                          form if content is not None else [], strict=False)
    extra, header_warnings = select_headers(request_headers, headers)
    found += header_warnings
    url = _usable(base + path + (f"?{query_text}" if query_text else ""), "Relative URL")
    return BuiltRequest(
        configuration="advanced", method=m, url=url, headers=tuple(extra), body=content,
        content_type=ctype, response_format=fmt, operation=op,
        path_params=tuple(path_params.items()), query=query_text, form=tuple(form),
        warnings=_emit(found))
