"""Connection: the adapter's Connection tab, and the calls of its Processing tab.

    conn = tw.Connection(auth_type="api_key", credential="prod", account_sid="AC...")
    r = conn.basic("Message", "Send Message", body={...})
    r = conn.advanced("GET", "/2010-04-01/Accounts/:AccountSid/Calls", query="To=+1...")

``tw.connect(...)`` (:mod:`.default`) builds one and makes it the default for the front ends;
``conn.run(built, walk)`` is a front end's whole action (send, then walk or export).

Imports the layers below (answers, paging's face, transport, request, catalog); never
webhooks, a front end or the sandbox (that plugs in through :mod:`.sandbox_seam`).
"""

from __future__ import annotations

import dataclasses
import os
import time
import warnings
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import httpx

from .. import catalog
from .._version import __version__
from ..answers.result import Origin, Result
from ..cassette import Player, Recorder
from ..errors import ConfigurationError, TwilioWarning
from ..paging import WalkOptions, before_sending, finish
from ..request.build import build_advanced, build_basic
from ..request.built import BuiltRequest
from ..request.target import Target
from ..request.urls import may_carry_credentials
from ..transport.executor import Executor
from ..transport.gate import Gate
from ..transport.retry import RetryEvent, RetryPolicy
from ..transport.trace import history_frame
from ..vocabulary import AUTH_TYPES
from .account import account_of
from .cassettes import batch_sender, recording, replaying
from .credentials import CredentialStore, ResolvedCredentials, UserCredentials, mask
from .sandbox_seam import SANDBOX_CREDENTIAL, SandboxLike, sandbox_source, shared_sandbox
from .settings import DEFAULT_ADDRESS, DEFAULTS, SANDBOX_ADDRESS, ConnectionSettings

if TYPE_CHECKING:
    from typing import Unpack

    import pandas as pd

    from ..batch import Batch, BatchOptions
    from ..bulk_export import BulkExport, ExportOptions


__all__ = ["Connection"]


