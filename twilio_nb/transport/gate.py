"""The gate a concurrent walk's workers share: never more than N requests in flight, and a
429 from any worker slows all of them.

The executor passes every attempt through the connection's gate while one is installed
(:meth:`~twilio_nb.session.connection.Connection.gated`). A 429 (Twilio's 20429: too many
concurrent requests, never processed, safe to send again) makes the executor call
:meth:`Gate.pause` with the delay it is about to wait (``Retry-After`` when the answer has
one, else its backoff); then no worker sends anything before that moment, and the gate lets
one request fewer through at once than before (at least 1; it does not grow again during the
walk), so the walk settles under the account's limit instead of meeting it again at every
page. One fewer, not the number still in flight: the server counts a request until its
answer is written, so at a 429 the client may see fewer in flight than the server does, and
the walk would settle far below the limit. The retry itself is the executor's one retry
loop: the gate only decides when an attempt may go.

A walk that ends while some of its requests are still out (a walk does not wait for pages it
knows to be empty) closes its gate: those requests end with their attempt in flight, and
neither wait nor try again (:class:`GateClosedError`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from ..errors import TwilioError

__all__ = ["Gate", "GateClosedError"]


class GateClosedError(TwilioError):
    """The walk a request belonged to has ended: it was not sent (again)."""


class Gate:
    """At most ``limit`` attempts in flight; none while a pause lasts."""

    def __init__(self, limit: int, *, clock: Callable[[], float] = time.monotonic) -> None:
        if limit < 1:
            raise ValueError("a gate lets at least one request through")
        self.limit = limit
        self._clock = clock
        self._cond = threading.Condition()
        self._busy = 0
        self._until = 0.0
        self.peak = 0  # the most attempts in flight at once
        self.pauses = 0  # how many 429s paused the workers
        self.closed = False

    @contextmanager
    def passage(self) -> Iterator[None]:
        """Around one attempt: waits for a free place and for any pause to end."""
        with self._cond:
            while True:
                wait = self._until - self._clock()
                if self.closed:
                    raise GateClosedError("the walk ended: this request was not sent")
                if wait > 0:
                    self._cond.wait(wait)
                elif self._busy >= self.limit:
                    self._cond.wait()
                else:
                    break
            self._busy += 1
            self.peak = max(self.peak, self._busy)
        try:
            yield
        finally:
            with self._cond:
                self._busy -= 1
                self._cond.notify_all()

    def pause(self, seconds: float) -> None:
        """No attempt goes out for ``seconds`` from now (a later pause is kept), and one
        fewer goes at once from then on."""
        with self._cond:
            self._until = max(self._until, self._clock() + seconds)
            self.limit = max(1, self.limit - 1)
            self.pauses += 1
            self._cond.notify_all()

    def rest(self, seconds: float) -> None:
        """Wait ``seconds`` between two attempts of one request (less once closed)."""
        with self._cond:
            self._cond.wait_for(lambda: self.closed, seconds)

    def close(self) -> None:
        """The walk ended: no attempt goes out any more, and none waits."""
        with self._cond:
            self.closed = True
            self._cond.notify_all()

    def __enter__(self) -> Gate:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Gate(limit={self.limit}, in flight={self._busy}, pauses={self.pauses})"
