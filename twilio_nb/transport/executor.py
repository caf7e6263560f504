"""The one place where requests leave: send, retry, map errors, trace.

* Credentials (HTTP Basic) go only to hosts the connection trusts: its configured address,
  and, when that address is a Twilio one, Twilio's own ``*.twilio.com`` hosts over HTTPS.
  Nothing else gets them: not a host named by an absolute next-page URL, not a redirect
  target, not a Next Page URI with a host of its own. Such a request is refused before it
  is sent.
* Retries: a 429 (Twilio error 20429) is retried for any method, since Twilio did not process
  it; so is a connection that failed before the request was sent. A 5xx, a read timeout or a
  connection lost after sending are retried only for GET and DELETE: a POST is never sent
  twice by twilio_nb. Backoff is exponential with full jitter, ``Retry-After`` is honoured,
  and both the count (``max_retries``) and the total time (``retry_budget_s``) are bounded.
  Each retry goes to the ``twilio_nb`` logger and to ``on_retry``. While a
  :class:`.gate.Gate` is installed (``gate``, a concurrent walk's), every attempt
  passes through it, and a 429 pauses every worker for the delay instead of only this one.
* Trace: with ``trace`` on, each request (method, URL, status, duration; never a credential)
  is printed to standard error (or ``trace_out``) and logged.
* An empty 2xx answer where Twilio always sends a body (a list, a fetch, a create, an
  update) is a fault of the way there (a proxy, the network): retried for GET, an error
  otherwise. An answer larger than ``max_response_bytes`` is not read past that size.
* Errors: every failure is a :class:`~twilio_nb.errors.TwilioError` that says what happened
  and what to do; never a raw httpx exception. A POST (or PUT/PATCH) that may have reached
  Twilio says so: check before sending it again.
"""

from __future__ import annotations

import base64
import dataclasses
import logging
import random
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any

import httpx

from ..errors import (
    ConfigurationError,
    ResponseFormatError,
    TransportError,
    TwilioApiError,
    TwilioError,
    TwilioTimeoutError,
)
from .gate import Gate

if TYPE_CHECKING:
    from ..request.build import BuiltRequest

__all__ = ["Executor", "RetryEvent", "RetryPolicy", "TraceEntry", "error_from_response",
           "http_timeout", "trace_line"]

log = logging.getLogger("twilio_nb")
IDEMPOTENT = {"GET", "DELETE", "HEAD", "OPTIONS"}
MAX_REDIRECTS = 5
# a page of 1000 records is a few MB; a long call's WAV recording can be a few hundred
MAX_RESPONSE_BYTES = 256 * 2**20


@dataclass(frozen=True)
class RetryPolicy:
    max_retries: int = 5
    retry_budget_s: float = 60.0
    backoff_base_s: float = 0.5
    backoff_max_s: float = 30.0

    def delay(self, attempt: int, retry_after: float | None, rng: random.Random) -> float:
        if retry_after is not None:
            return max(0.0, min(retry_after, self.backoff_max_s))
        cap = min(self.backoff_max_s, self.backoff_base_s * (2 ** attempt))
        return rng.uniform(0, cap)  # full jitter


@dataclass(frozen=True)
class RetryEvent:
    attempt: int  # 1 for the first retry
    reason: str
    delay_s: float
    method: str
    url: str


@dataclass
class TraceEntry:
    time: float
    method: str
    url: str
    status: int | None
    duration_ms: float
    retries: int
    bytes: int
    error: str | None = None
    retry_reasons: list[str] = field(default_factory=list)


def http_timeout(connect_ms: int, response_ms: int) -> httpx.Timeout:
    """The adapter's Connection Timeout and Response Timeout (ms) as httpx's timeouts: connect
    and pool wait for the connection, read and write for the answer."""
    return httpx.Timeout(connect=connect_ms / 1000, read=response_ms / 1000,
                         write=response_ms / 1000, pool=connect_ms / 1000)


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        try:
            return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
        except (TypeError, ValueError):
            return None


def error_from_response(response: httpx.Response, method: str, url: str) -> TwilioApiError:
    """A TwilioApiError from an error answer: Twilio's JSON or XML error, or a clear
    message for an HTML page (a proxy) or an empty body."""
    from ..convert import parse_error  # deferred: convert imports pandas (see result._reader)

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


