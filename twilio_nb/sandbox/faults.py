"""Fault injection and the rate limit: the sandbox misbehaving on purpose.

A fault is switched on for the requests whose path matches (a substring, or a regular
expression) and optionally whose method matches, and then by count:

- ``count=N``: the first N matching requests (after ``after``, if given);
- ``every=N``: every Nth matching request (the Nth, 2Nth, ...);
- ``after=N``: only once N matching requests have gone by;
- none of them: every matching request until :meth:`Faults.clear`.

Kinds (what the client sees):

=============  ================================================================================
``delay``      the normal answer, ``delay`` seconds late (stacks with another fault)
``status``     an error status (default 503) with Twilio's JSON/XML error body
``reset``      the connection is reset after the request was read (no answer at all)
``truncate``   the headers promise more body than is sent, then the connection closes
``drop``       the request IS processed (a message is created), then the connection closes
               without a byte of answer: the client cannot tell whether it went through.
               It counts (``count``, ``every``, ``after``) and hits only requests the
               sandbox processed and answered without an error and without another fault:
               never one refused 429 by a limit, answered 4xx, or answered by a fault.
``malformed``  a 200 whose body is cut in the middle (Content-Length matches what is sent)
``content_type`` the normal body under a wrong Content-Type (``text/plain`` unless given)
``html``       a 502 HTML error page, as a proxy in front of Twilio would send
``empty``      a 200 with an empty body
=============  ================================================================================

The rate limit is a token bucket: ``per_second`` tokens a second, ``burst`` at most
(default: one second's worth, at least 1). A request that finds no token gets 429 with
Twilio's code 20429 and, when ``retry_after`` is set, a ``Retry-After`` header.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from ..errors import ConfigurationError

__all__ = ["KINDS", "Fault", "Faults", "InFlight", "RateLimiter"]

KINDS = ("delay", "status", "reset", "truncate", "drop", "malformed", "content_type", "html",
         "empty")


@dataclass(eq=False)
class Fault:
    """One switched-on fault. ``seen`` counts the matching requests, ``fired`` the ones hit."""

    kind: str
    path: str | re.Pattern[str] | None = None
    method: str | None = None
    count: int | None = None
    every: int | None = None
    after: int = 0
    status: int = 503
    delay: float = 0.0
    content_type: str = "text/plain"
    seen: int = field(default=0, init=False)
    fired: int = field(default=0, init=False)

    def _matches(self, method: str, path: str) -> bool:
        if self.method and self.method != method:
            return False
        if self.path is None:
            return True
        if isinstance(self.path, re.Pattern):
            return self.path.search(path) is not None
        return self.path in path

    def _fires(self) -> bool:
        """Count one matching request; True when the fault hits it."""
        self.seen += 1
        n = self.seen - self.after
        if n <= 0:
            return False
        if self.every is not None and n % self.every:
            return False
        if self.count is not None and self.fired >= self.count:
            return False
        self.fired += 1
        return True

    @property
    def exhausted(self) -> bool:
        return self.count is not None and self.fired >= self.count

    def __repr__(self) -> str:
        where = self.path.pattern if isinstance(self.path, re.Pattern) else self.path
        return (f"Fault({self.kind!r}, path={where!r}, count={self.count}, every={self.every}, "
                f"after={self.after}, fired={self.fired})")


def _positive(name: str, value: int | None, minimum: int) -> None:
    if value is not None and (not isinstance(value, int) or value < minimum):
        raise ConfigurationError(f"Fault {name} must be an integer >= {minimum}, got {value!r}.",
                                 field=name)


class Faults:
    """The faults switched on for one sandbox. Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def add(self, kind: str, *, path: str | re.Pattern[str] | None = None, regex: bool = False,
            method: str | None = None, count: int | None = None, every: int | None = None,
            after: int | None = None, status: int | None = None, delay: float | None = None,
            content_type: str | None = None) -> Fault:
        """Switch a fault on; returns it (pass it to :meth:`remove` to switch it off)."""
        if kind not in KINDS:
            raise ConfigurationError(f"Unknown fault kind {kind!r}; use one of {', '.join(KINDS)}.",
                                     field="kind")
        _positive("count", count, 1)
        _positive("every", every, 1)
        _positive("after", after, 0)
        if status is not None and not (isinstance(status, int) and 100 <= status <= 599):
            raise ConfigurationError(
                f"Fault status must be an HTTP status 100-599, got {status!r}.", field="status")
        if kind == "delay" and (delay is None or delay < 0):
            raise ConfigurationError("A delay fault needs delay=<seconds> (0 or more).",
                                     field="delay")
        pattern: str | re.Pattern[str] | None = path
        if regex and isinstance(path, str):
            try:
                pattern = re.compile(path)
            except re.error as exc:
                raise ConfigurationError(f"Fault path {path!r} is not a valid regular expression: "
                                         f"{exc}", field="path") from None
        fault = Fault(kind=kind, path=pattern, method=method.upper() if method else None,
                      count=count, every=every, after=after or 0,
                      status=status if status is not None else (502 if kind == "html" else 503),
                      delay=float(delay or 0.0), content_type=content_type or "text/plain")
        with self._lock:
            self._faults.append(fault)
        return fault

    def remove(self, fault: Fault) -> None:
        with self._lock:
            if fault in self._faults:
                self._faults.remove(fault)

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def pick(self, method: str, path: str) -> tuple[float, Fault | None]:
        """For one request, before it is processed: the total delay of the delay faults that
        fire, and the first other fault that fires (or None). Every matching fault but
        ``drop`` counts the request (see :meth:`pick_drop`)."""
        delay = 0.0
        chosen: Fault | None = None
        with self._lock:
            for fault in self._faults:
                if fault.kind == "drop" or not fault._matches(method, path) \
                        or not fault._fires():
                    continue
                if fault.kind == "delay":
                    delay += fault.delay
                elif chosen is None:
                    chosen = fault
        return delay, chosen

    def pick_drop(self, method: str, path: str) -> Fault | None:
        """For one request the sandbox processed and answered (no error, no other fault):
        the first ``drop`` fault that fires. Every matching drop fault counts the request."""
        chosen: Fault | None = None
        with self._lock:
            for fault in self._faults:
                if fault.kind == "drop" and fault._matches(method, path) and fault._fires() \
                        and chosen is None:
                    chosen = fault
        return chosen

    def __iter__(self) -> Iterator[Fault]:
        with self._lock:
            return iter(list(self._faults))

    def __len__(self) -> int:
        with self._lock:
            return len(self._faults)

    def __repr__(self) -> str:
        return f"Faults({list(self)!r})"


