"""The "Copy as" styles of Twilio's own tools: a twilio-python call and a twilio-cli command.

Both are derived from the catalog operation (its path, kind and path type), by the naming
rules those tools follow: twilio-python's ``client.<domain>.<version>.<resource>(sid)...``
chain with snake_case keyword arguments; twilio-cli's ``twilio api:<domain>:<version>:
<resources>:<action>`` with kebab-case flags (``api:core:`` for the 2010 API). A request
that does not map cleanly to a twilio-python call (no catalog operation, a Next Page URI,
a sandbox address, XML/CSV, a JSON body, a parameter the API definition does not know, an
extra header) falls back to ``client.request(method, url, params=..., data=...)``. So does
one whose resource twilio-python names differently from its path: the chain is checked
against the installed twilio-python (walking it builds objects and sends nothing); without
twilio-python installed every request takes the ``client.request`` form.
"""

from __future__ import annotations

import importlib
import inspect
import json
import keyword
import re
import shlex
from collections.abc import Sequence
from functools import cache
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from .. import catalog
from ..catalog import Operation
from ..request.build import JSON
from ..request.built import BuiltRequest
from ..request.urls import region_edge_of, split_suffix

__all__ = ["cli_command", "python_call", "snake", "typed_fields"]

_CREDENTIALS = {
    "api_key": ('os.environ["TWILIO_API_KEY"], os.environ["TWILIO_API_SECRET"], '
                'os.environ["TWILIO_ACCOUNT_SID"]'),
    "auth_token": 'os.environ["TWILIO_ACCOUNT_SID"], os.environ["TWILIO_AUTH_TOKEN"]',
}
_ACTION = {"list": "page", "fetch": "fetch", "create": "create", "update": "update",
           "delete": "delete"}
_PAGING = {"PageSize": "page_size", "Page": "page_number", "PageToken": "page_token"}
_CLI_ACTIONS = {"list": {"GET": "list", "POST": "create", "PUT": "create", "PATCH": "patch"},
                "instance": {"DELETE": "remove", "GET": "fetch", "POST": "update",
                             "PUT": "update", "PATCH": "patch"}}


def path_type(op: Operation) -> str:
    """``list`` or ``instance`` (the spec's pathType; guessed from the path if absent)."""
    if op.path_type:
        return op.path_type.lower()
    return "instance" if op.path.rstrip("/").endswith("}") else "list"


def snake(name: str) -> str:
    """twilio-python's keyword for a parameter: ``StatusCallbackEvent`` ->
    ``status_callback_event``, ``StartTime<`` -> ``start_time_before``, ``From`` -> ``from_``."""
    text = name.replace("<", "Before").replace(">", "After").replace("-", "_").replace(".", "_")
    text = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", text).lower()
    text = re.sub(r"_+", "_", text)
    return text + "_" if keyword.iskeyword(text) else text


def kebab(name: str) -> str:
    """twilio-cli's flag or topic name: ``MediaUrl`` -> ``media-url``,
    ``StartTime<`` -> ``start-time-before``."""
    text = name.replace("<", "Before").replace(">", "After").strip().replace("_", "-")
    text = re.sub(r"([a-z])([A-Z])", r"\1-\2", text)
    text = re.sub(r"(\d[A-Z]*)([A-Z])", r"\1-\2", text).lower()
    return re.sub(r"-+", "-", text).strip("-")


def _typed(op: Operation | None, location: str, name: str, values: list[str]) -> Any:
    p = next((q for q in op.params_in(location) if q.name == name), None) if op else None
    converted: list[Any] = []
    for v in values:
        if p is not None and p.type == "boolean" and v.lower() in ("true", "false"):
            converted.append(v.lower() == "true")
        elif p is not None and p.type == "integer" and re.fullmatch(r"-?\d+", v):
            converted.append(int(v))
        elif p is not None and p.type == "number" and re.fullmatch(r"-?\d+(\.\d+)?", v):
            converted.append(int(v) if v.lstrip("-").isdigit() else
                             float(v) if repr(float(v)) == v else v)
        else:
            converted.append(v)
    if (p is not None and p.array) or len(converted) > 1:
        return converted
    return converted[0]