class Executor:
    """Sends BuiltRequests through one httpx client (or a fresh one per call)."""

    def __init__(self, *, client_factory: Callable[[], httpx.Client], reuse_connection: bool,
                 auth: tuple[str, str] | None, trusted: Callable[[httpx.URL], bool],
                 connect_timeout_ms: int, response_timeout_ms: int, policy: RetryPolicy,
                 on_retry: Callable[[RetryEvent], None] | None = None,
                 trace: bool = False, sleep: Callable[[float], None] = time.sleep,
                 rng: random.Random | None = None, fresh_client_per_call: bool = False,
                 max_response_bytes: int = MAX_RESPONSE_BYTES) -> None:
        self._factory = client_factory
        self._reuse = reuse_connection
        self._fresh = fresh_client_per_call and not reuse_connection
        self._client: httpx.Client | None = None
        self._auth = auth
        self._trusted = trusted
        self.connect_timeout_ms = connect_timeout_ms
        self.response_timeout_ms = response_timeout_ms
        self.policy = policy
        self.max_response_bytes = max_response_bytes
        self.on_retry = on_retry
        self.trace = trace
        self.trace_out: Callable[[str], None] | None = None  # None: standard error
        self.history: list[TraceEntry] = []
        self._sleep = sleep
        self._rng = rng or random.Random()
        self.gate: Gate | None = None

    def __repr__(self) -> str:
        return (f"Executor(reuse_connection={self._reuse}, auth={'set' if self._auth else 'none'},"
                f" policy={self.policy})")

    # -- the client ---------------------------------------------------------------------
    def _get_client(self) -> tuple[httpx.Client, bool]:
        if self._fresh:
            return self._factory(), True
        if self._client is None or self._client.is_closed:
            self._client = self._factory()
        return self._client, False

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    # -- sending -------------------------------------------------------------------------
    def check_trusted(self, url: httpx.URL) -> None:
        if self._auth is not None and not self._trusted(url):
            raise ConfigurationError(
                f"Refusing to send credentials to {url.scheme}://{url.host}: it is not this "
                "connection's address nor a Twilio host. Give a relative URI (starting with "
                "/) or change the connection's Address.", field="Next Page URI")

    def _prepare(self, built: BuiltRequest, url: httpx.URL | None = None) -> httpx.Request:
        request = built.to_httpx()
        if url is not None:
            request = httpx.Request(request.method, url, headers=request.headers,
                                    content=request.content)
        self.check_trusted(request.url)
        if self._auth is not None:
            request.headers["Authorization"] = basic_auth_header(*self._auth)
        if not self._reuse:
            request.headers["Connection"] = "close"
        request.extensions["timeout"] = http_timeout(
            self.connect_timeout_ms, self.response_timeout_ms).as_dict()
        return request

    def send(self, built: BuiltRequest) -> httpx.Response:
        """Send with retries; return the final 2xx answer or raise a TwilioError."""
        method = built.method.upper()
        started = time.monotonic()
        entry = TraceEntry(time.time(), method, _shown(built.url), None, 0.0, 0, 0)
        try:
            response = self._send_with_retries(built, method, started, entry)
        except TwilioError as exc:
            entry.error = type(exc).__name__ + ": " + str(exc).splitlines()[0]
            raise
        finally:
            entry.duration_ms = (time.monotonic() - started) * 1000
            self._record(entry)
        return response

    def _send_with_retries(self, built: BuiltRequest, method: str, started: float,
                           entry: TraceEntry) -> httpx.Response:
        attempt = 0
        gate = self.gate  # the walk's, for every attempt (closed when the walk ends)
        while True:
            retry_after: float | None = None
            try:
                if gate is None:
                    response = self._send_once(built)
                else:
                    with gate.passage():
                        response = self._send_once(built)
            except _RetryableError as exc:
                reason, error = exc.reason, exc.error
                if not (exc.before_send or method in IDEMPOTENT):
                    raise _noted(error, _not_resent(method)) from None
            else:
                if response.is_redirect:  # a 301/302/303 answer to a POST: it was processed
                    target = self._redirect_target(response.request.url, response)
                    built = dataclasses.replace(built, method="GET", url=str(target), body=None,
                                                content_type=None, form=(), query=target.query
                                                .decode())
                    method = "GET"
                    continue
                entry.status = response.status_code
                entry.bytes = len(response.content)
                status = response.status_code
                if status < 400 and not _empty_answer(built, response):
                    return response
                if status < 400:
                    error = _empty_error(built, response, method)
                    retryable = method in IDEMPOTENT
                else:
                    error = error_from_response(response, method, _shown(built.url))
                    retryable = status == 429 or (status >= 500 and method in IDEMPOTENT)
                if not retryable:
                    raise _noted(error, "" if 400 <= status < 500 else _not_resent(method))
                reason = f"HTTP {status}" + (" with an empty body" if status < 400 else "")
                retry_after = _retry_after(response)
            if gate is not None and gate.closed:  # the walk ended: no retry
                raise _noted(error, "(its walk ended: not tried again)")
            attempt += 1
            delay = self.policy.delay(attempt - 1, retry_after, self._rng)
            elapsed = time.monotonic() - started
            if attempt > self.policy.max_retries or elapsed + delay > self.policy.retry_budget_s:
                hinted = isinstance(error, TwilioApiError) and error.status == 429
                raise _noted(error, f"(gave up after {attempt - 1} retries, {elapsed:.1f} s"
                             + ("" if hinted else ": try again later, or raise max_retries / "
                                "retry_budget_s of the Connection") + ")")
            event = RetryEvent(attempt, reason, delay, method, _shown(built.url))
            entry.retries = attempt
            entry.retry_reasons.append(reason)
            log.warning("twilio_nb: retry %d after %s in %.2f s: %s %s", attempt, reason, delay,
                        method, event.url)
            if self.on_retry is not None:
                self.on_retry(event)
            if gate is not None and "429" in reason:
                gate.pause(delay)  # every worker waits; this one at the gate too
            elif gate is not None:
                gate.rest(delay)  # cut short when the walk ends
            else:
                self._sleep(delay)

    def _send_once(self, built: BuiltRequest) -> httpx.Response:
        """One attempt, redirects on trusted hosts followed. A 301/302/303 answer to a method
        that is not idempotent is returned as it is: that request was processed, and only a
        GET of the target may follow (see :meth:`_send_with_retries`)."""
        client, fresh = self._get_client()
        try:
            request = self._prepare(built)
            for _ in range(MAX_REDIRECTS + 1):
                response = self._transmit(client, request)
                if not response.is_redirect:
                    return response
                if request.method not in IDEMPOTENT and response.status_code not in (307, 308):
                    return response
                request = self._prepare(built, self._redirect_target(request.url, response))
            raise TransportError(f"more than {MAX_REDIRECTS} redirects; not followed further")
        finally:
            if fresh:
                client.close()

    def _redirect_target(self, url: httpx.URL, response: httpx.Response) -> httpx.URL:
        location = response.headers.get("location", "")
        try:
            target = url.join(location)
        except (httpx.InvalidURL, ValueError):
            raise TransportError(f"The answer {response.status_code} redirects to {location!r}, "
                                 "which is not a URL; not followed") from None
        if not self._trusted(target):
            raise TransportError(
                f"Twilio answered {response.status_code} redirecting to "
                f"{target.scheme}://{target.host}, which is not a Twilio host; "
                "not followed (credentials are never sent there)")
        return target

    def _transmit(self, client: httpx.Client, request: httpx.Request) -> httpx.Response:
        where = f"{request.url.scheme}://{request.url.netloc.decode()}"
        try:
            # streamed: the body is read only up to max_response_bytes (see _read_capped)
            streamed = client.send(request, stream=True)
            try:
                return _read_capped(streamed, self.max_response_bytes, where)
            finally:
                streamed.close()
        except httpx.ConnectTimeout:
            raise _RetryableError("connect timeout", True, TwilioTimeoutError(
                f"Connection Timeout fired: no connection to {where} within "
                f"{self.connect_timeout_ms} ms. Check the Address and the network, or raise "
                "connection_timeout_ms.", which="connect", timeout_ms=self.connect_timeout_ms
            )) from None
        except httpx.PoolTimeout:
            raise _RetryableError("pool timeout", True, TwilioTimeoutError(
                f"Connection Timeout fired waiting for a free connection to {where} "
                f"({self.connect_timeout_ms} ms)", which="connect",
                timeout_ms=self.connect_timeout_ms)) from None
        except (httpx.ReadTimeout, httpx.WriteTimeout):
            raise _RetryableError("response timeout", False, TwilioTimeoutError(
                f"Response Timeout fired: {where} did not answer within "
                f"{self.response_timeout_ms} ms. Raise response_timeout_ms for slow operations.",
                which="response", timeout_ms=self.response_timeout_ms)) from None
        except httpx.ConnectError as exc:
            raise _RetryableError("connection failed", True, TransportError(
                f"Could not connect to {where} ({_first_line(exc)}). Check the Address; for the "
                "offline sandbox use tw.connect(sandbox=True).")) from None
        except httpx.RemoteProtocolError as exc:
            if "location header" in str(exc).lower():  # httpx reads Location on any 3xx
                raise TransportError(
                    f"{where} answered a redirect to a Location that is not a URL "
                    f"({_first_line(exc)}); not followed. Check the Address.") from None
            raise _RetryableError("connection lost", False, TransportError(
                f"The connection to {where} broke before the answer was complete "
                f"({_first_line(exc)}).")) from None
        except (httpx.ReadError, httpx.WriteError) as exc:
            raise _RetryableError("connection lost", False, TransportError(
                f"The connection to {where} broke before the answer was complete "
                f"({_first_line(exc)}).")) from None
        except httpx.HTTPError as exc:
            raise TransportError(f"The request to {where} failed: {_first_line(exc)}") from None

    # -- trace -----------------------------------------------------------------------------
    def _record(self, entry: TraceEntry) -> None:
        self.history.append(entry)
        if len(self.history) > 10_000:
            del self.history[:1000]
        if self.trace:
            line = trace_line(entry)
            log.info("%s", line)
            (self.trace_out or _to_stderr)(line)


