"""The Connection tab's fields, checked before a connection is made: the Address, the
timeouts in ms, the retry and size limits. Each says what was wrong and how to fix it.

Imports errors only; never the connection, a front end or the sandbox.
"""

from __future__ import annotations

from typing import Any

import httpx

from ..errors import ConfigurationError

__all__ = ["check_address", "check_limits", "check_timeout"]


def check_timeout(value: Any, name: str) -> int:
    """A timeout in ms: a positive number (the field named in the error)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise ConfigurationError(f"{name} must be a positive number of milliseconds, e.g. 60000 "
                                 f"(got {value!r})", field=name)
    return int(value)


def check_address(value: str) -> str:
    """The base URL of the Twilio REST API: a scheme and a host, no path, query or user."""
    url = value.strip().rstrip("/")
    try:
        parsed = httpx.URL(url)
    except Exception:
        parsed = None
    if parsed is None or parsed.scheme not in ("http", "https") or not parsed.host:
        raise ConfigurationError(
            f"Address {value!r} is not a URL: give the base URL of the Twilio REST API, e.g. "
            "https://api.twilio.com (or http://127.0.0.1:4010 for a local sandbox)",
            field="Address")
    if parsed.path not in ("", "/") or parsed.query:
        raise ConfigurationError(
            f"Address {value!r} has a path or query: give the host only, e.g. "
            "https://api.twilio.com; the path goes in the Operation or the Relative URL",
            field="Address")
    if parsed.userinfo:
        raise ConfigurationError("Address must not carry a user or password; use a stored "
                                 "credential (Credential Name)", field="Address")
    return url


def check_limits(max_retries: int, retry_budget_s: float, max_response_bytes: int) -> None:
    """Retries and the retry budget: 0 or more; the answer size cap: a positive int."""
    if max_retries < 0 or retry_budget_s < 0:
        raise ConfigurationError("max_retries and retry_budget_s must be 0 or more")
    if isinstance(max_response_bytes, bool) or not isinstance(max_response_bytes, int) \
            or max_response_bytes <= 0:
        raise ConfigurationError(f"max_response_bytes must be a positive number of bytes "
                                 f"(got {max_response_bytes!r})")
