"""The operations: list, fetch, create, update, delete — the same for every catalog resource.

Lists filter by any query parameter that names a property of the resource (``To``,
``From``, ``Status``, ``FriendlyName``, ...; several values of one parameter mean "any of"),
by dates, and on available numbers by ``AreaCode`` and ``Contains``. Unknown parameters are
ignored, as Twilio does.

Dates follow Twilio's documented semantics (the Message list's ``DateSent``: "Specify a date
as YYYY-MM-DD in GMT to read only messages sent on this date ... ``DateSent<=YYYY-MM-DD`` to
read messages sent on or before midnight on a date, and ``DateSent>=YYYY-MM-DD`` to read
messages sent on or after midnight on a date"; twilio.com/docs/messaging/api/message-resource,
as quoted by the twilio-php reference ReadMessageOptions::setDateSent, 7.3.0), the same for
``StartTime``/``EndTime`` (calls), ``DateCreated``/``DateUpdated`` (recordings, conferences,
media) and ``MessageDate``. In a query ``DateSent<=X`` arrives as the key ``DateSent<`` with the
value ``X`` (and ``>=`` as ``DateSent>``):

* ``DateSent=D``: on that day (a date-time: at that second);
* ``DateSent>=D``: on or after D's midnight (a date-time: at or after it);
* ``DateSent<=D``: up to the end of day D, D included (a date-time: at or before it).

``StartDate``/``EndDate`` (usage records, conversations, ...) are on or after / on or before:
of the record's ``start_date``/``end_date`` where it has them (usage records), else of its
``date_created`` (conversations: "the beginning/end date to filter Conversations by date
created"). A record without the filtered date matches no filter on it (a call never
started has no ``start_time``), except a message not sent yet (queued, accepted, canceled:
no ``date_sent``), compared by its ``date_created``. Twilio does not document that case; the
sandbox's choice keeps every message reachable by a ``DateSent`` filter, so that date slices
cover the whole list.

Paging: ``PageSize`` (default 50, 1 to 1000; anything else is 400 with code 20001, the
sandbox's choice), ``Page`` (0, 1, ...) and ``PageToken`` (only the tokens the sandbox handed
out). Next/previous-page URIs keep the other query parameters and the format suffix.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlencode

from ..catalog import resource_properties
from .behaviours import COMPLETE, PREPARE, VALIDATE, mirrors
from .bodies import columns, csv_list, json_instance, json_list, xml_instance, xml_list
from .clock import parse_bound
from .names import pascal, snake
from .resources import ApiError, Form, RouteTarget, build, update
from .routes import Resolution, Route
from .state_protocol import State
from .store import BadTokenError, Collection, Filter, page_slice

__all__ = ["Answer", "create", "delete", "fetch", "listing", "lookup", "not_found"]

PAGING = ("PageSize", "Page", "PageToken")
RANGE_PARAMS = {"StartDate": ">", "EndDate": "<"}  # on or after / on or before
LIST_KEYS = {"api_v2010.ListAvailablePhoneNumberCountry": "countries"}
Answer = tuple[int, bytes, list[tuple[str, str]]]  # status, body, extra headers


def not_found(path: str) -> ApiError:
    return ApiError(404, 20404, f"The requested resource {path} was not found")


def is_list(route: Route) -> bool:
    return route.op.kind == "list" or route.op.id in LIST_KEYS


def resource_of(app: State, route: Route) -> str | None:
    return route.op.resource or app.router.resource_of(route.product, route.shape)


def check_parents(app: State, route: Route, segs: tuple[str, ...], upto: int) -> bool:
    """Every parent named in the path exists (where the sandbox holds that collection)."""
    for i, tmpl in enumerate(route.template[:upto]):
        if tmpl.startswith("{"):
            coll = app.store.find(route.product, segs[:i])
            if coll is not None and segs[i] not in coll:
                return False
    return True


def lookup(app: State, res: Resolution) -> tuple[Route, Collection, Any]:
    """The instance a fetch/update/delete path names, trying the candidate products in order."""
    segs = res.segments
    for route in res.routes:
        coll = app.store.find(route.product, segs[:-1])
        if coll is not None and check_parents(app, route, segs, len(segs) - 1):
            rec = coll.get(segs[-1])
            if rec is not None:
                return route, coll, rec
    raise not_found(res.path)


def _grouped(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for k, v in pairs:
        out.setdefault(k, []).append(v)
    return out


def _int(query: Mapping[str, list[str]], name: str, default: int, lo: int, hi: int) -> int:
    raw = (query.get(name) or [""])[-1]
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        value = lo - 1
    if not lo <= value <= hi:
        raise ApiError(400, 20001, f"Invalid {name}: {raw!r}; give an integer from {lo} to {hi}.")
    return value


def filters(resource: str | None, query: dict[str, list[str]]) -> tuple[Filter, ...]:
    props = resource_properties(resource)
    out: list[Filter] = []
    for name, values in query.items():
        if name in PAGING:
            continue
        value = values[-1]
        if name == "AreaCode" and "phone_number" in props:
            out.append(("phone_number", "prefix", "+1" + value.strip()))
            continue
        if name == "Contains" and "phone_number" in props:
            out.append(("phone_number", "contains", value.strip("*+ ")))
            continue
        side = name[-1] if name[-1] in "<>" else ""
        prop = snake(name[:-1] if side else name)
        if name in RANGE_PARAMS and not side:
            side = RANGE_PARAMS[name]
            prop = prop if prop in props else "date_created"
        schema = props.get(prop)
        if schema is None:
            continue
        fmt = str(schema.get("format") or "")
        if "date" in fmt or prop.endswith(("_time", "_date")):
            ts, day = parse_bound(value)
            if ts is None:
                raise ApiError(400, 20001, f"Invalid {name}: {value!r} is not a date; give "
                                           "YYYY-MM-DD or an ISO 8601 date-time.")
            if side == ">":
                out.append((prop, "ge", ts))
            elif side == "<":
                out.append((prop, "lt", ts + 86400) if day else (prop, "le", ts))
            else:
                out += [(prop, "ge", ts), (prop, "lt", ts + 86400) if day else (prop, "le", ts)]
        elif side:
            continue
        elif len(values) > 1:
            out.append((prop, "in", frozenset(v.lower() for v in values)))
        else:
            out.append((prop, "eq", value.lower()))
    return tuple(out)


def listing(app: State, route: Route, res: Resolution, pairs: list[tuple[str, str]], base: str,
            fmt: str) -> Answer:
    segs = res.segments
    if not check_parents(app, route, segs, len(segs)):
        raise not_found(res.path)
    query = _grouped(pairs)
    missing = [p.name for p in route.op.params_in("query") if p.required and p.name not in query]
    if missing:
        raise ApiError(400, 20001, f"Missing required parameter {missing[0]} in the query")
    size = _int(query, "PageSize", 50, 1, 1000)
    page = _int(query, "Page", 0, 0, 10**9)
    token = (query.get("PageToken") or [""])[-1] or None
    resource = resource_of(app, route)
    coll = app.store.find(route.product, segs)
    view = coll.view(filters(resource, query)) if coll is not None else []
    try:
        sl = page_slice(view, size, page, token)
    except BadTokenError:
        raise ApiError(400, 20001, f"Invalid PageToken: {token!r}; follow the next-page URI "
                                   "the previous page gave.") from None
    path = "/" + "/".join(quote(s, safe="+:@,") for s in segs)
    if res.is_v2010 and res.ext:
        path += "." + res.ext
    keep = [(k, v) for k, v in pairs if k not in PAGING]

    def uri(p: int, tok: str | None) -> str:
        q = [*keep, ("PageSize", str(size)), ("Page", str(p))] + ([("PageToken", tok)] if tok
                                                                  else [])
        return path + "?" + urlencode(q)

    first = uri(0, None)
    nxt = uri(sl.page + 1, sl.next_token) if sl.next_token else None
    prev = uri(max(0, sl.page - 1), sl.prev_token) if sl.prev_token else None
    here = uri(sl.page, token)
    key = LIST_KEYS.get(route.op.id) or route.op.list_key or snake(segs[-1])
    cols = columns(resource)
    prefix = "" if res.is_v2010 else base
    links = [(u, rel) for u, rel in ((nxt, "next"), (prev, "prev"), (first, "first")) if u]
    headers = [("Link", ", ".join(f'<{prefix}{u}>; rel="{rel}"' for u, rel in links))]
    start, count = sl.start, len(sl.records)
    if not res.is_v2010:
        meta = {"page": sl.page, "page_size": size, "first_page_url": base + first,
                "previous_page_url": base + prev if prev else None, "url": base + here,
                "next_page_url": base + nxt if nxt else None, "key": key}
        return 200, json_list(sl.records, cols, key, {"meta": meta}, base), headers
    paging: dict[str, Any] = {
        "end": start + count - 1 if count else start, "first_page_uri": first,
        "next_page_uri": nxt, "page": sl.page, "page_size": size, "previous_page_uri": prev,
        "start": start, "uri": here}
    if fmt == "csv":
        return 200, csv_list(sl.records, cols, base), headers
    if fmt == "xml":
        attrs = {"page": sl.page, "pagesize": size, "uri": here, "firstpageuri": first,
                 "previouspageuri": prev or "", "nextpageuri": nxt or "", "start": start,
                 "end": paging["end"]}
        return 200, xml_list(sl.records, cols, pascal(key), route.op.entity if key != "countries"
                             else "Country", attrs, base), headers
    return 200, json_list(sl.records, cols, key, paging, base), headers


def render_one(route: Route, rec: Mapping[str, Any], fmt: str, base: str, status: int) -> Answer:
    resource = route.op.resource
    cols = columns(resource) or tuple(k for k in rec if not k.startswith("_"))
    if fmt == "xml":
        return status, xml_instance(rec, cols, route.op.entity, base), []
    if fmt == "csv":
        return status, csv_list([rec], cols, base), []
    return status, json_instance(rec, cols, base), []


def fetch(app: State, res: Resolution, base: str, fmt: str) -> Answer:
    route = res.routes[0]
    if route.key_param is None:  # a singleton: Balance, a configuration, ...
        rec = singleton(app, route, res, base)
        return render_one(route, rec, fmt, base, 200)
    route, _, rec = lookup(app, res)
    return render_one(route, rec, fmt, base, 200)


def singleton(app: State, route: Route, res: Resolution, base: str) -> dict[str, Any]:
    segs = res.segments
    if not check_parents(app, route, segs, len(segs)):
        raise not_found(res.path)
    target = RouteTarget(route, segs, base, app.account_sid)
    rec = app.store.singleton(route.product, segs, lambda: build(
        app.router, target, route.op.resource, {}, app.now(), app.store.next_seq(), key=""))
    assert rec is not None
    return rec


def create(app: State, route: Route, res: Resolution, form: Form, base: str, fmt: str) -> Answer:
    target = RouteTarget(route, res.segments, base, app.account_sid)
    prepare = PREPARE.get(route.op.id)
    if prepare is not None:
        target = prepare(app, target, form)
    if not check_parents(app, route, target.segments, len(target.segments)):
        raise not_found(res.path)
    hook = VALIDATE.get(route.op.id)
    if hook is not None:
        hook(app, target, form)
    for p in route.op.params_in("body"):
        if p.required and not any(v.strip() for v in form.get(p.name, [])):
            raise ApiError(400, 20001, f"Missing required parameter {p.name} in the post body")
    live = app.lifecycle.plan(route.op.id, form)  # checks callback URLs; see lifecycle
    rec = build(app.router, target, resource_of(app, route), form, app.now(),
                app.store.next_seq())
    done = COMPLETE.get(route.op.id)
    if done is not None:
        done(app, target, form, rec)
    key = app.insert(route.product, target.segments, rec)
    app.stats.record_created(target.path, key)
    if live is not None:
        live(target.segments, key)
    return render_one(route, rec, fmt, base, 201)


def change(app: State, res: Resolution, form: Form, base: str, fmt: str) -> Answer:
    route = res.routes[0]
    if route.key_param is None:
        rec = singleton(app, route, res, base)
        target = RouteTarget(route, res.segments, base, app.account_sid)
        new = update(target, rec, route.op.resource, form, app.now())
        app.store.set_singleton(route.product, res.segments, new)
        return render_one(route, new, fmt, base, 200)
    route, coll, rec = lookup(app, res)
    target = RouteTarget(route, res.segments, base, app.account_sid)
    new = update(target, rec, resource_of(app, route), form, app.now())
    key = res.segments[-1]
    coll.replace(key, new)
    for path in mirrors(route.product, res.segments[:-1], new):
        other = app.store.find(route.product, path)
        if other is not None and key in other:
            other.replace(key, new)
    return render_one(route, new, fmt, base, 200)


def delete(app: State, res: Resolution) -> Answer:
    route, coll, rec = lookup(app, res)
    key = res.segments[-1]
    coll.remove(key)
    for path in mirrors(route.product, res.segments[:-1], rec):
        other = app.store.find(route.product, path)
        if other is not None:
            other.remove(key)
    app.store.drop_below(route.product, res.segments)
    return 204, b"", []
