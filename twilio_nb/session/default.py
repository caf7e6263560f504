"""The default connection: the one ``tw.connect`` made last, which the magics, the form
and the webhook inbox use when they are given none.

Imports the connection; never a front end or the sandbox.
"""

from __future__ import annotations

from typing import Any

import httpx

from .connection import DEFAULT_ADDRESS, Connection
from .credentials import UserCredentials

__all__ = ["connect", "default_connection", "set_default_connection"]

_DEFAULT: Connection | None = None


def connect(address: str = DEFAULT_ADDRESS, auth_type: str | None = None,
            credential: str | UserCredentials | None = None, account_sid: str | None = None,
            reuse_connection: bool = True, connection_timeout_ms: int = 60000,
            response_timeout_ms: int = 60000, region: str | None = None, edge: str | None = None,
            transport: httpx.BaseTransport | None = None, **kwargs: Any) -> Connection:
    """A Connection that also becomes the default for the magics and the form."""
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
