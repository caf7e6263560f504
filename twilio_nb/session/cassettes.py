"""Recording and replaying a connection's session (``record=``, ``replay=``): the cassette
parts (:mod:`twilio_nb.cassette`) set up for a :class:`~.connection.Connection`.

    tw.connect(credential="prod", record="session.yaml")            # scrub="pii" by default
    tw.connect(replay="session.yaml")                               # no account, no network
    tw.connect(replay="session.yaml", fallback="sandbox")           # the rest: the sandbox

May import: the cassette package, credentials, the sandbox seam, errors. Never the sandbox
itself (the fallback comes through :mod:`.sandbox_seam`), the front ends, IPython.
"""

from __future__ import annotations

import os
from typing import Any

import httpx

from ..cassette import Fallback, Player, Recorder
from ..cassette.scrub import ScrubSpec, check_scrub
from ..cassette.scrub_text import secret_spellings
from ..errors import ConfigurationError
from ..transport.executor import basic_auth_header
from .credentials import ResolvedCredentials, UserCredentials
from .sandbox_seam import sandbox_source, shared_sandbox

__all__ = ["check_cassette_options", "recording", "replaying"]

FALLBACKS = (None, "sandbox")


def check_cassette_options(record: object, scrub: ScrubSpec | None, replay: object,
                           fallback: str | None) -> None:
    """``scrub=`` and ``fallback=`` checked whether used or not: a scrubbing choice only
    with ``record=`` (None: the default, ``"pii"``; given without ``record=``, even
    ``"pii"``, it would do nothing), a fallback only with ``replay=``."""
    if scrub is not None:
        check_scrub(scrub)
    if fallback not in FALLBACKS:
        raise ConfigurationError(f"fallback={fallback!r}: give None (a request the cassette "
                                 "does not hold raises tw.ReplayError) or 'sandbox' (it goes to "
                                 "the offline sandbox)", field="fallback")
    if fallback is not None and replay is None:
        raise ConfigurationError(f"fallback={fallback!r} says where a replay sends what its "
                                 "cassette lacks: give replay=PATH too, or leave fallback out",
                                 field="fallback")
    if record is None and scrub is not None:
        raise ConfigurationError(f"scrub={scrub!r} says what a recording leaves out: give "
                                 "record=PATH too, or leave scrub out", field="scrub")


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
