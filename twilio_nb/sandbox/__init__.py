"""An offline Twilio: a local, stateful Twilio REST API for notebooks, tests and benchmarks.

``Sandbox()`` answers every operation of the catalog like Twilio does: same paths, the same
JSON, XML and CSV, the same errors and paging, with state (a message sent shows up in List
Messages; a deleted one is gone). Two ways in::

    sandbox = Sandbox()                                     # 2,500 seeded messages, seed 7
    httpx.Client(transport=sandbox.transport(), base_url="https://api.twilio.com")   # no port
    with sandbox.serve() as server:                         # http://127.0.0.1:<port>
        httpx.get(server.url + "/2010-04-01/Accounts/.../Messages.json", auth=sandbox.auth())

or ``python -m twilio_nb.sandbox --port 4010``. The account is fixed and public
(:data:`ACCOUNT_SID` + :data:`AUTH_TOKEN`, or :data:`API_KEY_SID` + :data:`API_KEY_SECRET`); it
opens nothing but the sandbox, and the sandbox shows it masked. Every answer carries the header
``X-Twilio-Sandbox: twilio_nb sandbox``.

What to practise against: ``sandbox.faults.add(...)`` (see ``faults``), ``set_rate_limit``,
Twilio's magic test numbers (see ``behaviours``) and the sandbox's own that fail after sending
(see ``lifecycle``); what to assert on: ``sandbox.stats``.

Webhooks: messages, calls and conference participants live on the sandbox's clock
(``lifecycle``), call back to their ``StatusCallback`` signed as Twilio signs (``callbacks``),
and ``receive_message`` posts an incoming message to a number's ``SmsUrl`` (``incoming``);
``advance(seconds)`` moves the clock on at once. ``Sandbox(clock="manual")``: a clock that
moves only by ``advance``, to step through a message's life exactly.

Modules: ``app`` (the core), ``handlers`` (the operations), ``behaviours`` (resource rules),
``state_protocol`` (what they use of ``app``), ``routes``, ``store`` (the records),
``bodies`` (JSON, XML and CSV bodies), ``resources``, ``seed`` / ``seed_voice`` /
``record_builder`` / ``rows`` (seeded data), ``names``, ``media``, ``faults``,
``request_stats`` (what the sandbox saw), ``server``, ``transport``.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from ..errors import ConfigurationError
from .app import App, SandboxResponse
from .callbacks import TIMEOUT as CALLBACK_TIMEOUT
from .callbacks import Delivery
from .constants import (
    ACCOUNT_SID,
    API_KEY_SECRET,
    API_KEY_SID,
    AUTH_TOKEN,
    CREDENTIAL_NAME,
    SANDBOX_HOST_HEADER,
    SANDBOX_HOST_VALUE,
)
from .faults import KINDS as FAULT_KINDS
from .faults import Fault, Faults, InFlight, RateLimiter
from .incoming import Incoming, receive
from .lifecycle import CLOCKS
from .names import mask
from .request_stats import AuthSeen, Stats
from .server import SandboxServer
from .transport import SandboxTransport

__all__ = [
    "ACCOUNT_SID",
    "API_KEY_SECRET",
    "API_KEY_SID",
    "AUTH_TOKEN",
    "CREDENTIAL_NAME",
    "FAULT_KINDS",
    "SANDBOX_HOST_HEADER",
    "SANDBOX_HOST_VALUE",
    "AuthSeen",
    "Delivery",
    "Fault",
    "Faults",
    "InFlight",
    "Incoming",
    "Sandbox",
    "SandboxResponse",
    "SandboxServer",
    "SandboxTransport",
    "Stats",
    "credentials",
    "mask",
]

MAX_MESSAGES = 5_000_000


def credentials(kind: str = "auth_token") -> tuple[str, str]:
    """(user, password) of the sandbox account: ``auth_token`` (Account SID + auth token) or
    ``api_key`` (key SID + secret)."""
    if kind == "auth_token":
        return ACCOUNT_SID, AUTH_TOKEN
    if kind == "api_key":
        return API_KEY_SID, API_KEY_SECRET
    raise ConfigurationError(f"Unknown credential kind {kind!r}; use 'auth_token' or 'api_key'.",
                             field="auth_type")


class Sandbox:
    """A local Twilio with seeded, deterministic state.

    ``messages``: how many messages to seed (2,500 by default; 200,000 build in a couple of
    seconds), spread evenly over the ``message_days`` days (180 by default) that end on
    2025-06-30 12:00 UTC (more a day: a smaller window). ``seed``: the same seed gives the
    same data. ``rate_limit``: requests a second
    before 429 (None: no limit), ``retry_after``: seconds to announce in ``Retry-After``
    (with the rate limit or the concurrency limit). ``latency_ms``: every answer is handed
    over that long after its request was read, the sandbox's own work included (concurrent
    requests overlap their waits), as a real Twilio takes a few hundred ms a page.
    ``concurrency_limit``: beyond that many requests in flight, 429 with code 20429 and
    ``Retry-After`` (``retry_after``, default 1 s), as Twilio's per-account concurrency limit
    answers.
    ``callback_timeout``: seconds a status callback may take before it counts as failed.
    ``clock``: ``"real"`` (the default) runs the sandbox's clock in real time, moved on at once
    by :meth:`advance`; ``"manual"`` stops it at the time the sandbox was made, and only
    :meth:`advance` moves it, so messages, calls and participants change state exactly at the
    steps you take, however slow the machine (a message sent is ``queued`` and calls back
    ``queued`` at once; ``advance(0.1)``: ``sending``, ``advance(0.3)`` more: ``sent``,
    ``advance(0.4)`` more: ``delivered``; see ``lifecycle``).
    """

    def __init__(self, *, messages: int = 2500, seed: int = 7, rate_limit: float | None = None,
                 retry_after: float | None = None, latency_ms: float = 0,
                 concurrency_limit: int | None = None,
                 callback_timeout: float = CALLBACK_TIMEOUT, clock: str = "real",
                 message_days: int = 180) -> None:
        if isinstance(messages, bool) or not isinstance(messages, int) \
                or not 0 <= messages <= MAX_MESSAGES:
            raise ConfigurationError(f"messages must be an integer from 0 to {MAX_MESSAGES:,}, "
                                     f"got {messages!r}.", field="messages")
        if isinstance(message_days, bool) or not isinstance(message_days, int) \
                or not 1 <= message_days <= 400:
            raise ConfigurationError(f"message_days must be an integer from 1 to 400 (the days "
                                     f"the messages spread over), got {message_days!r}.",
                                     field="message_days")
        if isinstance(seed, bool) or not isinstance(seed, int):
            raise ConfigurationError(f"seed must be an integer, got {seed!r}.", field="seed")
        if rate_limit is None and concurrency_limit is None and retry_after is not None:
            raise ConfigurationError("retry_after only applies with a rate_limit or a "
                                     "concurrency_limit; give one of them too.",
                                     field="retry_after")
        if clock not in CLOCKS:
            raise ConfigurationError(f"clock must be 'real' (real time plus every advance()) or "
                                     f"'manual' (moved by advance() only), got {clock!r}.",
                                     field="clock")
        self._identity = secrets.token_hex(4)  # which sandbox: a checkpoint records it
        self.faults = Faults()
        self.stats = Stats()
        self._app = App(account_sid=ACCOUNT_SID,
                        credentials={ACCOUNT_SID: AUTH_TOKEN, API_KEY_SID: API_KEY_SECRET},
                        messages=messages, seed=seed, faults=self.faults, stats=self.stats,
                        manual_clock=clock == "manual", message_days=message_days)
        if isinstance(callback_timeout, bool) or not isinstance(callback_timeout, int | float) \
                or not 0 < callback_timeout <= 60:
            raise ConfigurationError(f"callback_timeout must be seconds, more than 0 and at most "
                                     f"60, got {callback_timeout!r}.", field="callback_timeout")
        self._app.lifecycle.callbacks.timeout = float(callback_timeout)
        if rate_limit is not None:
            self.set_rate_limit(rate_limit, retry_after=retry_after)
        self.latency_ms = latency_ms
        if concurrency_limit is not None:
            self.set_concurrency_limit(concurrency_limit,
                                       retry_after=1.0 if retry_after is None else retry_after)

    account_sid = ACCOUNT_SID

    @property
    def identity(self) -> str:
        """This sandbox's own random id (8 hex digits, made with it): every sandbox has the
        same public account, so a checkpoint tells sandboxes apart by this."""
        return self._identity

    @property
    def messages(self) -> int:
        """How many messages were seeded."""
        return self._app.messages

    @property
    def seed(self) -> int:
        return self._app.seed

    @staticmethod
    def auth(kind: str = "auth_token") -> tuple[str, str]:
        """(user, password) for HTTP Basic: see :func:`credentials`."""
        return credentials(kind)

    def handle(self, method: str, path: str, query: list[tuple[str, str]] | None = None,
               headers: dict[str, str] | None = None, body: bytes = b"") -> SandboxResponse:
        """Answer one request directly (no HTTP): the core both adapters use."""
        return self._app.handle(method, path, query or [], headers or {}, body)

    def transport(self) -> SandboxTransport:
        """An httpx transport answered in-process (no port)."""
        return SandboxTransport(self._app)

    def serve(self, port: int = 0, host: str = "127.0.0.1") -> SandboxServer:
        """Serve on ``host:port`` (0: a free port) in background threads; returns at once,
        ready. Stop with ``.stop()`` or a ``with`` block."""
        if not isinstance(port, int) or not 0 <= port <= 65535:
            raise ConfigurationError(f"port must be 0 to 65535, got {port!r}.", field="port")
        return SandboxServer(self._app, self.stats, host, port)

    def set_rate_limit(self, per_second: float | None, *, retry_after: float | None = None,
                       burst: int | None = None) -> None:
        """Answer 429 (code 20429) beyond ``per_second`` requests a second (``burst`` at
        once); ``None`` switches the limit off."""
        if per_second is None:
            self._app.set_rate_limit(None)
            return
        self._app.set_rate_limit(RateLimiter(per_second, retry_after=retry_after, burst=burst))

    @property
    def latency_ms(self) -> float:
        """Milliseconds every answer is delayed (0: none)."""
        return self._app.latency_s * 1000

    @latency_ms.setter
    def latency_ms(self, ms: float) -> None:
        if isinstance(ms, bool) or not isinstance(ms, int | float) or not 0 <= ms <= 600_000:
            raise ConfigurationError(f"latency_ms must be a number of milliseconds from 0 to "
                                     f"600000, got {ms!r}.", field="latency_ms")
        self._app.latency_s = ms / 1000

    def set_concurrency_limit(self, limit: int | None, *, retry_after: float = 1.0) -> None:
        """Answer 429 (code 20429, ``Retry-After: retry_after``) beyond ``limit`` requests in
        flight; ``None`` switches the limit off."""
        self._app.in_flight = None if limit is None else InFlight(limit, retry_after=retry_after)

    @property
    def concurrency_limit(self) -> InFlight | None:
        """The concurrency limit in force (its ``peak`` and ``refused`` counts), if any."""
        return self._app.in_flight

    @property
    def rate_limit(self) -> RateLimiter | None:
        return self._app.limiter

    # -- webhooks (see lifecycle, callbacks, incoming) --

    def advance(self, seconds: float) -> None:
        """Move the sandbox's clock on by ``seconds`` at once: every state that falls due
        happens, in order, and every status callback due is attempted before this returns
        (waiting at most ~10 s for slow endpoints)."""
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) \
                or not 0 <= seconds <= 10 * 365 * 86400:
            raise ConfigurationError(f"seconds must be a number from 0 to ten years, got "
                                     f"{seconds!r}.", field="seconds")
        self._app.lifecycle.advance(float(seconds))

    @property
    def now(self) -> float:
        """The sandbox's clock, epoch seconds: real time plus every ``advance``, or with
        ``clock="manual"`` the time the sandbox was made plus every ``advance``."""
        return self._app.now()

    @property
    def clock(self) -> str:
        """``"real"`` or ``"manual"`` (see the class)."""
        return "manual" if self._app.lifecycle.manual else "real"

    @property
    def deliveries(self) -> list[Delivery]:
        """The last 1,000 webhook attempts, oldest first: URL, event, HTTP status or error."""
        return list(self._app.lifecycle.callbacks.log)

    def receive_message(self, from_: str, to: str, body: str = "",
                        media_urls: Iterable[str] = ()) -> Incoming:
        """Someone texts ``to`` (a number of the sandbox): the inbound message is added, Twilio's
        webhook posted to the number's ``SmsUrl``, and each ``<Message>`` of the TwiML answer
        sent as a reply (see ``incoming``)."""
        return receive(self._app, from_, to, body, media_urls)

    def reset(self) -> None:
        """Back to the seeded state (faults, rate limit and stats stay as they are)."""
        self._app.reset()

    def __repr__(self) -> str:
        limit = f", rate limit {self._app.limiter.per_second:g}/s" if self._app.limiter else ""
        if self._app.in_flight is not None:
            limit += f", {self._app.in_flight.limit} requests in flight"
        if self._app.latency_s:
            limit += f", latency {self.latency_ms:g} ms"
        if self._app.lifecycle.manual:
            limit += ", manual clock"
        return (f"<Sandbox twilio_nb sandbox: account {mask(ACCOUNT_SID)}, token "
                f"{mask(AUTH_TOKEN)}, {self.messages:,} messages, seed {self.seed}{limit}>")
