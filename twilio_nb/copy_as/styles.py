"""Copy as: the same request written for another tool.

Styles (:data:`STYLES`):

* ``curl`` — a shell command; the form fields as ``--data-urlencode`` (Basic) or exactly as
  written with ``--data-raw`` (Advanced).
* ``python`` — a twilio-python call (``client.api.v2010.accounts(...).messages.create(...)``),
  or ``client.request(...)`` where the request does not map cleanly to one.
* ``cli`` — a twilio-cli command (``twilio api:core:messages:create --from ...``).
* ``sap`` — the adapter's Processing tab settings, as a readable block.
* ``magic`` — the ``%twilio`` line or ``%%twilio`` cell (``--query``, ``--format``,
  ``--next-page-uri``, ``--send-body``, ``--header 'Name: value'``).
* ``twilio_nb`` — the ``conn.basic(...)`` / ``conn.advanced(...)`` call.

Secrets never appear: a :class:`BuiltRequest` holds none, and credentials are written as
the placeholders ``$TWILIO_API_KEY``/``$TWILIO_API_SECRET`` (``auth="api_key"``, the
default) or ``$TWILIO_ACCOUNT_SID``/``$TWILIO_AUTH_TOKEN`` (``auth="auth_token"``). Shell
words are quoted with :func:`shlex.quote`.
"""

from __future__ import annotations

import json
import re
import shlex
from pprint import pformat
from typing import Any
from urllib.parse import unquote

from ..errors import ConfigurationError
from ..request.body_encoding import urlencode_pairs
from ..request.build import JSON
from ..request.built import BuiltRequest
from ..request.urls import region_edge_of
from ..vocabulary import FORMAT_LABELS, WRITE_METHODS, normalize_auth_type
from .sdk import body_fields, cli_command, python_call, relative_path

__all__ = ["STYLES", "copy_as"]

STYLES = ("curl", "python", "cli", "sap", "magic", "twilio_nb")
_CURL_USER = {"api_key": '"$TWILIO_API_KEY:$TWILIO_API_SECRET"',
              "auth_token": '"$TWILIO_ACCOUNT_SID:$TWILIO_AUTH_TOKEN"'}
_PLAIN_NAME = re.compile(r"^[A-Za-z0-9_.-]+$")


def copy_as(req: BuiltRequest, style: str, *, auth: str = "api_key") -> str:
    """``req`` written in ``style`` (one of :data:`STYLES`). ``auth`` picks the credential
    placeholders: ``"api_key"`` (the adapter's default) or ``"auth_token"``."""
    key = style.strip().lower().replace("-", "_")
    auth_key = normalize_auth_type(auth) or "api_key"
    if key == "curl":
        return curl(req, auth_key)
    if key == "python":
        return python_call(req, auth_key)
    if key == "cli":
        return cli_command(req)
    if key == "sap":
        return sap(req)
    if key == "magic":
        return magic(req)
    if key in ("twilio_nb", "twilionb"):
        return twilio_nb(req)
    raise ConfigurationError(f"Unknown Copy as style {style!r}: use one of {', '.join(STYLES)}.",
                             field="Copy as")


def curl(req: BuiltRequest, auth: str = "api_key") -> str:
    """A curl command; credentials as environment-variable placeholders."""
    words = [f"curl -X {req.method} {shlex.quote(req.url)}"]
    for name, value in req.headers:
        words.append(f"-H {shlex.quote(f'{name}: {value}')}")
    if req.body is not None:
        text = req.body.decode("utf-8", errors="replace")
        if req.content_type == JSON:
            words.append(f"-H {shlex.quote('Content-Type: ' + JSON)}")
            words.append(f"--data-raw {shlex.quote(text)}")
        elif req.configuration == "advanced":
            words += [f"--data-raw {shlex.quote(piece)}" for piece in text.split("&")]
        else:
            for name, value in req.form:
                if _PLAIN_NAME.match(name):
                    words.append(f"--data-urlencode {shlex.quote(f'{name}={value}')}")
                else:
                    words.append(f"--data-raw {shlex.quote(urlencode_pairs([(name, value)]))}")
    words.append(f"-u {_CURL_USER[auth]}")
    return " \\\n  ".join(words) + "\n"


def _headers_line(req: BuiltRequest) -> list[str]:
    if not req.headers:
        return ["Request Headers: "]
    lines = ["Request Headers: " + "|".join(n for n, _ in req.headers),
             "  header values (set as message headers):"]
    lines += [f"    {n}: {v}" for n, v in req.headers]
    return lines


