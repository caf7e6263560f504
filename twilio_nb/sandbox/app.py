"""The sandbox's one pure core: ``App.handle(method, path, query, headers, body)``.

Both adapters (the httpx transport and the HTTP server) call it and turn its
:class:`SandboxResponse` into bytes on a socket or an ``httpx.Response``.

The pipeline of a request:

1. record it in the stats (method, path, whether an Authorization header came and its user);
2. faults: ``status``, ``html``, ``empty`` and ``reset`` answer instead of the sandbox (the
   request is not processed, as when a proxy in front of Twilio fails); ``truncate``,
   ``drop``, ``malformed``, ``content_type`` and ``delay`` damage, withhold or delay the
   real answer (the request is processed: ``drop`` creates the message and answers
   nothing; it is picked last, only for a request processed without an error or another
   fault, so a drop is never spent on a 429 or a 4xx);
3. the concurrency limit (``InFlight``: beyond N requests in flight, 429 with code 20429
   and ``Retry-After``, as Twilio's per-account limit answers) and the rate limit (429 with
   code 20429, ``Retry-After`` when configured);
4. route the path (see ``routes``); recording audio (``.wav``, ``.mp3`` or no suffix) and
   message media content (no suffix) are served without authentication, as Twilio serves
   media URLs by default;
5. HTTP Basic authentication with the account SID + auth token or the API key + secret;
   otherwise 401 with code 20003;
6. the operation (see ``handlers``), under the store's lock.

Every answer is handed over ``latency_s`` after its request was read, the sandbox's own work
counted in it (the adapters wait the rest, outside any lock, so concurrent requests overlap
their waits): a real Twilio's time to answer, which includes its servers' work. The
sandbox's work on one core is not added on top: eight pages asked at once would otherwise
arrive later than Twilio's parallel servers hand them over. An answer whose work took
longer than ``latency_s`` goes at once.

Formats: 2010 paths answer JSON (``.json``), XML (``.xml`` or no suffix) or CSV (``.csv``);
product APIs JSON. Errors come in JSON, or in XML where the answer would be XML.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import uuid
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from time import monotonic
from urllib.parse import parse_qsl

from .. import catalog
from . import handlers, media
from .behaviours import mirrors
from .bodies import error_json, error_xml
from .bulk_exports import BulkExports
from .constants import SANDBOX_HOST_HEADER, SANDBOX_HOST_VALUE
from .faults import Fault, Faults, InFlight, RateLimiter
from .lifecycle import Lifecycle
from .record_builder import Seeder
from .refusals import InFlightCount, twilio_headers
from .request_stats import AuthSeen, Stats
from .resources import ApiError, Form
from .routes import Resolution, Router, host_product
from .seed import populate
from .store import Record, Store

__all__ = ["App", "SandboxResponse"]

CONTENT_TYPES = {"json": "application/json; charset=utf-8",
                 "xml": "application/xml; charset=utf-8", "csv": "text/csv; charset=utf-8"}
HTML_PAGE = (b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>"
             b"<h1>502 Bad Gateway</h1><p>twilio_nb sandbox: a simulated proxy error page "
             b"(fault injection)</p></body></html>")


@dataclass
class SandboxResponse:
    """An answer of the sandbox. ``fault`` is set when the adapter must damage the delivery
    (``reset``: no answer at all; ``truncate``: send part of the body); ``delay`` is seconds
    the adapter waits before answering."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes
    fault: Fault | None = None
    delay: float = 0.0

    def header(self, name: str) -> str | None:
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None


@cache
def _router() -> Router:
    return Router(catalog.operations())


def _base(scheme: str, host: str) -> str:
    """The base URL answers point back to: the Twilio host a client named, else the sandbox."""
    if not host:
        return f"{scheme}://127.0.0.1"
    return f"https://{host}" if host_product(host) else f"{scheme}://{host}"


def _format(res: Resolution) -> str:
    if not res.is_v2010:
        return "json"
    return {"json": "json", "csv": "csv", "wav": "json", "mp3": "json"}.get(res.ext, "xml")


