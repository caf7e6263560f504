"""The sandbox's outgoing webhooks: status callbacks posted as Twilio posts them.

Each callback is an HTTP POST, form-encoded, with Twilio's parameter names and an
``X-Twilio-Signature`` (:mod:`..webhook_protocol`) made with the account's auth token.
They go out in order per resource (a message's ``queued`` before its ``sent`` before its
``delivered``) and concurrently across resources, on up to ``WORKERS`` threads with one
keep-alive client each and a short timeout (``TIMEOUT`` seconds), so a batch of a thousand
messages calls back in seconds, and an endpoint that fails, hangs or is not there never
blocks or breaks the sandbox: the attempt is written to :attr:`Callbacks.log` (URL, status or
error; never the auth token) and the sandbox goes on. Hosts reserved for examples
(``api.example.com`` in the guide's payloads) are never called. Workers start when there is
something to send and end after ``IDLE`` seconds without any. :meth:`Callbacks.drain` waits
(with a bound) until every queued attempt is done.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

from ..webhook_protocol.signature import HEADER, sign

__all__ = ["TIMEOUT", "USER_AGENT", "Callbacks", "Delivery", "is_web_url", "post"]

TIMEOUT = 2.0
WORKERS = 8  # callbacks of different resources sent at once
IDLE = 1.0  # seconds a worker waits for more before it ends
USER_AGENT = "TwilioProxy/1.1"
LOG_SIZE = 1000
_EXAMPLE_DOMAINS = ("example.com", "example.net", "example.org")
_EXAMPLE_SUFFIXES = (".example.com", ".example.net", ".example.org", ".example", ".invalid",
                     ".test")
Params = list[tuple[str, str]]
_Job = tuple[str, Params, str, str]  # url, params, event, method


def is_example_host(url: str) -> bool:
    """A host reserved for examples (RFC 2606/6761: ``example.com``, ``*.example``,
    ``*.invalid``, ``*.test``): nothing is there, so nothing is sent (the guide's payloads name
    ``https://api.example.com/...``)."""
    host = (urlsplit(url).hostname or "").rstrip(".").lower()
    return host.endswith(_EXAMPLE_SUFFIXES) or host in _EXAMPLE_DOMAINS


def is_web_url(url: str) -> bool:
    """An absolute http(s) URL with a host: the only kind the sandbox calls back."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


@dataclass
class Delivery:
    """One attempt: where, what it reported (``MessageStatus``/``CallStatus``/...), and what
    came back (HTTP status, or the error when nothing came back)."""

    url: str
    event: str
    status: int | None = None
    error: str | None = None
    body: bytes = b""
    at: float = field(default_factory=time.time)

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def post(client: httpx.Client, url: str, params: Params, auth_token: str, *,
         method: str = "POST", event: str = "") -> Delivery:
    """Send one webhook as Twilio does (POST form, or GET with the parameters in the query);
    never raises for the endpoint's failures."""
    out = Delivery(url, event)
    if not is_web_url(url):
        out.error = "not an http(s) URL: nothing sent"
        return out
    if is_example_host(url):
        out.error = "a reserved example domain (RFC 2606): nothing sent"
        return out
    try:
        if method.upper() == "GET":
            target = str(httpx.URL(url).copy_merge_params(tuple(params)))
            headers = {HEADER: sign(target, [], auth_token), "User-Agent": USER_AGENT}
            resp = client.get(target, headers=headers)
        else:
            headers = {HEADER: sign(url, params, auth_token), "User-Agent": USER_AGENT,
                       "Content-Type": "application/x-www-form-urlencoded"}
            resp = client.post(url, data=dict(_multi(params)), headers=headers)
    except httpx.HTTPError as exc:
        out.error = f"{type(exc).__name__}: {exc}"
        return out
    out.status, out.body = resp.status_code, resp.content[:65536]
    return out


def _multi(params: Params) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for k, v in params:
        grouped.setdefault(k, []).append(v)
    return grouped


def client(timeout: float = TIMEOUT) -> httpx.Client:
    """The HTTP client webhooks go out with: short timeouts, no redirects, no proxies from the
    environment (callbacks go where they are addressed)."""
    return httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False)


