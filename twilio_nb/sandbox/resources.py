"""Generic instances, driven by the catalog: what a POST creates when nothing more specific
knows the resource.

A new instance has every property of the resource (``None`` where nothing is known), and:

- its key (``sid``, or ``call_sid`` for conference participants, ...) from the request or a
  fresh SID with the resource's prefix (``Operation.sid_prefix``, else the key's pattern);
- ``account_sid`` and the path parameters under their snake_case names (``ConferenceSid`` ->
  ``conference_sid``; the last parent also as ``parent_sid`` when the resource has one);
- the request's fields under their snake_case names (``StatusCallback`` -> ``status_callback``,
  ``From`` -> ``from``, ``Tag`` -> ``tags``), typed as the property says (integer, number,
  boolean, array, object);
- ``date_created`` / ``date_updated`` (RFC 2822 on the 2010 API, ISO 8601 elsewhere), a
  status from the property's enum (``queued``, ``active``, ``in-progress``, ... first found),
  ``api_version``, ``price_unit``;
- ``uri`` + ``subresource_uris`` (2010, relative ``.json`` paths) or ``url`` + ``links`` (product
  APIs, stored as paths and made absolute when rendered).
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..catalog import resource_properties
from .clock import iso8601, rfc2822
from .names import snake
from .routes import V2010, Route, Router

__all__ = ["ApiError", "Form", "RouteTarget", "build", "coerce", "new_sid", "stamp", "update"]

Form = dict[str, list[str]]

STATUS_PREFERENCE = ("queued", "active", "in-progress", "init", "initializing", "pending",
                     "in-use", "enabled", "created", "open", "new")
_PREFIX = re.compile(r"\^\(?([A-Z]{2})")


class ApiError(Exception):
    """An error answer in Twilio's shape: HTTP status, Twilio error code, message."""

    def __init__(self, status: int, code: int, message: str,
                 headers: list[tuple[str, str]] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or []


@dataclass
class RouteTarget:
    """Where a request points: the route, the concrete path segments and the request's base."""

    route: Route
    segments: tuple[str, ...]
    base: str  # scheme://host of the request, for absolute URLs
    account_sid: str

    @property
    def product(self) -> str:
        return self.route.product

    @property
    def is_v2010(self) -> bool:
        return self.segments[0] == V2010

    @property
    def path(self) -> str:
        return "/" + "/".join(self.segments)


def new_sid(prefix: str) -> str:
    return prefix + uuid.uuid4().hex


def sid_prefix(route: Route, schema: Mapping[str, Any] | None) -> str:
    if route.op.sid_prefix:
        return route.op.sid_prefix
    m = _PREFIX.match(str((schema or {}).get("pattern", "")))
    return m.group(1) if m else "XX"


def coerce(schema: Mapping[str, Any], values: list[str]) -> Any:
    """Form values typed as the property says; values that do not fit stay text."""
    if schema.get("array"):
        return [_one(schema, v) for v in values]
    return _one(schema, values[-1]) if values else None


def _one(schema: Mapping[str, Any], value: str) -> Any:
    kind = schema.get("type")
    try:
        if kind == "integer":
            return int(value)
        if kind == "number":
            return float(value)
    except ValueError:
        return value
    if kind == "boolean":
        return value.strip().lower() == "true"
    if kind == "object":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _prop_for(field: str, props: Mapping[str, Any]) -> str | None:
    name = snake(field)
    if name in props:
        return name
    for plural in (name + "s", name[:-1] + "ies" if name.endswith("y") else ""):
        if plural in props and props[plural].get("array"):
            return plural
    return None


def stamp(target: RouteTarget, ts: float) -> str:
    return rfc2822(ts) if target.is_v2010 else iso8601(ts)


def _default_status(schema: Mapping[str, Any]) -> str | None:
    enum = schema.get("enum") or ()
    for wanted in STATUS_PREFERENCE:
        if wanted in enum:
            return wanted
    return enum[0] if enum else None


def locate(router: Router, target: RouteTarget, instance: tuple[str, ...],
           rec: dict[str, Any]) -> None:
    """Set ``uri`` + ``subresource_uris`` or ``url`` + ``links`` of an instance at ``instance``."""
    path = "/" + "/".join(instance)
    shape = "/" + "/".join("*" if t.startswith("{") else s
                           for t, s in zip(target.route.template, instance, strict=False))
    if len(instance) > len(target.route.template):
        shape += "/*"
    children = router.children(target.product, shape)
    if target.is_v2010:
        if "uri" in rec:
            rec["uri"] = path + ".json"
        if "subresource_uris" in rec and children:
            rec["subresource_uris"] = {snake(c): f"{path}/{c}.json" for c in children}
    else:
        if "url" in rec:
            rec["url"] = path
        if "links" in rec and children:
            rec["links"] = {snake(c): f"{path}/{c}" for c in children}


def build(router: Router, target: RouteTarget, resource: str | None, form: Form, now: float,
          seq: int, key: str | None = None) -> dict[str, Any]:
    """A new instance of ``resource`` created by a POST to ``target`` (a list path), or the
    default of a singleton at ``target`` when ``key`` is ``""``."""
    props = resource_properties(resource)
    rec: dict[str, Any] = dict.fromkeys(props)
    params = target.route.bind(target.segments[:len(target.route.template)])
    for name, value in params.items():
        prop = snake(name)
        if prop in props:
            rec[prop] = value
    parents = [v for n, v in params.items() if n != "AccountSid"]
    if parents and "parent_sid" in props and rec["parent_sid"] is None:
        rec["parent_sid"] = parents[-1]
    if "account_sid" in props and rec["account_sid"] is None:
        rec["account_sid"] = target.account_sid
    for name, values in form.items():
        field = _prop_for(name, props)
        if field is not None:
            rec[field] = coerce(props[field], values)
    when = stamp(target, now)
    for prop in ("date_created", "date_updated"):
        if prop in props:
            rec[prop] = when
    for prop, schema in props.items():
        if rec[prop] is not None:
            continue
        if prop in ("status", "state") and schema.get("enum"):
            rec[prop] = _default_status(schema)
        elif schema.get("enum") and not schema.get("nullable") and not schema.get("array"):
            rec[prop] = schema["enum"][0]
    if "api_version" in props and rec["api_version"] is None:
        rec["api_version"] = V2010 if target.is_v2010 else None
    if "price_unit" in props and rec["price_unit"] is None:
        rec["price_unit"] = "USD"
    instance = target.segments
    if key != "":
        key_prop = router.key_prop(target.product, target.route.shape)
        if rec.get(key_prop) in (None, ""):
            rec[key_prop] = key or new_sid(sid_prefix(target.route, props.get(key_prop)))
        instance = (*target.segments, str(rec[key_prop]))
    locate(router, target, instance, rec)
    rec["_seq"] = seq
    rec["_t_date_created"] = float(int(now))
    return rec


def update(target: RouteTarget, rec: Mapping[str, Any], resource: str | None, form: Form,
           now: float) -> dict[str, Any]:
    """A copy of ``rec`` with the request's fields applied and ``date_updated`` now."""
    props = resource_properties(resource)
    to_dict = getattr(rec, "to_dict", None)
    out: dict[str, Any] = to_dict() if to_dict is not None else dict(rec)
    for name, values in form.items():
        prop = _prop_for(name, props)
        if prop is not None and prop not in ("sid", "account_sid"):
            out[prop] = coerce(props[prop], values)
    if "date_updated" in props or "date_updated" in out:
        out["date_updated"] = stamp(target, now)
    return out
