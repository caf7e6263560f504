"""An inbox for webhooks (``tw.inbox()``): a small HTTP server on 127.0.0.1 that keeps every
request as a row.

``inbox = tw.inbox()`` listens on a free port of the loopback interface; ``inbox.url`` is what
to give Twilio (or the sandbox) as ``StatusCallback``, ``SmsUrl`` or ``VoiceUrl``. Each request
becomes a row of ``inbox.df``: ``received_at`` (UTC), ``method``, ``path``,
``signature_valid``, ``status`` (what the inbox answered), ``error`` (what went wrong, if
anything) and every form (or query) field under Twilio's own name (``MessageStatus``,
``CallSid``, ...).

Signatures: every request's ``X-Twilio-Signature`` is checked with the account's auth token
(see :mod:`..webhook_protocol`) against the URL Twilio requested: ``public_url`` (the tunnel's
address, when one is in front) or the inbox's address as the request's Host names it, then
the request's path. A missing or wrong signature is answered 403 and its row says
``signature_valid`` False. Only an explicit ``verify=False`` skips the check, and then every
row says None. A refused request (403, and the framing errors: 400, 411, 413) is kept as
one row of the base columns, without its fields (``_inbox_request``).

Answers: ``inbox.reply(twiml)`` (a string, or a function of the request's row returning one)
sets the TwiML sent back to signed requests; an empty ``<Response/>`` by default. A reply that
is not well-formed TwiML is still sent (as a broken endpoint would) and its row says why.

Speed: an answer goes out in one write on a socket with ``TCP_NODELAY`` (``wbufsize`` buffers
the status line, headers and body; ``handle_one_request`` flushes once), so a keep-alive
client's next request is not held ~40 ms by Nagle's algorithm waiting for a delayed ACK: one
httpx client posts over a thousand signed callbacks a second instead of ~23.

Limits: bodies over ``max_body`` bytes (64 KiB) are answered 413 and not read; the rows kept
are at most ``MAX_ROWS`` (100,000) holding ``MAX_KEPT_BYTES`` (64 MiB) of fields, the oldest
let go first (``inbox.dropped`` counts them); the listen backlog is ``BACKLOG`` (1,024
connections waiting: a burst is accepted, not refused); options are checked when the inbox
is made (``_inbox_options``); the server runs
in one daemon thread (a thread per connection), logs no request, holds the auth token only to
check signatures (never in rows, reprs or errors), and stops with :meth:`Inbox.close`, at the
end of a ``with`` block, or when the interpreter (the kernel) exits. A client that hangs up
before its answer is written is logged at DEBUG on the ``twilio_nb.inbox`` logger (no traceback
in the notebook); another error in a handler is logged there at ERROR.

Must not import IPython, ipywidgets or the sandbox (the live display is
``twilio_nb.widgets.inbox_view``); the HTTP side (handler, server, logging) is
``_inbox_http``.
"""

from __future__ import annotations

import atexit
import html
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler
from types import TracebackType
from typing import TYPE_CHECKING, Any

from ..answers.tables import count_of
from ..errors import ConfigurationError
from ..webhook_protocol import twiml as twiml_doc
from ._inbox_http import BACKLOG, InboxServer
from ._inbox_options import MAX_BODY, check_options
from ._inbox_request import BASE_COLUMNS, Check, kept_size, read_request

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["BACKLOG", "MAX_BODY", "MAX_KEPT_BYTES", "MAX_ROWS", "Inbox", "Reply"]

MAX_ROWS = 100_000  # rows kept; older ones are let go (``inbox.dropped`` counts them)
MAX_KEPT_BYTES = 64 * 1024 * 1024  # the fields of the rows kept, at most (roughly)
SHOWN_ROWS = 20
Reply = str | Callable[[Mapping[str, Any]], str] | None