def typed_fields(op: Operation | None, pairs: Sequence[tuple[str, str]], location: str
                 ) -> dict[str, Any]:
    """Form pairs back to a JSON-like dict, typed by the catalog: repeated keys and array
    parameters as lists, booleans and numbers as such."""
    grouped: dict[str, list[str]] = {}
    for name, value in pairs:
        grouped.setdefault(name, []).append(value)
    return {n: _typed(op, location, n, vs) for n, vs in grouped.items()}


def body_fields(req: BuiltRequest) -> dict[str, Any]:
    """The body as a dict: the JSON sent, or the form fields typed by the catalog."""
    if req.content_type == JSON and req.body:
        loaded: dict[str, Any] = json.loads(req.body)
        return loaded
    return typed_fields(req.operation, req.form, "body")


def _py(value: Any) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_py(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_py(k)}: {_py(v)}" for k, v in value.items()) + "}"
    return repr(value)


Step = tuple[str, str | None]  # ("attr", name) or ("call", argument or None)


def _steps(op: Operation, path_params: dict[str, str]) -> list[Step] | None:
    """The twilio-python attribute chain for ``op`` by its naming rules, or None."""
    if not re.fullmatch(r"v\d+", op.version):
        return None
    path = split_suffix(op.path)[0] if op.is_v2010 else op.path
    segments = path.strip("/").split("/")[1:]
    steps: list[Step] = [("attr", op.product.replace("-", "_")), ("attr", op.version)]
    for seg in segments:
        m = re.fullmatch(r"\{(\w+)\}", seg)
        if m:
            if m.group(1) not in path_params:
                return None
            steps.append(("call", path_params[m.group(1)]))
        elif re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", seg):
            steps.append(("attr", snake(seg)))
        else:
            return None
    if path_type(op) == "instance" and not segments[-1].startswith("{"):
        steps.append(("call", None))
    return steps


@cache
def _twilio_python_has(steps: tuple[Step, ...], action: str, kwargs: tuple[str, ...]) -> bool:
    """Whether the installed twilio-python has this chain, method and keywords. Walking
    the chain builds objects only: nothing is sent. False without twilio-python."""
    try:
        rest = importlib.import_module("twilio.rest")
        obj: Any = rest.Client("AC" + "0" * 32, "not-a-secret", environment={})
        for kind, value in steps:
            if kind == "attr":
                obj = getattr(obj, str(value))
            else:
                obj = obj() if value is None else obj(value)
        parameters = inspect.signature(getattr(obj, action)).parameters
    except Exception:
        return False
    required = {n for n, p in parameters.items() if p.default is inspect.Parameter.empty
                and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}
    return all(k in parameters for k in kwargs) and required <= set(kwargs)


def _chain_text(steps: list[Step]) -> str:
    out = "client"
    for kind, value in steps:
        out += f".{value}" if kind == "attr" else ("()" if value is None else f"({_py(value)})")
    return out


def _sdk_kwargs(req: BuiltRequest, op: Operation) -> list[tuple[str, Any]] | None:
    """twilio-python keywords of the query, body and header fields, or None when one is
    not a parameter of the operation."""
    query = typed_fields(op, parse_qsl(req.query, keep_blank_values=True), "query")
    body = body_fields(req)
    headers = {n: v for n, v in req.headers}
    known = {(p.location, p.name) for p in op.params}
    args: list[tuple[str, Any]] = []
    for location, fields in (("query", query), ("body", body), ("header", headers)):
        for name, value in fields.items():
            if (location, name) not in known or not re.fullmatch(r"[A-Za-z][\w<>.-]*", name):
                return None
            key = _PAGING.get(name, snake(name)) if location == "query" else snake(name)
            args.append((key, value))
    return args