class Callbacks:
    """Queues of status callbacks, one per resource, sent by a small pool of workers.

    A resource's callbacks (a message's queued, sending, sent, delivered) go out one after the
    other, in the order they were queued; different resources' go out at once, on up to
    ``workers`` threads, each with its own keep-alive client. Workers start when there is
    something to send and end after ``IDLE`` seconds with nothing to do.
    """

    def __init__(self, auth_token: Callable[[], str], timeout: float = TIMEOUT,
                 workers: int = WORKERS) -> None:
        self._token = auth_token
        self.timeout = timeout
        self.workers = workers
        self._queues: dict[str, deque[_Job]] = {}  # per resource, oldest first
        self._ready: deque[str] = deque()  # resources with a callback to send and no worker
        lock = threading.Lock()  # one lock, two conditions: a worker's wake-up and drain's
        self._cond = threading.Condition(lock)  # workers wait on it for a resource to send
        self._drained = threading.Condition(lock)  # drain() waits on it for _busy to reach 0
        self._busy = 0  # queued + being sent
        self._running = 0  # worker threads alive
        self._idle = 0  # of which waiting for work
        self.log: deque[Delivery] = deque(maxlen=LOG_SIZE)

    def send(self, url: str, params: Params, event: str, method: str = "POST", *,
             key: str) -> None:
        """Queue one callback (``method`` GET puts the parameters in the query). ``key``
        names the resource (its SID): callbacks of one key arrive in the order they were
        queued, callbacks of different keys at once."""
        with self._cond:
            queue = self._queues.get(key)
            if queue is None:  # nothing of this resource queued or being sent
                queue = self._queues[key] = deque()
                self._ready.append(key)
            queue.append((url, params, event, method or "POST"))
            self._busy += 1
            if self._idle:
                self._cond.notify()
            if len(self._ready) > self._idle and self._running < self.workers:
                self._running += 1
                threading.Thread(target=self._work, daemon=True,
                                 name=f"twilio_nb-sandbox-callbacks-{self._running}").start()

    def _next(self) -> tuple[str, _Job] | None:
        """The next callback of a resource no other worker is sending; None once idle."""
        with self._cond:
            deadline = time.monotonic() + IDLE
            while not self._ready:
                left = deadline - time.monotonic()
                if left <= 0:
                    self._running -= 1
                    return None
                self._idle += 1
                self._cond.wait(left)
                self._idle -= 1
            key = self._ready.popleft()
            return key, self._queues[key].popleft()

    def _done(self, key: str) -> None:
        with self._cond:
            queue = self._queues.get(key)
            if queue:  # its next callback, now that this one is done: the worker calling
                self._ready.append(key)  # _done takes it (or another one first): no wake-up
            elif queue is not None:
                del self._queues[key]
            self._busy -= 1
            if not self._busy:  # drain() callers wake once, when everything is done
                self._drained.notify_all()

    def _work(self) -> None:
        with client(self.timeout) as http:
            while (job := self._next()) is not None:
                key, (url, params, event, method) = job
                try:
                    self.log.append(post(http, url, params, self._token(), method=method,
                                         event=event))
                except Exception as exc:  # never let one callback stop the others
                    self.log.append(Delivery(url, event, error=f"{type(exc).__name__}: {exc}"))
                finally:
                    self._done(key)

    def drain(self, timeout: float) -> bool:
        """Wait until every callback queued so far was attempted; False if ``timeout``
        seconds passed first."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._busy:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._drained.wait(left)
        return True

    def clear(self) -> None:
        """Forget what is queued and not yet sent (a reset)."""
        with self._cond:
            for queue in self._queues.values():
                self._busy -= len(queue)
                queue.clear()
            for key in self._ready:  # the others are being sent: _done forgets them
                del self._queues[key]
            self._ready.clear()
            if not self._busy:
                self._drained.notify_all()