def trace_line(entry: TraceEntry) -> str:
    """One request as a trace shows it: method, URL (no credentials), status, duration."""
    return (f"twilio_nb: {entry.method} {entry.url} -> {entry.status} in "
            f"{entry.duration_ms:.0f} ms ({entry.retries} retries)"
            + (f" error: {entry.error}" if entry.error else ""))


def _to_stderr(line: str) -> None:
    """Where a trace goes unless told: standard error, which a terminal and a notebook cell
    both show (a logger would need a handler first)."""
    print(line, file=sys.stderr, flush=True)


class _RetryableError(Exception):
    def __init__(self, reason: str, before_send: bool, error: TwilioError) -> None:
        super().__init__(reason)
        self.reason = reason
        self.before_send = before_send
        self.error = error


def _read_capped(response: httpx.Response, limit: int, where: str) -> httpx.Response:
    """The answer of the streamed ``response`` with its body read, but not past ``limit``
    bytes (announced or received, decoded). The body is decoded already, so the answer no
    longer names a Content-Encoding (its Content-Length is the decoded size); neither header
    reaches a user (see ``result.PROTOCOL_HEADERS``)."""
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


def _empty_answer(built: BuiltRequest, response: httpx.Response) -> bool:
    """A 2xx without a body where Twilio always sends one (not a delete, not a 204)."""
    op = built.operation
    return (not response.content and response.status_code not in (204, 205)
            and op is not None and op.kind != "delete" and built.method.upper() != "HEAD")


