"""The default connection: the one ``tw.connect`` made last, which the magics, the form
and the webhook inbox use when they are given none.

Imports the connection; never a front end or the sandbox.
"""

from __future__ import annotations

from typing import Any

import httpx

from .connection import Connection
from .credentials import UserCredentials
from .settings import DEFAULTS

__all__ = ["connect", "default_connection", "set_default_connection"]

_DEFAULT: Connection | None = None


def connect(address: str = DEFAULTS.address, auth_type: str | None = None,
            credential: str | UserCredentials | None = None, account_sid: str | None = None,
            reuse_connection: bool = DEFAULTS.reuse_connection,
            connection_timeout_ms: int = DEFAULTS.connection_timeout_ms,
            response_timeout_ms: int = DEFAULTS.response_timeout_ms, region: str | None = None,
            edge: str | None = None, transport: httpx.BaseTransport | None = None,
            **kwargs: Any) -> Connection:
    """A Connection that also becomes the default for the magics and the form: the same
    arguments as :class:`Connection` (its settings: :class:`~.settings.ConnectionSettings`)."""
    conn = Connection(address, auth_type, credential, account_sid, reuse_connection,
                      connection_timeout_ms, response_timeout_ms, region, edge, transport,
                      **kwargs)
    set_default_connection(conn)
    return conn


def set_default_connection(conn: Connection | None) -> None:
    global _DEFAULT
    _DEFAULT = conn


def default_connection() -> Connection | None:
    """The connection ``tw.connect`` made last, if any."""
    return _DEFAULT