class App:
    """The request handler and the state it works on."""

    def __init__(self, *, account_sid: str, credentials: Mapping[str, str], messages: int,
                 seed: int, faults: Faults, stats: Stats, manual_clock: bool = False,
                 message_days: int = 180) -> None:
        self.account_sid = account_sid
        self._credentials = dict(credentials)
        self.messages, self.seed, self.message_days = messages, seed, message_days
        self.faults, self.stats = faults, stats
        self.limiter: RateLimiter | None = None
        self.in_flight: InFlight | None = None
        self.flying = InFlightCount()  # for the Twilio-Concurrent-Requests header
        self.latency_s = 0.0
        self.router = _router()
        self.store = Store()
        self.maker = Seeder(self.store, self.router, account_sid, seed)
        self.lifecycle = Lifecycle(self, manual=manual_clock)
        self.reset()

    def reset(self) -> None:
        self.lifecycle.clear()  # no pending state falls due while the new store is built
        store = Store()
        populate(store, self.router, self.account_sid, messages=self.messages, seed=self.seed,
                 message_days=self.message_days)
        with self.store.lock:
            self.store = store
            self.maker = Seeder(store, self.router, self.account_sid, self.seed + 1)
            self.bulk = BulkExports(self.account_sid, self.auth_token, self.now())
        self.lifecycle.clear()  # and none scheduled meanwhile on the old one

    def now(self) -> float:
        """The sandbox's clock (real time or a manual clock, moved on by ``Sandbox.advance``)."""
        return self.lifecycle.now()

    @property
    def auth_token(self) -> str:
        """The account's auth token: the key of the webhook signatures."""
        return self._credentials[self.account_sid]

    def insert(self, product: str, segs: tuple[str, ...], rec: dict[str, object]) -> str:
        """Add a new record to the collection at ``segs`` (and to its mirrors); its key."""
        coll = self.maker.coll(product, segs)
        coll.add(rec)
        for path in mirrors(product, segs, rec):
            self.maker.coll(product, path).add(rec)
        return coll.key_of(rec)

    # -- the pipeline --

    def _auth(self, header: str | None) -> tuple[AuthSeen, bool]:
        if not header:
            return AuthSeen(False), False
        scheme, _, cred = header.strip().partition(" ")
        if scheme.lower() != "basic":
            return AuthSeen(True, None, scheme.lower()), False
        try:
            user, _, password = base64.b64decode(cred.strip()).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return AuthSeen(True, None, "basic"), False
        expected = self._credentials.get(user)
        ok = expected is not None and hmac.compare_digest(expected.encode(), password.encode())
        return AuthSeen(True, user, "basic"), ok

    @contextmanager
    def flight(self) -> Iterator[bool]:
        """Around one request, its answer's delivery included: False when the concurrency
        limit refuses it (``handle(..., admitted=False)`` then answers 429)."""
        limit = self.in_flight
        admitted = limit.enter() if limit is not None else True
        self.flying.enter()
        try:
            yield admitted
        finally:
            self.flying.leave()
            if admitted and limit is not None:
                limit.leave()

    def handle(self, method: str, path: str, query: Iterable[tuple[str, str]],
               headers: Mapping[str, str] | Iterable[tuple[str, str]], body: bytes, *,
               scheme: str = "http", admitted: bool = True) -> SandboxResponse:
        read_at = monotonic()
        method = method.upper()
        path, _, qs = path.partition("?")
        pairs = [*parse_qsl(qs, keep_blank_values=True), *query]
        items = headers.items() if isinstance(headers, Mapping) else headers
        hdrs = {k.lower(): v for k, v in items}
        seen, authorized = self._auth(hdrs.get("authorization"))
        self.stats.record_request(method, path, seen)
        delay, fault = self.faults.pick(method, path)
        host = hdrs.get("host", "")
        res = self.router.resolve(method, path, host)
        fmt = _format(res)
        try:
            if fault is not None and fault.kind in ("status", "html", "empty", "reset"):
                resp = self._fault_answer(fault, fmt)
            elif not admitted:
                wait = self.in_flight.retry_after if self.in_flight is not None else 1.0
                raise ApiError(429, 20429, "Too Many Requests",
                               headers=[("Retry-After", f"{wait:g}")])
            elif self.limiter is not None and not self.limiter.allow():
                retry = self.limiter.retry_after
                extra = [("Retry-After", f"{retry:g}")] if retry is not None else []
                raise ApiError(429, 20429, "Too Many Requests", headers=extra)
            elif BulkExports.claims(path):  # Bulk Export and its storage host
                with self.store.lock:
                    resp = SandboxResponse(*self.bulk.answer(
                        method, path, pairs, body, authorized, _base(scheme, host), host,
                        self.now(), self.store))
            else:
                resp = self._answer(method, res, pairs, hdrs, body, authorized,
                                    _base(scheme, host), fmt)
                if fault is None:  # processed, answered: the one kind of request dropped
                    fault = self.faults.pick_drop(method, path)
        except ApiError as err:
            make = error_xml if fmt == "xml" else error_json
            resp = SandboxResponse(err.status, [("Content-Type", CONTENT_TYPES[
                "xml" if fmt == "xml" else "json"]), *err.headers],
                make(err.status, err.code, err.message))
        worked = monotonic() - read_at  # the latency counts the sandbox's own work
        resp.delay = delay + max(0.0, self.latency_s - worked)
        if fault is not None and fault.kind in ("truncate", "drop", "malformed",
                                                "content_type"):
            self._damage(resp, fault)
        resp.headers += [(SANDBOX_HOST_HEADER, SANDBOX_HOST_VALUE),
                         ("Twilio-Request-Id", "RQ" + uuid.uuid4().hex),
                         *twilio_headers(self.flying, read_at)]
        return resp

    def _fault_answer(self, fault: Fault, fmt: str) -> SandboxResponse:
        if fault.kind == "html":
            return SandboxResponse(fault.status, [("Content-Type", "text/html; charset=utf-8")],
                                   HTML_PAGE)
        if fault.kind == "empty":
            return SandboxResponse(200, [("Content-Type", CONTENT_TYPES[fmt])], b"")
        if fault.kind == "reset":
            return SandboxResponse(0, [], b"", fault=fault)
        status = fault.status
        raise ApiError(status, 20000 + status, f"Simulated error {status} (sandbox fault "
                                               "injection)")

    @staticmethod
    def _damage(resp: SandboxResponse, fault: Fault) -> None:
        if fault.kind in ("truncate", "drop"):  # the adapter breaks the connection
            resp.fault = fault
        elif fault.kind == "malformed":
            resp.body = resp.body[:max(1, len(resp.body) // 2)]
        else:
            resp.headers = [(k, fault.content_type if k.lower() == "content-type" else v)
                            for k, v in resp.headers]

    def _answer(self, method: str, res: Resolution, pairs: list[tuple[str, str]],
                hdrs: dict[str, str], body: bytes, authorized: bool, base: str,
                fmt: str) -> SandboxResponse:
        route = res.routes[0] if res.routes else None
        if route is not None and method == "GET" and res.is_v2010 and route.op.kind == "fetch":
            resource = route.op.resource or ""
            if res.ext in ("", "wav", "mp3") and ".recording" in resource.replace("_", "."):
                return self._audio(res)
            if res.ext == "" and route.op.operation_id == "FetchMedia":
                return self._image(res)
        if not authorized:
            message = ("Authentication Error - invalid username or password"
                       if hdrs.get("authorization") else
                       "Authentication Error - No credentials provided")
            raise ApiError(401, 20003, message,
                           headers=[("WWW-Authenticate", 'Basic realm="Twilio API"')])
        if route is None:
            if res.path_known:
                raise ApiError(405, 20004, f"Method {method} not allowed on {res.path}")
            raise handlers.not_found(res.path)
        if res.ext in ("wav", "mp3"):
            raise handlers.not_found(res.path)
        with self.store.lock:
            kind = route.op.kind
            if handlers.is_list(route):
                status, out, extra = handlers.listing(self, route, res, pairs, base, fmt)
            elif kind == "fetch":
                status, out, extra = handlers.fetch(self, res, base, fmt)
            elif kind == "create":
                form = _form(body, hdrs.get("content-type", ""))
                status, out, extra = handlers.create(self, route, res, form, base, fmt)
            elif kind == "update":
                form = _form(body, hdrs.get("content-type", ""))
                status, out, extra = handlers.change(self, res, form, base, fmt)
            else:
                status, out, extra = handlers.delete(self, res)
        ctype = [] if status == 204 else [("Content-Type", CONTENT_TYPES[fmt])]
        return SandboxResponse(status, ctype + extra, out)

    def _find(self, res: Resolution) -> Record:
        with self.store.lock:
            rec: Record = handlers.lookup(self, res)[2]
            return rec

    def _audio(self, res: Resolution) -> SandboxResponse:
        rec = self._find(res)
        try:
            seconds = float(rec.get("duration") or 5)
        except ValueError:
            seconds = 5.0
        seconds = seconds if seconds > 0 else 5.0
        if res.ext == "mp3":
            return SandboxResponse(200, [("Content-Type", "audio/mpeg")], media.mp3(seconds))
        return SandboxResponse(200, [("Content-Type", "audio/x-wav")],
                               media.wav(str(rec.get("sid")), seconds))

    def _image(self, res: Resolution) -> SandboxResponse:
        rec = self._find(res)
        return SandboxResponse(200, [("Content-Type", "image/png")],
                               media.png(str(rec.get("sid"))))

    def set_rate_limit(self, limiter: RateLimiter | None) -> None:
        self.limiter = limiter


def _form(body: bytes, content_type: str) -> Form:
    text = body.decode("utf-8", errors="replace")
    if "json" in content_type and text.strip().startswith("{"):
        try:
            data = json.loads(text)
        except ValueError:
            raise ApiError(400, 20001, "The request body is not valid JSON") from None
        return {str(k): [str(x) for x in v] if isinstance(v, list) else
                [json.dumps(v) if isinstance(v, dict) else str(v).lower()
                 if isinstance(v, bool) else str(v)] for k, v in data.items()}
    form: Form = {}
    for k, v in parse_qsl(text, keep_blank_values=True):
        form.setdefault(k, []).append(v)
    return form
