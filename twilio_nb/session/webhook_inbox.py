"""``tw.inbox()``: a webhook inbox (:class:`~twilio_nb.webhooks.inbox.Inbox`) that checks
signatures with a connection's auth token, the default connection's when none is given.

The one place that joins a connection to the inbox, so that the inbox (and the webhook
protocol under it, which the sandbox uses) never imports the session.
"""

from __future__ import annotations

from ..errors import ConfigurationError
from ..webhooks.inbox import MAX_BODY, Inbox
from .connection import Connection
from .default import default_connection

__all__ = ["inbox"]


def inbox(auth_token: str | None = None, *, connection: Connection | None = None,
          verify: bool = True, public_url: str | None = None, host: str = "127.0.0.1",
          port: int = 0, max_body: int = MAX_BODY) -> Inbox:
    """Start an :class:`~twilio_nb.webhooks.inbox.Inbox`. Signatures are checked with
    ``auth_token``, else with the auth token of ``connection`` (else of the default connection;
    a sandbox connection's is the sandbox's). An API-key connection does not carry the auth
    token: give it, or ``verify=False``."""
    if verify and auth_token is None:
        auth_token = _token_of(connection or default_connection())
    return Inbox(auth_token, verify=verify, public_url=public_url, host=host, port=port,
                 max_body=max_body)


def _token_of(conn: Connection | None) -> str:
    if conn is None:
        raise ConfigurationError(
            "No connection to take the auth token from: tw.connect(...) first, give "
            "auth_token='...', or verify=False.", field="auth_token")
    token = conn.auth_token
    if token is not None:
        return token
    raise ConfigurationError(
        "This connection uses an API key, and Twilio signs webhooks with the account's auth "
        "token: give auth_token='...' (Console > Account > API keys & tokens), or "
        "verify=False to take requests unchecked.", field="auth_token")