class Inbox:
    """A running webhook inbox; see the module's docstring. Make one with :func:`tw.inbox`."""

    def __init__(self, auth_token: str | None, *, verify: bool = True,
                 public_url: str | None = None, host: str = "127.0.0.1", port: int = 0,
                 max_body: int = MAX_BODY) -> None:
        check_options(auth_token, verify, public_url, host, port, max_body)
        self._token = auth_token or ""
        self.verify = verify
        self.public_url = public_url.rstrip("/") if public_url else None
        self.max_body = max_body
        self.max_rows, self.max_kept_bytes = MAX_ROWS, MAX_KEPT_BYTES
        self._rows: deque[dict[str, Any]] = deque()
        self._sizes: deque[int] = deque()
        self._kept_bytes = 0
        self.dropped = 0  # rows let go to stay within max_rows / max_kept_bytes
        self._announced = 0  # rows whose listeners have run (what wait() counts)
        self._cond = threading.Condition()
        self._reply: Reply = None
        self._listeners: list[Callable[[Inbox], None]] = []
        self._closed = False
        try:
            self._server = InboxServer((host, port), self._take)
        except OSError as exc:
            raise ConfigurationError(f"The inbox cannot listen on {host}:{port}: {exc.strerror}; "
                                     "give another port (0: any free one).",
                                     field="port") from None
        self.host, self.port = host, int(self._server.server_address[1])
        self._check = Check(self.verify, self._token, self.public_url,
                            f"{host}:{self.port}", max_body)
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.1}, daemon=True,
                                        name=f"twilio_nb-inbox-{self.port}")
        self._thread.start()
        atexit.register(self.close)

    # -- where --

    @property
    def local_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    @property
    def url(self) -> str:
        """The URL to give as StatusCallback / SmsUrl / VoiceUrl: ``public_url`` when set."""
        return self.public_url + "/" if self.public_url else self.local_url

    # -- requests --

    def _take(self, req: BaseHTTPRequestHandler) -> tuple[int, str, str]:
        if self._closed:  # a request on a connection kept alive past close()
            return 503, "Service Unavailable: this inbox is closed\n", "text/plain"
        row: dict[str, Any] = {"received_at": datetime.now(UTC), "method": req.command,
                               "path": req.path, "signature_valid": None, "status": 0,
                               "error": None}
        status, body, ctype = self._answer(req, row)
        row["status"] = status
        with self._cond:
            self._keep(row)
        self._tell_listeners()
        # waiters wake once the listeners were told: a live display has drawn the row, or
        # planned the (throttled) redraw that will show it a moment later
        with self._cond:
            self._announced += 1
            self._cond.notify_all()
        return status, body, ctype

    def _answer(self, req: BaseHTTPRequestHandler, row: dict[str, Any]) -> tuple[int, str, str]:
        refused = read_request(req, row, self._check)
        return refused if refused is not None else self._twiml(row)

    def _keep(self, row: dict[str, Any]) -> None:
        """Keep ``row`` (the caller holds the lock), letting the oldest rows go past
        ``max_rows`` rows or ``max_kept_bytes`` bytes."""
        size = kept_size(row)
        row_sizes = self._sizes
        self._rows.append(row)
        row_sizes.append(size)
        self._kept_bytes += size
        while len(self._rows) > 1 and (len(self._rows) > self.max_rows
                                       or self._kept_bytes > self.max_kept_bytes):
            self._rows.popleft()
            self._kept_bytes -= row_sizes.popleft()
            self.dropped += 1

    def _twiml(self, row: dict[str, Any]) -> tuple[int, str, str]:
        reply = self._reply
        xml = "application/xml; charset=utf-8"
        if reply is None:
            return 200, twiml_doc.EMPTY, xml
        if isinstance(reply, str):
            return 200, reply, xml
        try:
            out = reply({k: v for k, v in row.items() if k not in BASE_COLUMNS})
        except Exception as exc:
            row["error"] = f"reply function raised {type(exc).__name__}: {exc}"
            return 500, "Internal Server Error\n", "text/plain; charset=utf-8"
        out = out if isinstance(out, str) else str(out or "")
        try:
            twiml_doc.check(out)
        except twiml_doc.TwimlError as exc:
            row["error"] = str(exc)
        return 200, out, xml

    def _tell_listeners(self) -> None:
        with self._cond:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(self)
            except Exception:  # a display that went away must not break the inbox
                self.off_request(listener)

    def reply(self, twiml: Reply) -> None:
        """Answer signed requests with ``twiml``: a TwiML string (checked now), a function of
        the request's fields returning one (checked per request, reported in its row), or
        None for an empty ``<Response/>``."""
        if isinstance(twiml, str):
            try:
                twiml_doc.check(twiml)
            except twiml_doc.TwimlError as exc:
                raise ConfigurationError(f"{exc}; give a document like "
                                         "'<Response><Message>Thanks!</Message></Response>'.",
                                         field="twiml") from None
        elif twiml is not None and not callable(twiml):
            raise ConfigurationError("reply takes a TwiML string, a function of the request "
                                     f"returning one, or None; got {type(twiml).__name__}.",
                                     field="twiml")
        self._reply = twiml

    # -- what arrived --

    def __len__(self) -> int:
        with self._cond:
            return len(self._rows)

    @property
    def rows(self) -> list[dict[str, Any]]:
        """Every request so far as a dict (a copy), oldest first."""
        with self._cond:
            return [dict(r) for r in self._rows]

    @property
    def df(self) -> pd.DataFrame:
        """Every request so far, one row each, oldest first."""
        return _frame(self.rows)

    def _tail(self, n: int) -> tuple[int, pd.DataFrame]:
        """(how many requests in all, a frame of the last ``n``): what a display shows, at a
        cost that does not grow with the number of rows."""
        with self._cond:
            total = len(self._rows)
            last = [dict(self._rows[i]) for i in range(-min(n, total), 0)] if n > 0 else []
        return total, _frame(last)

    def wait(self, n: int = 1, timeout: float = 10.0) -> pd.DataFrame:
        """Block until ``n`` requests in all have arrived; the frame. Raises TimeoutError
        (saying how many came) after ``timeout`` seconds."""
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise ConfigurationError(f"n must be a whole number of requests, got {n!r}.",
                                     field="n")
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._announced < n:
                left = deadline - time.monotonic()
                if left <= 0 or self._closed:
                    raise TimeoutError(f"{self._announced} of {n} requests arrived at "
                                       f"{self.url} within {timeout:g} s.")
                self._cond.wait(left)
        return self.df

    def clear(self) -> None:
        """Forget the requests received so far."""
        with self._cond:
            self._rows.clear()
            self._sizes.clear()
            self._kept_bytes = 0
            self._announced = 0
        self._tell_listeners()

    def on_request(self, listener: Callable[[Inbox], None]) -> None:
        """Call ``listener(inbox)`` after each request (a live display uses it)."""
        with self._cond:
            self._listeners.append(listener)

    def off_request(self, listener: Callable[[Inbox], None]) -> None:
        """Stop calling ``listener`` (idempotent)."""
        with self._cond:
            if listener in self._listeners:
                self._listeners.remove(listener)

    # -- lifetime --

    @property
    def closed(self) -> bool:
        return self._closed

    def close(self) -> None:
        """Stop listening (idempotent)."""
        if self._closed:
            return
        self._closed = True
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
        atexit.unregister(self.close)
        with self._cond:
            self._cond.notify_all()

    def __enter__(self) -> Inbox:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    # -- display --

    def _title(self, total: int | None = None, shown: int | None = None) -> str:
        state = "closed" if self._closed else "listening"
        check = "signatures checked" if self.verify else "signatures NOT checked (verify=False)"
        total = len(self) if total is None else total
        count = count_of(total, "request")
        if shown is not None and total > shown:
            count += f", the last {shown:,} shown"
        if self.dropped:
            count += f"; {self.dropped:,} older let go"
        return f"Inbox {self.url} ({state}; {check}; {count})"

    def __repr__(self) -> str:
        return f"<{self._title()}>"

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None,
                          shown: int = SHOWN_ROWS) -> dict[str, str]:
        """The title (with the count of requests) and a table of the last ``shown``."""
        total, frame = self._tail(shown)
        title = self._title(total, len(frame))
        table = frame.to_string(index=False) if len(frame) else "(no requests yet)"
        body = frame.to_html(index=False, na_rep="") if len(frame) else \
            "<p><i>no requests yet</i></p>"
        return {"text/plain": f"{title}\n{table}",
                "text/html": f"<div><b>{html.escape(title)}</b>{body}</div>"}


def _frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    import pandas as pd  # deferred: import twilio_nb stays without pandas (~0.3 s)

    frame = pd.DataFrame(rows, columns=_columns(rows))
    frame["received_at"] = pd.to_datetime(frame["received_at"], utc=True)
    frame["signature_valid"] = frame["signature_valid"].astype(object)
    return frame


def _columns(rows: list[dict[str, Any]]) -> list[str]:
    seen = dict.fromkeys(BASE_COLUMNS)
    for row in rows:
        seen.update(dict.fromkeys(row))
    return list(seen)

