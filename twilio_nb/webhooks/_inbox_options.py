"""The options of an inbox, checked when it is made (before it listens): a
``ConfigurationError`` saying what was wrong, never a ``TypeError`` per request later
(``max_body="1MB"`` was taken, then broke every request).

Imports nothing of twilio_nb but the errors.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from ..errors import ConfigurationError

__all__ = ["MAX_BODY", "check_options"]

MAX_BODY = 64 * 1024


def check_options(auth_token: str | None, verify: object, public_url: str | None,
                   host: object, port: object, max_body: object) -> None:
    """Every option of an inbox checked before it listens (a ConfigurationError)."""
    if not isinstance(verify, bool):
        raise ConfigurationError(f"verify must be True or False, got {verify!r}.",
                                 field="verify")
    if verify and not auth_token:
        raise ConfigurationError(
            "The inbox checks X-Twilio-Signature with the account's auth token: give "
            "auth_token='...' (or a connection with one), or verify=False to take requests "
            "unchecked (every row then says signature_valid None).", field="auth_token")
    if auth_token is not None and not isinstance(auth_token, str):
        raise ConfigurationError("auth_token must be the account's auth token as text.",
                                 field="auth_token")
    if public_url is not None:
        parts = urlsplit(public_url) if isinstance(public_url, str) else None
        if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigurationError(f"public_url must be an http(s) URL like "
                                     f"'https://abc.example-tunnel.app', got {public_url!r}.",
                                     field="public_url")
    if not isinstance(host, str) or not host:
        raise ConfigurationError(f"host must be an address to listen on, like '127.0.0.1', "
                                 f"got {host!r}.", field="host")
    if not isinstance(port, int) or isinstance(port, bool) or not 0 <= port <= 65535:
        raise ConfigurationError(f"port must be 0 to 65535, got {port!r}.", field="port")
    if not isinstance(max_body, int) or isinstance(max_body, bool) or max_body < 0:
        raise ConfigurationError(f"max_body must be a number of bytes, like {MAX_BODY} (64 "
                                 f"KiB), got {max_body!r}.", field="max_body")