class RateLimiter:
    """A token bucket; ``allow()`` takes a token or says no."""

    def __init__(self, per_second: float, *, retry_after: float | None = None,
                 burst: int | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        if per_second <= 0:
            raise ConfigurationError(f"rate limit must be > 0 requests a second, got {per_second}; "
                                     "use None to switch it off.", field="rate_limit")
        if burst is not None and burst < 1:
            raise ConfigurationError(f"burst must be >= 1, got {burst}.", field="burst")
        if retry_after is not None and retry_after < 0:
            raise ConfigurationError(f"retry_after must be >= 0 seconds, got {retry_after}.",
                                     field="retry_after")
        self.per_second = float(per_second)
        self.retry_after = retry_after
        self.burst = float(burst if burst is not None else max(1.0, per_second))
        self._clock = clock
        self._tokens = self.burst
        self._last = clock()
        self._lock = threading.Lock()

    def allow(self) -> bool:
        with self._lock:
            now = self._clock()
            self._tokens = min(self.burst, self._tokens + (now - self._last) * self.per_second)
            self._last = now
            if self._tokens >= 1.0:
                self._tokens -= 1.0
                return True
            return False

    def __repr__(self) -> str:
        return (f"RateLimiter(per_second={self.per_second}, burst={self.burst:g}, "
                f"retry_after={self.retry_after})")


class InFlight:
    """Twilio's per-account concurrency limit: at most ``limit`` requests in flight (from the
    moment the sandbox reads a request to the moment its answer, latency included, is
    handed over); one more is answered 429 with code 20429 and ``Retry-After``.

    The real answer's body is ``{"code": 20429, "message": "Too Many Requests", "more_info":
    "https://www.twilio.com/docs/errors/20429", "status": 429}`` (error page
    https://www.twilio.com/docs/errors/20429: "Your account is sending too many concurrent Rest
    API requests to Twilio servers ... never processed and is always safe to retry").
    """

    def __init__(self, limit: int, *, retry_after: float = 1.0) -> None:
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise ConfigurationError(f"concurrency_limit must be an integer >= 1, got {limit!r};"
                                     " use None to switch it off.", field="concurrency_limit")
        if retry_after < 0:
            raise ConfigurationError(f"retry_after must be >= 0 seconds, got {retry_after}.",
                                     field="retry_after")
        self.limit = limit
        self.retry_after = retry_after
        self.busy = 0
        self.peak = 0  # the most requests in flight at once (for tests and benchmarks)
        self.refused = 0
        self._lock = threading.Lock()

    def enter(self) -> bool:
        """Take a place (True), or count a refusal (False)."""
        with self._lock:
            if self.busy >= self.limit:
                self.refused += 1
                return False
            self.busy += 1
            self.peak = max(self.peak, self.busy)
            return True

    def leave(self) -> None:
        with self._lock:
            self.busy -= 1

    def __repr__(self) -> str:
        return f"InFlight(limit={self.limit}, busy={self.busy}, refused={self.refused})"
