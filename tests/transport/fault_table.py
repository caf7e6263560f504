"""The fault table of ``test_faults.py``: what each fault is arranged on (:class:`Rig`: the
sandbox on a port, raw socket servers, bare ports), the bodies a raw server answers with, and
the rows (:data:`FAULTS`) with the outcome a user must see."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from loopback import full_backlog_port
from rawserver import Behaviour, RawServer

import twilio_nb as tw
from twilio_nb import sandbox
from twilio_nb.sandbox import Sandbox, SandboxServer
from twilio_nb.session.credentials import UserCredentials
from twilio_nb.transport.retry import RetryEvent

__all__ = ["FAULTS", "IDS", "MESSAGES", "PAGE", "SEND", "SEND_LINE", "Fault", "Rig"]

MESSAGES = 120
PAGE = 20
SEND = {"From": "+14155552671", "To": "+14155552672", "Body": "fault suite"}
SEND_LINE = "Message.send From=+14155552671 To=+14155552672 'Body=fault suite'"
ACCOUNT = sandbox.ACCOUNT_SID
LIST_PATH = f"/2010-04-01/Accounts/{ACCOUNT}/Messages.json"


# -- what a fault is arranged on -------------------------------------------------------------

class Rig:
    """The sandbox on a port, raw servers and bare ports, and the counts a row checks."""

    def __init__(self, box: Sandbox, served: SandboxServer) -> None:
        self.box, self.served = box, served
        self.raws: list[RawServer] = []
        self.late: list[SandboxServer] = []
        self.hooks: list[Callable[[], None]] = []  # run at the first retry, once
        self.conn_kwargs: dict[str, Any] = {}
        self.method = "GET"
        self._closers: list[Callable[[], None]] = []

    # where the fault lives
    def sandbox(self, kind: str, **kw: Any) -> str:
        self.box.faults.add(kind, path="/Messages", **kw)
        return self.served.url

    def rate_limited(self, per_second: float) -> str:
        self.box.set_rate_limit(per_second, burst=1, retry_after=0.05)
        return self.served.url

    def raw(self, *script: Behaviour) -> str:
        server = RawServer(list(script))
        self.raws.append(server)
        return server.url

    def refused(self, *, comes_up: bool) -> str:
        """A port nothing listens on; with ``comes_up`` the sandbox starts there at the first
        retry."""
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        probe.close()
        if comes_up:
            self.hooks.append(lambda: self.late.append(self.box.serve(port)))
        return f"http://127.0.0.1:{port}"

    def unaccepting(self, *, comes_up: bool) -> str:
        """A port whose backlog is full, so a connect hangs until the Connection Timeout;
        with ``comes_up`` the sandbox takes the port over at the first retry."""
        port, close = full_backlog_port()
        self._closers.append(close)
        if comes_up:
            def take_over() -> None:
                close()
                self.late.append(self.box.serve(port))

            self.hooks.append(take_over)
        self.conn_kwargs["connection_timeout_ms"] = 150
        return f"http://127.0.0.1:{port}"

    def on_retry(self, event: RetryEvent) -> None:
        while self.hooks:
            self.hooks.pop(0)()

    # what reached the servers
    def posts(self) -> int:
        return self.box.stats.count("POST", "/Messages") + sum(r.count("POST") for r in self.raws)

    def created(self) -> int:
        return len(self.box.stats.created)

    def connection(self, address: str, **kw: Any) -> tw.Connection:
        raw = any(address == r.url for r in self.raws)
        options: dict[str, Any] = {"credential": "sandbox", "backoff_base_s": 0.01,
                                   "max_retries": 2, "response_timeout_ms": 300,
                                   "on_retry": self.on_retry, **self.conn_kwargs, **kw}
        if raw:
            options["credential"] = UserCredentials(sandbox.API_KEY_SID, "raw-server-secret")
            options["account_sid"] = ACCOUNT
        return tw.Connection(address, **options)

    def close(self) -> None:
        for server in self.raws:
            server.stop()
        for late in self.late:
            late.stop()
        for close in self._closers:
            close()
        self.box.faults.clear()
        self.box.set_rate_limit(None)
        self.box.stats.clear()


# -- bodies the raw server answers with --------------------------------------------------------

def _message(i: int) -> dict[str, Any]:
    return {"sid": f"SM{i:032x}", "account_sid": ACCOUNT, "to": "+14155552672",
            "from": "+14155552671", "body": f"message {i}", "status": "delivered",
            "num_media": "0", "date_created": "Thu, 24 Aug 2023 05:01:45 +0000"}


def _page(n: int, next_uri: str | None = None) -> bytes:
    return json.dumps({"messages": [_message(i) for i in range(n)], "next_page_uri": next_uri,
                       "page": 0, "page_size": n, "uri": LIST_PATH}).encode()


LIST_OK = Behaviour("ok", body=_page(PAGE))
SENT_OK = Behaviour("ok", status=201, body=json.dumps(_message(7)).encode())
LOOP_URI = LIST_PATH + "?PageSize=20&Page=1&PageToken=PAloop"
CSV_CUT = (b"Sid,AccountSid,To,From,Body,Status\r\n"
           + b"".join(f"SM{i:032x},{ACCOUNT},+14155552672,+14155552671,hi {i},sent\r\n".encode()
                      for i in range(10)) + b"SM" + b"f" * 32 + b"," + ACCOUNT.encode())
HTML_200 = (b"<!DOCTYPE html><html><head><title>Sign in to the guest Wi-Fi</title></head>"
            b"<body><form>...</form></body></html>")
SEE_OTHER = Behaviour("ok", status=303, body=b"", headers=(
    ("Location", f"/2010-04-01/Accounts/{ACCOUNT}/Messages/SM{7:032x}.json"),))


def ok_for(method: str) -> Behaviour:
    return SENT_OK if method == "POST" else LIST_OK


# -- the table -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Fault:
    """One row: the fault, the call it meets and the outcome a user sees.

    ``call``: ``GET`` (a page of List Messages), ``POST`` (Send Message) or ``WALK`` (every
    page of List Messages; the fault is met on page 3). ``outcome`` None: the call succeeds.
    ``posts``/``created``: POSTs that reach a server and messages made (POST rows).
    ``on_read``: the answer came, and the error is met when it is read (``r.df``); a cell
    shows the error in place of the table."""

    id: str
    call: str
    arrange: Callable[[Rig], str]
    outcome: type[Exception] | None = None
    says: str = ""
    todo: str = ""
    fmt: str = "json"
    posts: int = 1
    created: int | None = None
    rows: int = PAGE
    on_read: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def S(kind: str, **kw: Any) -> Callable[[Rig], str]:  # noqa: N802 - reads like a table cell
    return lambda rig: rig.sandbox(kind, **kw)


def R(first: str, **kw: Any) -> Callable[[Rig], str]:  # noqa: N802
    return lambda rig: rig.raw(Behaviour(first, **kw), ok_for(rig.method))


NOT_AGAIN = r"did not send this POST again.*Check"
GAVE_UP = r"gave up after 2 retries"
LOST = r"broke before the answer was complete"

FAULTS: list[Fault] = [
    # -- GET: retried to success --------------------------------------------------------
    Fault("refused-then-up", "GET", lambda rig: rig.refused(comes_up=True)),
    Fault("connect-timeout-then-up", "GET", lambda rig: rig.unaccepting(comes_up=True)),
    Fault("read-timeout", "GET", S("delay", delay=1.0, count=1)),
    Fault("reset-before-answer", "GET", S("reset", count=1)),
    Fault("reset-mid-body", "GET", R("reset_mid_body")),
    Fault("truncated-body", "GET", S("truncate", count=1)),
    Fault("http-500", "GET", S("status", status=500, count=1)),
    Fault("http-502", "GET", S("status", status=502, count=1)),
    Fault("http-503", "GET", S("status", status=503, count=1)),
    Fault("429-storm", "GET", S("status", status=429, count=2)),
    Fault("proxy-html-502", "GET", S("html", count=1)),
    Fault("empty-200", "GET", S("empty", count=1)),
    Fault("closed-without-answer", "GET", R("close")),
    Fault("not-http", "GET", R("garbage")),
    Fault("headers-then-stall", "GET", R("stall_headers")),
    Fault("no-answer-at-all", "GET", R("stall")),
    Fault("content-type-text-plain", "GET", S("content_type", count=1)),
    Fault("content-type-says-xml", "GET", S("content_type", content_type="application/xml")),
    Fault("content-type-says-html", "GET", S("content_type", content_type="text/html")),
    Fault("content-type-wrong-xml-body", "GET", S("content_type", content_type="text/csv"),
          fmt="xml"),
    Fault("oversized-page", "GET", lambda rig: rig.raw(Behaviour("ok", body=_page(3000))),
          rows=3000),
    # -- GET: a TwilioError that says what happened and what to do ------------------------
    Fault("refused", "GET", lambda rig: rig.refused(comes_up=False), tw.TransportError,
          r"Could not connect to http://127\.0\.0\.1", r"Check the Address"),
    Fault("connect-timeout", "GET", lambda rig: rig.unaccepting(comes_up=False),
          tw.TwilioTimeoutError, r"Connection Timeout fired.*150 ms", r"Check the Address"),
    Fault("read-timeout-always", "GET", S("delay", delay=1.0), tw.TwilioTimeoutError,
          r"Response Timeout fired.*300 ms", r"Raise response_timeout_ms.*" + GAVE_UP),
    Fault("http-503-always", "GET", S("status", status=503), tw.TwilioApiError,
          r"HTTP 503", GAVE_UP + r".*try again later"),
    Fault("429-storm-always", "GET", S("status", status=429), tw.TwilioApiError,
          r"HTTP 429 \[Twilio error 20429\]", r"retries ran out; wait.*" + GAVE_UP),
    Fault("reset-always", "GET", S("reset"), tw.TransportError, LOST, GAVE_UP),
    Fault("empty-200-always", "GET", S("empty"), tw.ResponseFormatError,
          r"HTTP 200 with an empty body", GAVE_UP),
    Fault("proxy-html-502-always", "GET", S("html"), tw.TwilioApiError,
          r"HTTP 502.*HTML page \('502 Bad Gateway'\)", r"check the Address.*" + GAVE_UP),
    Fault("malformed-json", "GET", S("malformed", count=1), tw.ResponseFormatError,
          r"cannot be read as JSON: .*line 1, column", r"safe to send again", on_read=True),
    Fault("malformed-xml", "GET", S("malformed", count=1), tw.ResponseFormatError,
          r"cannot be read as XML", r"safe to send again", fmt="xml", on_read=True),
    Fault("malformed-csv", "GET", lambda rig: rig.raw(Behaviour(
        "ok", body=CSV_CUT, content_type="text/csv")), tw.ResponseFormatError,
          r"cannot be read as CSV: the last row has 2 of 6 fields", r"safe to send again",
          fmt="csv", on_read=True),
    Fault("proxy-html-200", "GET", lambda rig: rig.raw(Behaviour(
        "ok", body=HTML_200, content_type="text/html")), tw.ResponseFormatError,
          r"HTML page.*Sign in to the guest Wi-Fi", r"check that the Address points to Twilio",
          on_read=True),
    Fault("body-without-end", "GET", R("endless"), tw.TransportError,
          r"larger than 1 MB", r"check the Address", extra={"max_response_bytes": 2**20}),
    Fault("terabyte-content-length", "GET", R("huge_length"), tw.TransportError,
          r"larger than 256 MB", r"smaller PageSize"),
    # -- POST: retried only where it was not processed -------------------------------------
    Fault("refused-then-up", "POST", lambda rig: rig.refused(comes_up=True), created=1),
    Fault("connect-timeout-then-up", "POST", lambda rig: rig.unaccepting(comes_up=True),
          created=1),
    Fault("429-storm", "POST", S("status", status=429, count=2), posts=3, created=1),
    Fault("content-type-says-xml", "POST", S("content_type", content_type="application/xml"),
          created=1),
    Fault("see-other-after-post", "POST", lambda rig: rig.raw(SEE_OTHER, Behaviour(
        "ok", body=json.dumps(_message(7)).encode()))),
    Fault("read-timeout", "POST", S("delay", delay=1.0, count=1), tw.TwilioTimeoutError,
          r"Response Timeout fired", NOT_AGAIN, created=1),
    Fault("reset-before-answer", "POST", S("reset", count=1), tw.TransportError, LOST,
          NOT_AGAIN, created=0),
    Fault("reset-mid-body", "POST", R("reset_mid_body"), tw.TransportError, LOST, NOT_AGAIN),
    Fault("truncated-body", "POST", S("truncate", count=1), tw.TransportError, LOST,
          NOT_AGAIN, created=1),
    Fault("dropped-after-processing", "POST", S("drop", count=1), tw.TransportError, LOST,
          NOT_AGAIN, created=1),
    Fault("http-500", "POST", S("status", status=500, count=1), tw.TwilioApiError,
          r"HTTP 500 \[Twilio error 20500\]", NOT_AGAIN, created=0),
    Fault("http-502", "POST", S("status", status=502, count=1), tw.TwilioApiError,
          r"HTTP 502", NOT_AGAIN, created=0),
    Fault("http-503", "POST", S("status", status=503, count=1), tw.TwilioApiError,
          r"HTTP 503", NOT_AGAIN, created=0),
    Fault("429-storm-always", "POST", S("status", status=429), tw.TwilioApiError,
          r"HTTP 429", r"retries ran out; wait.*" + GAVE_UP, posts=3, created=0),
    Fault("proxy-html-502", "POST", S("html", count=1), tw.TwilioApiError,
          r"HTML page \('502 Bad Gateway'\)", NOT_AGAIN, created=0),
    Fault("empty-200", "POST", S("empty", count=1), tw.ResponseFormatError,
          r"HTTP 200 with an empty body", NOT_AGAIN, created=0),
    Fault("malformed-json", "POST", S("malformed", count=1), tw.ResponseFormatError,
          r"cannot be read as JSON", r"POST itself succeeded.*Do not send it again",
          created=1, on_read=True),
    Fault("closed-without-answer", "POST", R("close"), tw.TransportError, LOST, NOT_AGAIN),
    Fault("not-http", "POST", R("garbage"), tw.TransportError, LOST, NOT_AGAIN),
    Fault("headers-then-stall", "POST", R("stall_headers"), tw.TwilioTimeoutError,
          r"Response Timeout fired", NOT_AGAIN),
    # -- WALK: every page; the fault meets page 3 (pages 1 and 2 are in hand) -------------
    Fault("http-503", "WALK", S("status", status=503, after=2, count=1)),
    Fault("reset-before-answer", "WALK", S("reset", after=2, count=1)),
    Fault("empty-200", "WALK", S("empty", after=2, count=1)),
    Fault("http-503-always", "WALK", S("status", status=503, after=2), tw.PagingError,
          r"Paging stopped after 40 records: HTTP 503", r"err.resume\(\)"),
    Fault("reset-always", "WALK", S("reset", after=2), tw.PagingError,
          r"Paging stopped after 40 records: .*" + LOST, r"err.resume\(\)"),
    Fault("empty-200-always", "WALK", S("empty", after=2), tw.PagingError,
          r"Paging stopped after 40 records: HTTP 200 with an empty body", r"err.resume\(\)"),
    Fault("read-timeout-always", "WALK", S("delay", delay=1.0, after=2), tw.PagingError,
          r"Paging stopped after 40 records: Response Timeout", r"err.resume\(\)"),
    Fault("429-storm-always", "WALK", S("status", status=429, after=2), tw.PagingError,
          r"Paging stopped after 40 records: HTTP 429", r"err.resume\(\)"),
    Fault("proxy-html-502-always", "WALK", S("html", after=2), tw.PagingError,
          r"Paging stopped after 40 records: HTTP 502.*HTML", r"err.resume\(\)"),
    Fault("malformed-json", "WALK", S("malformed", after=2, count=1), tw.PagingError,
          r"Paging stopped after 40 records: The answer cannot be read as JSON",
          r"err.resume\(\)"),
    Fault("page-loop", "WALK", lambda rig: rig.raw(Behaviour("ok", body=_page(PAGE, LOOP_URI))),
          tw.PagingError, r"next page a second time: stopping instead of looping",
          r"err.partial holds the records fetched so far"),
]
IDS = [f"{f.call}-{f.id}" for f in FAULTS]
assert len(set(IDS)) == len(IDS), "every row has its own id"