def sap(req: BuiltRequest) -> str:
    """The Processing tab, field by field."""
    fmt = FORMAT_LABELS[req.response_format]
    op = req.operation
    if req.configuration == "basic" and op is not None:
        lines = ["Configuration Type: Basic", f"Entity: {op.entity}", f"Operation: {op.label}",
                 "Operation Parameters:"]
        lines += [f"  {n} = {unquote(v)}" for n, v in req.path_params] or ["  (none)"]
        lines += [f"Query: {'' if req.next_page_uri else req.query}",
                  f"Next Page URI: {req.next_page_uri or ''}", f"Response Format: {fmt}"]
        lines += _headers_line(req)
        if req.body is not None:
            lines += ["Body:", json.dumps(body_fields(req), indent=2, ensure_ascii=False)]
        return "\n".join(lines) + "\n"
    region, edge = region_edge_of(req.host) if req.is_twilio else (None, None)
    lines = ["Configuration Type: Advanced", f"HTTP Method: {req.method}",
             f"Relative URL: {relative_path(req)}",
             f"Send Body: {'on' if req.body is not None else 'off'}",
             f"Query: {req.query}", f"Response Format: {fmt}"]
    lines += _headers_line(req)
    if op is not None:
        lines.append(f"(Catalog operation: {op.entity}: {op.label}; host {req.host})")
    if region or edge:
        lines.append(f"(Region {region}, edge {edge or '-'})")
    if req.body is not None:
        lines += ["Body:", req.body.decode("utf-8", errors="replace")]
    return "\n".join(lines) + "\n"


def _word(text: str) -> str:
    """A magic argument: bare when safe, else double-quoted when that needs no escapes,
    else shell-quoted."""
    if re.fullmatch(r"[\w@%+=:,./-]+", text):
        return text
    if not re.search(r'["\\$`!]', text):
        return f'"{text}"'
    return shlex.quote(text)


def magic(req: BuiltRequest) -> str:
    """The ``%twilio`` line, or the ``%%twilio`` cell when there is a body."""
    op = req.operation
    options: list[str] = []
    if req.configuration == "basic" and op is not None:
        head = [_word(op.entity), _word(op.label)]
        head += [_word(f"{n}={unquote(v)}") for n, v in req.path_params]
        if req.next_page_uri:
            options.append(f"--next-page-uri {_word(req.next_page_uri)}")
        elif req.query:
            options.append(f"--query {_word(req.query)}")
        body = (json.dumps(body_fields(req), indent=2, ensure_ascii=False)
                if req.body is not None and req.form else None)
    else:
        head = [req.method, _word(relative_path(req))]
        if req.query:
            options.append(f"--query {_word(req.query)}")
        body = req.body.decode("utf-8", errors="replace") if req.body else None
        if body and req.method not in WRITE_METHODS:
            options.append("--send-body")
    if req.response_format != "json":
        options.append(f"--format {req.response_format}")
    options += [f"--header {_word(f'{n}: {v}')}" for n, v in req.headers]
    line = " ".join(head + options)
    if body:
        return f"%%twilio {line}\n{body}\n"
    return f"%twilio {line}\n"


def _kwargs(items: list[tuple[str, Any]]) -> str:
    parts = []
    for name, value in items:
        text = pformat(value, sort_dicts=False, width=80)
        text = text.replace("\n", "\n" + " " * (len(name) + 5))
        parts.append(f"    {name}={text},\n")
    return "".join(parts)


def twilio_nb(req: BuiltRequest) -> str:
    """The ``conn.basic(...)`` or ``conn.advanced(...)`` call."""
    op = req.operation
    items: list[tuple[str, Any]] = []
    region, edge = region_edge_of(req.host) if req.is_twilio else (None, None)
    if req.configuration == "basic" and op is not None:
        head = f"r = conn.basic(\n    {op.entity!r},\n    {op.label!r},\n"
        if req.path_params:
            items.append(("params", {n: unquote(v) for n, v in req.path_params}))
        if req.body is not None and req.form:
            items.append(("body", body_fields(req)))
        if req.next_page_uri:
            items.append(("next_page_uri", req.next_page_uri))
        elif req.query:
            items.append(("query", req.query))
    else:
        head = f"r = conn.advanced(\n    {req.method!r},\n    {relative_path(req)!r},\n"
        if req.body is not None:
            items.append(("body", req.body.decode("utf-8", errors="replace")))
        default_send = req.method in WRITE_METHODS
        if (req.body is not None) != default_send:
            items.append(("send_body", req.body is not None))
        if req.query:
            items.append(("query", req.query))
    if req.response_format != "json":
        items.append(("response_format", req.response_format))
    if req.headers:
        items.append(("request_headers", "|".join(n for n, _ in req.headers)))
        items.append(("headers", dict(req.headers)))
    base = req.url.split("/", 3)[0] + "//" + req.host
    where = [f"address={base!r}"] if not req.is_twilio else []
    where += [f"{k}={v!r}" for k, v in (("region", region), ("edge", edge)) if v]
    note = f"# with conn = tw.Connection({', '.join(where)}, ...)\n" if where else ""
    return note + head + _kwargs(items) + ")\n"
