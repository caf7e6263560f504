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
  Each retry goes to the ``twilio_nb`` logger and to ``on_retry``. A send that carries a
  :class:`.gate.Gate` (``send(built, gate)``: a concurrent walk's, a batch's) passes every
  attempt through it, and a 429 pauses every worker of that gate instead of only this one;
  the gate goes with each call, so two walks at once on one connection keep their own.
* Trace: with ``trace`` on, each request (method, URL, status, duration; never a credential)
  is printed to standard error (or ``trace_out``) and logged.
* An empty 2xx answer where Twilio always sends a body (a list, a fetch, a create, an
  update) is a fault of the way there (a proxy, the network): retried for GET, an error
  otherwise. An answer larger than ``max_response_bytes`` is not read past that size.
* Errors: every failure is a :class:`~twilio_nb.errors.TwilioError` that says what happened
  and what to do; never a raw httpx exception. A POST (or PUT/PATCH) that may have reached
  Twilio says so: check before sending it again.

The retry policy is in :mod:`.retry`, reading an answer (the capped body, error answers) in
:mod:`.response`, the trace's entries in :mod:`.trace`. Imports request (types), errors and
its own package; never answers, paging, the session, a front end or the sandbox.
"""

from __future__ import annotations

import base64
import dataclasses
import logging
import random
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import httpx

from ..errors import (
    ConfigurationError,
    TransportError,
    TwilioApiError,
    TwilioError,
    TwilioTimeoutError,
)
from .gate import Gate
from .response import (
    MAX_RESPONSE_BYTES,
    empty_answer,
    empty_error,
    error_from_response,
    read_capped,
    shown,
)
from .retry import (
    IDEMPOTENT,
    RetryableError,
    RetryEvent,
    RetryPolicy,
    not_resent,
    noted,
    retry_after_s,
)
from .trace import TraceEntry, to_stderr, trace_line

if TYPE_CHECKING:
    from ..request.built import BuiltRequest

__all__ = ["Executor", "http_timeout"]

log = logging.getLogger("twilio_nb")
MAX_REDIRECTS = 5


def http_timeout(connect_ms: int, response_ms: int) -> httpx.Timeout:
    """The adapter's Connection Timeout and Response Timeout (ms) as httpx's timeouts: connect
    and pool wait for the connection, read and write for the answer."""
    return httpx.Timeout(connect=connect_ms / 1000, read=response_ms / 1000,
                         write=response_ms / 1000, pool=connect_ms / 1000)


class Executor:
    """Sends BuiltRequests through one httpx client (or a fresh one per call)."""

    def __init__(self, *, client_factory: Callable[[httpx.Timeout], httpx.Client],
                 reuse_connection: bool,
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
        self.timeout = http_timeout(connect_timeout_ms, response_timeout_ms)  # every client's
        self.policy = policy
        self.max_response_bytes = max_response_bytes
        self.on_retry = on_retry
        self.trace = trace
        self.trace_out: Callable[[str], None] | None = None  # None: standard error
        self.history: list[TraceEntry] = []
        self._sleep = sleep
        self._rng = rng or random.Random()

    def __repr__(self) -> str:
        return (f"Executor(reuse_connection={self._reuse}, auth={'set' if self._auth else 'none'},"
                f" policy={self.policy})")

    # -- the client ---------------------------------------------------------------------
    def _get_client(self) -> tuple[httpx.Client, bool]:
        if self._fresh:
            return self._factory(self.timeout), True
        if self._client is None or self._client.is_closed:
            self._client = self._factory(self.timeout)
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

    def _prepare(self, built: BuiltRequest) -> httpx.Request:
        request = built.to_httpx()
        self.check_trusted(request.url)
        if self._auth is not None:
            request.headers["Authorization"] = basic_auth_header(*self._auth)
        if not self._reuse:
            request.headers["Connection"] = "close"
        return request

    def send(self, built: BuiltRequest, gate: Gate | None = None) -> httpx.Response:
        """Send with retries (every attempt through ``gate`` when given); return the final 2xx
        answer or raise a TwilioError."""
        method = built.method.upper()
        started = time.monotonic()
        entry = TraceEntry(time.time(), method, shown(built.url), None, 0.0, 0, 0)
        try:
            response = self._send_with_retries(built, method, started, entry, gate)
        except TwilioError as exc:
            entry.error = type(exc).__name__ + ": " + str(exc).splitlines()[0]
            raise
        finally:
            entry.duration_ms = (time.monotonic() - started) * 1000
            self._record(entry)
        return response

    def _send_with_retries(self, built: BuiltRequest, method: str, started: float,
                           entry: TraceEntry, gate: Gate | None) -> httpx.Response:
        attempt = hops = 0  # ``gate``: the walk's, for every attempt (closed when the walk ends)
        while True:
            retry_after: float | None = None
            try:
                if gate is None:
                    response = self._send_once(built)
                else:
                    with gate.passage():
                        response = self._send_once(built)
            except RetryableError as exc:
                reason, error = exc.reason, exc.error
                if not (exc.before_send or method in IDEMPOTENT):
                    raise noted(error, not_resent(method)) from None
            else:
                if response.is_redirect:  # followed here, not counted as a retry
                    hops += 1
                    built = self._redirected(built, response, hops)
                    method = built.method.upper()
                    continue
                entry.status = response.status_code
                entry.bytes = len(response.content)
                status = response.status_code
                if status < 400 and not empty_answer(built, response):
                    return response
                if status < 400:
                    error = empty_error(built, response, method)
                    retryable = method in IDEMPOTENT
                else:
                    error = error_from_response(response, method, shown(built.url))
                    retryable = status == 429 or (status >= 500 and method in IDEMPOTENT)
                if not retryable:
                    raise noted(error, "" if 400 <= status < 500 else not_resent(method))
                reason = f"HTTP {status}" + (" with an empty body" if status < 400 else "")
                retry_after = retry_after_s(response)
            if gate is not None and gate.closed:  # the walk ended: no retry
                raise noted(error, "(its walk ended: not tried again)")
            attempt += 1
            delay = self.policy.delay(attempt - 1, retry_after, self._rng)
            elapsed = time.monotonic() - started
            if attempt > self.policy.max_retries or elapsed + delay > self.policy.retry_budget_s:
                hinted = isinstance(error, TwilioApiError) and error.status == 429
                raise noted(error, f"(gave up after {attempt - 1} retries, {elapsed:.1f} s"
                             + ("" if hinted else ": try again later, or raise max_retries / "
                                "retry_budget_s of the Connection") + ")")
            event = RetryEvent(attempt, reason, delay, method, shown(built.url))
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
        """One attempt: one request, its answer as it came (a redirect too: see
        :meth:`_redirected`)."""
        client, fresh = self._get_client()
        try:
            return self._transmit(client, self._prepare(built))
        finally:
            if fresh:
                client.close()

    def _redirected(self, built: BuiltRequest, response: httpx.Response,
                    hops: int) -> BuiltRequest:
        """The request a redirect answer asks for, the one place redirects are followed:
        only to a trusted host, at most ``MAX_REDIRECTS`` of them. A 307/308, or any redirect
        of an idempotent method, repeats the request at the target; a 301/302/303 answer to
        a POST (or PUT, PATCH) means that request was processed, and only a GET of the
        target follows."""
        if hops > MAX_REDIRECTS:
            raise TransportError(f"more than {MAX_REDIRECTS} redirects; not followed further")
        target = self._redirect_target(response.request.url, response)
        query = target.query.decode()
        if built.method.upper() in IDEMPOTENT or response.status_code in (307, 308):
            return dataclasses.replace(built, url=str(target), query=query)
        return dataclasses.replace(built, method="GET", url=str(target), body=None,
                                   content_type=None, form=(), query=query)

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
            # streamed: the body is read only up to max_response_bytes (see read_capped)
            streamed = client.send(request, stream=True)
            try:
                return read_capped(streamed, self.max_response_bytes, where)
            finally:
                streamed.close()
        except httpx.ConnectTimeout:
            raise RetryableError("connect timeout", True, TwilioTimeoutError(
                f"Connection Timeout fired: no connection to {where} within "
                f"{self.connect_timeout_ms} ms. Check the Address and the network, or raise "
                "connection_timeout_ms.", which="connect", timeout_ms=self.connect_timeout_ms
            )) from None
        except httpx.PoolTimeout:
            raise RetryableError("pool timeout", True, TwilioTimeoutError(
                f"Connection Timeout fired waiting for a free connection to {where} "
                f"({self.connect_timeout_ms} ms)", which="connect",
                timeout_ms=self.connect_timeout_ms)) from None
        except (httpx.ReadTimeout, httpx.WriteTimeout):
            raise RetryableError("response timeout", False, TwilioTimeoutError(
                f"Response Timeout fired: {where} did not answer within "
                f"{self.response_timeout_ms} ms. Raise response_timeout_ms for slow operations.",
                which="response", timeout_ms=self.response_timeout_ms)) from None
        except httpx.ConnectError as exc:
            raise RetryableError("connection failed", True, TransportError(
                f"Could not connect to {where} ({_first_line(exc)}). Check the Address; for the "
                "offline sandbox use tw.connect(sandbox=True).", sent=False)) from None
        except httpx.RemoteProtocolError as exc:
            if "location header" in str(exc).lower():  # httpx reads Location on any 3xx
                raise TransportError(
                    f"{where} answered a redirect to a Location that is not a URL "
                    f"({_first_line(exc)}); not followed. Check the Address.") from None
            raise RetryableError("connection lost", False, TransportError(
                f"The connection to {where} broke before the answer was complete "
                f"({_first_line(exc)}).")) from None
        except (httpx.ReadError, httpx.WriteError) as exc:
            raise RetryableError("connection lost", False, TransportError(
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
            (self.trace_out or to_stderr)(line)


def basic_auth_header(user: str, password: str) -> str:
    token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    return f"Basic {token}"


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
