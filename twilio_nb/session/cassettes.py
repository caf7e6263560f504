"""Recording and replaying a connection's session (``record=``, ``replay=``): the cassette
parts (:mod:`twilio_nb.cassette`) set up for a :class:`~.connection.Connection`.

    tw.connect(credential="prod", record="session.yaml")            # scrub="pii" by default
    tw.connect(replay="session.yaml")                               # no account, no network
    tw.connect(replay="session.yaml", fallback="sandbox")           # the rest: the sandbox

Their settings (``record``, ``scrub``, ``replay``, ``fallback``) and checks are in
:mod:`.settings`. May import: the cassette package, credentials, the sandbox seam, errors.
Never the sandbox itself (the fallback comes through :mod:`.sandbox_seam`), the front ends, IPython.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, Protocol

import httpx

from ..cassette import Fallback, Player, Recorder
from ..cassette.match import Parts
from ..cassette.scrub import ScrubSpec
from ..cassette.scrub_text import secret_spellings
from ..errors import ConfigurationError
from ..transport.executor import basic_auth_header
from .credentials import ResolvedCredentials, UserCredentials
from .sandbox_seam import sandbox_source, shared_sandbox

if TYPE_CHECKING:
    from ..answers.result import Result
    from ..batch.plan import Sender
    from ..request.built import BuiltRequest
    from ..request.target import Target
    from ..transport.gate import Gate

    class Connection(Sender, Protocol):
        """What :class:`CassetteSender` uses of a connection (which imports this module)."""

        recorder: Recorder | None
        replay: Player | None

__all__ = ["CassetteSender", "batch_sender", "recording", "replaying"]

def replaying(replay: str | os.PathLike[str], fallback: str | None, *,
              account_sid: str | None, auth_type: str | None, given: dict[str, Any]
              ) -> tuple[Player, ResolvedCredentials]:
    """The player of the cassette ``replay`` and the (credential-less) account a replaying
    connection presents: ``account_sid``, else the account the cassette names. ``given``:
    the connection's other arguments that make no sense with a replay (refused)."""
    clashing = sorted(name for name, value in given.items() if value)
    if clashing:
        raise ConfigurationError(
            f"replay= answers from the cassette with no account and no network: leave out "
            f"{', '.join(clashing)} (to record a new session use record=PATH instead)",
            field="replay")
    spare = None
    if fallback == "sandbox":
        box = sandbox_source().account("api_key")
        spare = Fallback("offline sandbox", shared_sandbox().transport(),
                         basic_auth_header(box.user, box.password), box.account_sid)
    player = Player(replay, fallback=spare)
    account = account_sid or player.account_sid
    resolved = ResolvedCredentials(UserCredentials("replay", "", account), auth_type or "api_key",
                                   account, f"replay of {player.path}")
    return player, resolved


def recording(record: str | os.PathLike[str] | Recorder, scrub: ScrubSpec | None,
              transport: httpx.BaseTransport | None, resolved: ResolvedCredentials,
              max_bytes: int) -> tuple[Recorder, httpx.BaseTransport]:
    """A recorder writing to ``record`` (or the recorder given, shared: nothing it wrote is
    lost), held, and the transport that records through ``transport`` (the network when
    None). The credential's secret is never written, however spelled."""
    creds = resolved.credentials
    secrets = secret_spellings(creds.password, creds.user) if creds.password else ()
    if isinstance(record, Recorder) and record.closed:
        raise ConfigurationError(f"The recording to {str(record.path)!r} has ended: give "
                                 "record=PATH to start a new one", field="record")
    recorder = record if isinstance(record, Recorder) else Recorder(
        record, scrub="pii" if scrub is None else scrub, account_sid=resolved.account_sid)
    recorder.hold(secrets)
    return recorder, recorder.transport(transport or httpx.HTTPTransport(http2=False),
                                        max_bytes)


class CassetteSender:
    """A recording or replaying connection as a batch sees it: the requests the batch
    builds (one per row, in row order) are told to the cassette before the first is sent,
    so a batch sent at any concurrency replays each row's own answer (its stand-ins given,
    and tied, in row order: :meth:`.Recorder.plan`, :meth:`.Player.plan`). Everything else
    is the connection's."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._pending: list[BuiltRequest] | None = []
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)

    def _note(self, built: BuiltRequest) -> BuiltRequest:
        with self._lock:
            if self._pending is not None:
                self._pending.append(built)
        return built

    def _tell(self) -> None:
        with self._lock:
            pending, self._pending = self._pending, None
            if not pending:
                return
            requests = [b.to_httpx() for b in pending]
            if self._conn.recorder is not None:
                self._conn.recorder.plan(requests)
            if self._conn.replay is not None:
                self._conn.replay.plan([Parts.of(r.method, str(r.url), r.content,
                                                 r.headers.get("content-type", ""))
                                        for r in requests])

    def build_basic(self, entity: str, operation: str,
                    params: Mapping[str, Any] | None = None,
                    body: Mapping[str, Any] | str | None = None,
                    query: Any = None) -> BuiltRequest:
        return self._note(self._conn.build_basic(entity, operation, params=params, body=body,
                                                 query=query))

    def build_advanced(self, method: str, relative_url: str, body: Any = None,
                       send_body: bool | None = None, query: Any = None, *,
                       params: Mapping[str, Any] | None = None) -> BuiltRequest:
        return self._note(self._conn.build_advanced(method, relative_url, body=body,
                                                    send_body=send_body, query=query,
                                                    params=params))

    @property
    def target(self) -> Target:
        return self._conn.target

    def execute(self, built: BuiltRequest, response_headers: str | None = "*", *,
                gate: Gate | None = None) -> Result:
        self._tell()
        return self._conn.execute(built, response_headers=response_headers, gate=gate)

    def basic(self, entity: str, operation: str, params: Mapping[str, Any] | None = None,
              body: Mapping[str, Any] | str | None = None, query: Any = None) -> Result:
        self._tell()
        return self._conn.basic(entity, operation, params=params, body=body, query=query)

    def gated(self, limit: int) -> AbstractContextManager[Gate]:
        return self._conn.gated(limit)


def batch_sender(conn: Connection) -> Sender:
    """What a batch of ``conn`` sends with: ``conn`` itself, or, when it records or replays
    a cassette, a :class:`CassetteSender` in front of it."""
    return CassetteSender(conn) if conn.recorder is not None or conn.replay is not None \
        else conn