class Connection:
    """The adapter's Connection tab: where to, as whom, how long to wait.

    Every keyword but the collaborators (``transport``, ``on_retry``, ``trace``, ``environ``,
    ``store``) is a field of :class:`~.settings.ConnectionSettings`, where its default, check
    and help are (``conn.settings``; :meth:`from_settings` builds one from them).
    ``credential`` is a stored credential's name (or ``"sandbox"``), or
    ``UserCredentials(user, password)``; with none, the environment and the twilio-cli are
    asked (:mod:`.account`). ``transport`` is any httpx transport (the one network seam).
    ``record=PATH`` writes the session to a scrubbed cassette (``record=`` another
    connection's ``recorder`` goes on with its recording), ``replay=PATH`` answers from one
    with no account and no network (:mod:`.cassettes`, docs/record-replay.md).
    """

    def __init__(self, address: str = DEFAULTS.address, auth_type: str | None = None,
                 credential: str | UserCredentials | None = None, account_sid: str | None = None,
                 reuse_connection: bool = DEFAULTS.reuse_connection,
                 connection_timeout_ms: int = DEFAULTS.connection_timeout_ms,
                 response_timeout_ms: int = DEFAULTS.response_timeout_ms,
                 region: str | None = None, edge: str | None = None,
                 transport: httpx.BaseTransport | None = None, *,
                 sandbox: bool | SandboxLike = False, max_retries: int = DEFAULTS.max_retries,
                 retry_budget_s: float = DEFAULTS.retry_budget_s,
                 backoff_base_s: float = DEFAULTS.backoff_base_s,
                 on_retry: Callable[[RetryEvent], None] | None = None, trace: bool = False,
                 environ: Mapping[str, str] | None = None,
                 store: CredentialStore | None = None,
                 max_response_bytes: int = DEFAULTS.max_response_bytes,
                 record: str | os.PathLike[str] | Recorder | None = None,
                 scrub: Any = DEFAULTS.scrub, replay: str | os.PathLike[str] | None = None,
                 fallback: str | None = None) -> None:
        self.settings = ConnectionSettings(
            sandbox=sandbox, address=address, credential=credential, auth_type=auth_type,
            account_sid=account_sid, reuse_connection=reuse_connection,
            connection_timeout_ms=connection_timeout_ms,
            response_timeout_ms=response_timeout_ms, region=region, edge=edge,
            max_retries=max_retries, retry_budget_s=retry_budget_s,
            backoff_base_s=backoff_base_s, max_response_bytes=max_response_bytes,
            record=record, scrub=scrub, replay=replay, fallback=fallback).checked()
        self._open(self.settings, transport, on_retry=on_retry, trace=trace, environ=environ,
                   store=store)

    @classmethod
    def from_settings(cls, settings: ConnectionSettings, *,
                      transport: httpx.BaseTransport | None = None,
                      on_retry: Callable[[RetryEvent], None] | None = None, trace: bool = False,
                      environ: Mapping[str, str] | None = None,
                      store: CredentialStore | None = None) -> Connection:
        """A new Connection of ``settings`` (what front ends build: they make new settings
        with ``dataclasses.replace`` and never change a live connection)."""
        return cls(**settings.arguments(), transport=transport, on_retry=on_retry, trace=trace,
                   environ=environ, store=store)

    def _open(self, s: ConnectionSettings, transport: httpx.BaseTransport | None, *,
              on_retry: Callable[[RetryEvent], None] | None, trace: bool,
              environ: Mapping[str, str] | None, store: CredentialStore | None) -> None:
        self.sandbox: SandboxLike | None = None
        self.replay: Player | None = None
        self.recorder: Recorder | None = None
        self._holds_recorder = False
        replayed: ResolvedCredentials | None = None
        address, credential = s.address, s.credential
        if s.replay is not None:
            self.replay, replayed = replaying(s.replay, s.fallback, account_sid=s.account_sid,
                                              auth_type=s.auth_type, given=dict(
                record=s.record, sandbox=s.sandbox, credential=credential, transport=transport))
            transport = self.replay.transport()
        if s.sandbox:
            self.sandbox = shared_sandbox() if s.sandbox is True else s.sandbox
            assert self.sandbox is not None
            if transport is None:
                transport = self.sandbox.transport()
                address = SANDBOX_ADDRESS if address == DEFAULT_ADDRESS else address
            credential = SANDBOX_CREDENTIAL if credential is None else credential
        self.address = address
        self.connection_timeout_ms = s.connection_timeout_ms
        self.response_timeout_ms = s.response_timeout_ms
        self.reuse_connection = s.reuse_connection
        self.region, self.edge = s.region, s.edge
        resolved = replayed if replayed is not None else account_of(credential, s, environ,
                                                                    store)
        self._resolved = resolved
        self.auth_type = resolved.auth_type
        self.account_sid = resolved.account_sid
        self.credential_source = resolved.source
        self.display_rows = 20
        fresh = transport is None and s.record is None
        if s.record is not None:
            self.recorder, transport = recording(s.record, s.scrub, transport, resolved,
                                                 s.max_response_bytes)
            self._holds_recorder = True
        self._transport = transport
        self._executor = Executor(
            client_factory=self._new_client, reuse_connection=self.reuse_connection,
            auth=None if self.replay else (resolved.credentials.user,
                                           resolved.credentials.password),
            trusted=self.is_trusted, connect_timeout_ms=self.connection_timeout_ms,
            response_timeout_ms=self.response_timeout_ms,
            policy=RetryPolicy(s.max_retries, s.retry_budget_s, s.backoff_base_s),
            on_retry=on_retry, trace=trace, fresh_client_per_call=fresh,
            max_response_bytes=s.max_response_bytes)

    # -- description -----------------------------------------------------------------------
    @property
    def is_sandbox(self) -> bool:
        return self.sandbox is not None or self._resolved.source == SANDBOX_CREDENTIAL

    @property
    def target(self) -> Target:
        """Where requests go (account, address, region/edge, which sandbox): files record it."""
        return Target(self.account_sid, SANDBOX_ADDRESS if self.sandbox else self.address,
                      self.region, self.edge, self.sandbox.identity if self.sandbox else None)

    @property
    def auth_token(self) -> str | None:
        """What Twilio signs webhooks with, where the connection has it (an auth-token
        credential, the sandbox's account); None with an API key on a real account."""
        if self.is_sandbox:
            return sandbox_source().account("auth_token").password
        if self.auth_type == "auth_token":
            return self._resolved.credentials.password
        return None

    @property
    def user(self) -> str:
        """The credential's user, masked."""
        return mask(self._resolved.credentials.user)

    def __repr__(self) -> str:
        where = "sandbox (offline)" if self.is_sandbox else self.address
        return (f"Connection({where}, {AUTH_TYPES[self.auth_type]}, user={self.user}, "
                f"account={mask(self.account_sid)}, from {self.credential_source}, "
                f"reuse={self.reuse_connection}, timeouts={self.connection_timeout_ms}/"
                f"{self.response_timeout_ms} ms)")

    def whoami(self) -> dict[str, str]:
        return {"address": "sandbox (offline, in-process)" if self.sandbox else self.address,
                "auth_type": AUTH_TYPES[self.auth_type], "user": self.user,
                "account_sid": mask(self.account_sid), "source": self.credential_source,
                "region": self.region or "", "edge": self.edge or ""}

    # -- the session's switch, and what the settings made --------------------------------
    @property
    def trace(self) -> bool:
        return self._executor.trace

    @trace.setter
    def trace(self, on: bool) -> None:
        self._executor.trace = bool(on)

    @property
    def retry_policy(self) -> RetryPolicy:  # as the settings made it (a new one: a new conn)
        return self._executor.policy

    @property
    def on_retry(self) -> Callable[[RetryEvent], None] | None:
        """Called with each retry (a hook of the session, like ``trace``; not a setting)."""
        return self._executor.on_retry

    @on_retry.setter
    def on_retry(self, callback: Callable[[RetryEvent], None] | None) -> None:
        self._executor.on_retry = callback

    def gated(self, limit: int) -> Gate:
        """A gate for a ``with`` block (:mod:`~twilio_nb.transport.gate`): what is sent with it
        (``execute(built, gate=gate)``) is at most ``limit`` in flight, other walks untouched;
        closed at the end, so a request of it still out is not tried again."""
        return Gate(limit)

    @property
    def history(self) -> pd.DataFrame:
        """Every request sent on this connection: method, URL, status, duration, retries."""
        frame: pd.DataFrame = history_frame(self._executor.history)
        return frame

    # -- hosts -----------------------------------------------------------------------------
    def is_trusted(self, url: httpx.URL) -> bool:
        """May credentials go to ``url``? Only to the Address, and to Twilio's hosts (over
        HTTPS) when the Address is a Twilio one."""
        return may_carry_credentials(self.address, url)

    def _new_client(self, timeout: httpx.Timeout) -> httpx.Client:
        """A client to this connection's transport (the network when none), with the
        executor's timeouts."""
        headers = {"User-Agent": f"twilio_nb/{__version__}"}
        if self._transport is not None:
            return httpx.Client(transport=self._transport, timeout=timeout, headers=headers,
                                follow_redirects=False)
        return httpx.Client(timeout=timeout, headers=headers, follow_redirects=False,
                            http2=False)

    # -- the Processing tab ----------------------------------------------------------------
    def build_basic(self, entity: str, operation: str, params: Mapping[str, Any] | None = None,
                    body: Mapping[str, Any] | str | None = None, query: Any = None,
                    next_page_uri: str | None = None, response_format: str = "json",
                    request_headers: str | None = None,
                    headers: Mapping[str, str] | None = None) -> BuiltRequest:
        """The request ``basic(...)`` would send, without sending it."""
        op = catalog.find(entity, operation)
        if not (params and params.get("AccountSid")):
            self._need_account(op)
        return build_basic(op, address=self.address, account_sid=self.account_sid,
                           params=params, body=body, query=query, next_page_uri=next_page_uri,
                           response_format=response_format, request_headers=request_headers,
                           headers=headers, region=self.region, edge=self.edge)

    def build_advanced(self, method: str, relative_url: str, body: Any = None,
                       send_body: bool | None = None, query: Any = None,
                       response_format: str = "json", request_headers: str | None = None,
                       headers: Mapping[str, str] | None = None,
                       params: Mapping[str, Any] | None = None) -> BuiltRequest:
        """The request ``advanced(...)`` would send, without sending it."""
        return build_advanced(method, relative_url, address=self.address,
                              account_sid=self.account_sid, params=params, body=body,
                              send_body=send_body, query=query, response_format=response_format,
                              request_headers=request_headers, headers=headers,
                              region=self.region, edge=self.edge)

    def basic(self, entity: str, operation: str, params: Mapping[str, Any] | None = None,
              body: Mapping[str, Any] | str | None = None, query: Any = None,
              next_page_uri: str | None = None, response_format: str = "json",
              request_headers: str | None = None, response_headers: str | None = "*",
              headers: Mapping[str, str] | None = None) -> Result:
        """The adapter's Basic configuration: an Entity and an Operation from the catalog."""
        built = self.build_basic(entity, operation, params=params, body=body, query=query,
                                 next_page_uri=next_page_uri, response_format=response_format,
                                 request_headers=request_headers, headers=headers)
        return self.execute(built, response_headers=response_headers)

    def advanced(self, method: str, relative_url: str, body: Any = None,
                 send_body: bool | None = None, query: Any = None,
                 response_format: str = "json", request_headers: str | None = None,
                 response_headers: str | None = "*", headers: Mapping[str, str] | None = None,
                 params: Mapping[str, Any] | None = None) -> Result:
        """The adapter's Advanced configuration: an HTTP method and a relative URL."""
        built = self.build_advanced(method, relative_url, body=body, send_body=send_body,
                                    query=query, response_format=response_format,
                                    request_headers=request_headers, headers=headers,
                                    params=params)
        return self.execute(built, response_headers=response_headers)

    def fetch_content(self, uri: str) -> Result:
        """GET the file a media or recording URI names (relative, or on a trusted host), as
        written: no ``.json`` added; credentials follow the usual rule."""
        path = uri.strip().split("?", 1)[0]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", TwilioWarning)  # "RE....wav" is no SID: expected
            built = self.build_advanced("GET", uri)
        url = httpx.URL(built.url)
        last = path.rstrip("/").rsplit("/", 1)[-1]
        if "." not in last:  # the core gave a 2010 path the format's suffix: take it off
            url = url.copy_with(path=url.path.removesuffix("." + built.response_format))
        return self.execute(dataclasses.replace(built, url=str(url), warnings=()))

    def batch(self, entity: str, operation: str, rows: Any, *, params: Any = None,
              query: Any = None, body: Any = None, **options: Unpack[BatchOptions]) -> Batch:
        """One request of a catalog operation per row; ``options``: concurrency, dry_run,
        checkpoint, status_callback, progress, resend_unknown, cancel (see
        :mod:`twilio_nb.batch`)."""
        from ..batch import BasicSpec, run_batch  # deferred: the batch loads pandas when run

        return run_batch(batch_sender(self), BasicSpec(entity, operation, params, query, body),
                         rows, **options)

    def batch_advanced(self, method: str, relative_url: str, rows: Any, *, params: Any = None,
                       query: Any = None, body: Any = None,
                       **options: Unpack[BatchOptions]) -> Batch:
        """:meth:`batch` by HTTP method and relative URL; the same ``options``."""
        from ..batch import AdvancedSpec, run_batch  # deferred: see batch

        return run_batch(batch_sender(self),
                         AdvancedSpec(method, relative_url, params, query, body), rows,
                         **options)

    def bulk_export(self, resource: str, since: Any, until: Any,
                    **options: Unpack[ExportOptions]) -> BulkExport:
        """Twilio's Bulk Export of a resource's days as one typed frame (docs/bulk.md)."""
        from ..bulk_export import run_export  # deferred: loads pyarrow's JSON reader

        return run_export(self, self._transport, resource, since, until, **options)

    @property
    def credentials(self) -> UserCredentials:
        """The credential in use (its repr is masked)."""
        return self._resolved.credentials

    def execute(self, built: BuiltRequest, response_headers: str | None = "*", *,
                gate: Gate | None = None) -> Result:
        """Send a built request (through ``gate``, a walk's or a batch's: :meth:`gated`) and
        wrap the answer; its next pages go through the same gate."""
        started = time.monotonic()
        response = self._executor.send(built, gate)
        return Result(built, response, origin=self._origin(response_headers, gate),
                      response_headers=response_headers,
                      duration_s=time.monotonic() - started)

    def run(self, built: BuiltRequest, walk: WalkOptions | None = None, *,
            response_headers: str | None = "*") -> Any:
        """One user action, whole (what the magics call): ``built`` readied as ``walk`` asks
        (``paging.before_sending``: a ConfigurationError before anything is sent), sent, then
        walked or exported (``paging.finish``): a Result, a DataFrame or a ParquetExport."""
        if walk is None:
            return self.execute(built, response_headers=response_headers)
        first = self.execute(before_sending(built, walk), response_headers=response_headers)
        return finish(first, walk)

    def _origin(self, response_headers: str | None, gate: Gate | None = None) -> Origin:
        """What a Result may do with this connection: send more requests the same way (its
        next pages, through its gate if any; ``gated``: with a gate of its own), fetch media."""
        def send(built: BuiltRequest) -> Result:
            return self.execute(built, response_headers=response_headers, gate=gate)

        @contextmanager
        def gated(limit: int) -> Iterator[Origin]:
            with self.gated(limit) as own:
                yield self._origin(response_headers, own)

        return Origin(send=send, fetch_content=self.fetch_content, sandbox=self.is_sandbox,
                      display_rows=self.display_rows, gated=gated,
                      replay=str(self.replay.path) if self.replay else None,
                      target=self.target)

    def _need_account(self, op: catalog.Operation) -> None:
        if op.param("AccountSid") is not None and not self.account_sid:
            raise ConfigurationError(
                "This operation needs the Account SID, and an API key does not carry it: give "
                "account_sid='AC...' to the connection (or AccountSid in params)",
                field="AccountSid")

    def close(self) -> None:
        """Close the connection's pool. A recording ends with the last connection recording
        to it (the form's share one), and says what it scrubbed."""
        self._executor.close()
        held, self._holds_recorder = self._holds_recorder, False
        if held and self.recorder is not None and self.recorder.release():
            print(self.recorder.summary())

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
