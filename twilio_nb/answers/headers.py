"""The adapter's Response Headers rule: which headers of an answer a Result keeps.

Imports nothing of twilio_nb (httpx's types only).
"""

from __future__ import annotations

import httpx

__all__ = ["PROTOCOL_HEADERS", "filter_headers"]

# protocol headers the adapter never passes on (it keeps "date")
PROTOCOL_HEADERS = {"connection", "keep-alive", "transfer-encoding", "content-length",
                    "content-encoding", "upgrade", "te", "trailer", "proxy-authenticate",
                    "proxy-connection", "set-cookie", "www-authenticate"}


def filter_headers(headers: httpx.Headers, spec: str | None) -> dict[str, str]:
    """The adapter's Response Headers rule: ``*`` (the default) keeps every header, a
    pipe-separated list keeps those names; protocol headers other than Date never pass."""
    spec = "*" if spec is None or not spec.strip() else spec.strip()
    wanted = None if spec == "*" else {n.strip().lower() for n in spec.split("|") if n.strip()}
    out: dict[str, str] = {}
    for name, value in headers.multi_items():
        low = name.lower()
        if low in PROTOCOL_HEADERS or (wanted is not None and low not in wanted):
            continue
        out[name] = value if name not in out else out[name] + ", " + value
    return out