def python_call(req: BuiltRequest, auth: str = "api_key") -> str:
    """The twilio-python code that sends the same request (credentials from the
    environment)."""
    lines = ["import os", "", "from twilio.rest import Client", ""]
    region, edge = region_edge_of(req.host) if req.is_twilio else (None, None)
    where = "".join(f", {k}={_py(v)}" for k, v in (("region", region), ("edge", edge)) if v)
    lines.append(f"client = Client({_CREDENTIALS[auth]}{where})")
    op = req.operation
    clean = (op is not None and req.is_twilio and req.next_page_uri is None
             and req.response_format == "json" and req.content_type != JSON)
    steps = _steps(op, dict(req.path_params)) if op is not None and clean else None
    args = _sdk_kwargs(req, op) if op is not None and steps is not None else None
    if (op is not None and steps is not None and args is not None
            and _twilio_python_has(tuple(steps), _ACTION[op.kind], tuple(k for k, _ in args))):
        call = f"{_chain_text(steps)}.{_ACTION[op.kind]}("
        if op.kind == "list":
            lines.append("# one page, as sent; .list(...) or .stream(...) walk every page")
        if args:
            lines.append(f"result = {call}\n"
                         + "".join(f"    {k}={_py(v)},\n" for k, v in args) + ")")
        else:
            lines.append(f"result = {call})")
        return "\n".join(lines) + "\n"
    url = req.url.split("?", 1)[0]
    params = typed_fields(op, parse_qsl(req.query, keep_blank_values=True), "query")
    parts = [_py(req.method), _py(url)]
    if params:
        parts.append(f"params={_py(params)}")
    if req.body is not None:
        parts.append(f"data={_py(body_fields(req))}")
    headers = dict(req.headers)
    if req.content_type == JSON:
        headers["Content-Type"] = JSON
    if headers:
        parts.append(f"headers={_py(headers)}")
    lines.append("response = client.request(\n" + "".join(f"    {p},\n" for p in parts) + ")")
    lines.append("print(response.status_code, response.text)")
    return "\n".join(lines) + "\n"


def _cli_action(op: Operation) -> str:
    ptype = path_type(op)
    action = _CLI_ACTIONS[ptype].get(op.method, op.method.lower())
    has_delete = any(o.method == "DELETE" and o.path == op.path and o.spec == op.spec
                     for o in catalog.operations(op.entity))
    if action != "create" and ptype == "list" and has_delete:
        action = _CLI_ACTIONS["instance"].get(op.method, action)
    return action


def cli_topic(op: Operation) -> str:
    """``api:core:messages`` / ``api:conversations:v1:conversations:participants``."""
    domain, _, version = op.spec.rpartition("_")
    if not domain:
        domain, version = op.spec, ""
    path = split_suffix(op.path)[0] if op.is_v2010 else op.path
    rest = "/".join(path.strip("/").split("/")[1:])
    words = re.sub(r"\{.+?\}/?", "", rest).strip("/").split("/")
    topic = ":".join([domain, version] + [kebab(w) for w in words if w])
    return "api:" + re.sub(r"^api:v2010:accounts", "core", topic)


def cli_command(req: BuiltRequest) -> str:
    """The twilio-cli command, or a comment saying why there is none."""
    op = req.operation
    if op is None or req.next_page_uri is not None:
        why = ("no catalog operation matches it" if op is None
               else "twilio-cli has no Next Page URI option; it pages by itself")
        return f"# twilio-cli has no command for this request ({why})."
    words = [f"twilio {cli_topic(op)}:{_cli_action(op)}"]
    notes: list[str] = []
    if not req.is_twilio:
        notes.append(f"# twilio-cli talks to twilio.com; this request went to {req.host}.")
    region, edge = region_edge_of(req.host) if req.is_twilio else (None, None)
    env = "".join(f"TWILIO_{k}={v} " for k, v in (("REGION", region), ("EDGE", edge)) if v)
    params = {k: unquote(v) for k, v in req.path_params}
    fields: list[tuple[str, str, Any]] = [("path", k, v) for k, v in params.items()
                                          if not (k == "AccountSid" and op.is_v2010)]
    query = typed_fields(op, parse_qsl(req.query, keep_blank_values=True), "query")
    body = body_fields(req)
    fields += [("query", k, v) for k, v in query.items()]
    fields += [("body", k, v) for k, v in body.items()]
    fields += [("header", k, v) for k, v in req.headers]
    known = {(p.location, p.name) for p in op.params}
    for location, name, value in fields:
        if (location, name) not in known:
            notes.append(f"# {name} is left out: twilio-cli takes only the parameters of the "
                         "API definition.")
            continue
        flag = "--" + kebab(name)
        for v in value if isinstance(value, list) else [value]:
            if isinstance(v, bool):
                words.append(flag if v else "--no-" + kebab(name))
            else:
                words.append(f"{flag} {shlex.quote(v if isinstance(v, str) else _py(v))}")
    if req.content_type == JSON:
        notes.append("# the JSON body is given as flags above; check them against the CLI help.")
    return "\n".join([*notes, env + " \\\n  ".join(words)]) + "\n"


def relative_path(req: BuiltRequest) -> str:
    """The URL's path (and nothing of the host): the Relative URL of an Advanced request."""
    return urlsplit(req.url).path
