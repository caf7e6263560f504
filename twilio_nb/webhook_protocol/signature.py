"""Twilio's webhook signature (``X-Twilio-Signature``): one computation, used to sign (the
sandbox's callbacks) and to check (the inbox).

Twilio takes the full URL it requested (scheme, host, port if any, path and query string),
appends every POST parameter sorted by name (then by value), each as name followed by value,
signs that text with HMAC-SHA1 keyed by the account's auth token and sends the base64 digest.
A request with a JSON body carries ``bodySHA256`` in its query instead; this module covers the
form-encoded requests that status callbacks and incoming messages use.
The reference implementation is twilio-python's ``twilio.request_validator.RequestValidator``
(tests check both against it).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit, urlunsplit

__all__ = ["HEADER", "sign", "url_variants", "valid"]

HEADER = "X-Twilio-Signature"

Params = Mapping[str, str] | Iterable[tuple[str, str]]


def _pairs(params: Params) -> list[tuple[str, str]]:
    items = params.items() if isinstance(params, Mapping) else params
    return [(str(k), str(v)) for k, v in items]


def sign(url: str, params: Params, auth_token: str) -> str:
    """The ``X-Twilio-Signature`` Twilio sends for a form POST of ``params`` to ``url``."""
    text = url + "".join(k + v for k, v in sorted(_pairs(params)))
    digest = hmac.new(auth_token.encode("utf-8"), text.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def url_variants(url: str) -> list[str]:
    """``url`` as given, and with its port taken off (or the scheme's default port added): a
    proxy in front may add or drop it, and Twilio signs what it requested."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    userinfo = parts.netloc.rpartition("@")[0]
    prefix = userinfo + "@" if userinfo else ""
    if parts.port is not None:
        other = prefix + host
    else:
        other = f"{prefix}{host}:{443 if parts.scheme == 'https' else 80}"
    return [url, urlunsplit(parts._replace(netloc=other))]


def valid(url: str, params: Params, signature: str | None, auth_token: str) -> bool:
    """Whether ``signature`` is Twilio's for this request (compared in constant time)."""
    if not signature:
        return False
    pairs = _pairs(params)
    return any(hmac.compare_digest(sign(u, pairs, auth_token).encode(), signature.encode())
               for u in url_variants(url))