def _empty_error(built: BuiltRequest, response: httpx.Response,
                 method: str) -> ResponseFormatError:
    op = built.operation
    what = "a page of records" if op is not None and op.kind == "list" else "the resource"
    return ResponseFormatError(
        f"HTTP {response.status_code} with an empty body ({method} {_shown(built.url)}), where "
        f"Twilio always sends {what}: a proxy or the network lost the answer.")


def _not_resent(method: str) -> str:
    if method in IDEMPOTENT:
        return ""
    return (f"twilio_nb did not send this {method} again: Twilio may have made the change. "
            "Check (e.g. list the resource) before sending it again.")


def _noted(error: TwilioError, note: str) -> TwilioError:
    """``error`` with a line of advice added to its message (its type and fields kept)."""
    if note:
        error.args = (f"{error}\n{note}",)
    return error


def basic_auth_header(user: str, password: str) -> str:
    token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    return f"Basic {token}"


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _shown(url: str) -> str:
    """The URL as logs show it: no user-info (credentials never live in URLs here anyway)."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError):
        return url
    if parsed.userinfo:
        parsed = parsed.copy_with(username=None, password=None)
    return str(parsed)


def history_frame(entries: list[TraceEntry]) -> Any:
    import pandas as pd  # deferred: import twilio_nb stays without pandas

    return pd.DataFrame([{
        "time": pd.Timestamp(e.time, unit="s", tz="UTC"), "method": e.method, "url": e.url,
        "status": e.status, "duration_ms": round(e.duration_ms, 1), "retries": e.retries,
        "bytes": e.bytes, "error": e.error} for e in entries],
        columns=["time", "method", "url", "status", "duration_ms", "retries", "bytes", "error"])
