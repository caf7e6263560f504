"""The request model: :class:`BuiltRequest`, one request ready to send (its method, URL,
headers, body, the catalog operation it belongs to, the warnings found), and how it becomes
an httpx request. Built by :mod:`.build`; it never holds credentials.

Imports catalog (types) and vocabulary; never transport, paging, answers or above.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import httpx

from ..vocabulary import MIME_TYPES
from .urls import is_twilio_address

if TYPE_CHECKING:
    from ..catalog import Operation

__all__ = ["BuiltRequest"]


@dataclass(frozen=True)
class BuiltRequest:
    """One request, ready to send. Never holds credentials."""

    configuration: str  # "basic" | "advanced"
    method: str
    url: str  # absolute, query included
    headers: tuple[tuple[str, str], ...]  # extra headers only
    body: bytes | None
    content_type: str | None
    response_format: str  # json | xml | csv
    operation: Operation | None
    path_params: tuple[tuple[str, str], ...]
    query: str  # as sent, no leading "?"
    form: tuple[tuple[str, str], ...]  # the body fields, decoded
    warnings: tuple[str, ...]
    next_page_uri: str | None = None

    @property
    def host(self) -> str:
        """``host[:port]`` the request goes to."""
        return urlsplit(self.url).netloc

    @property
    def path(self) -> str:
        return urlsplit(self.url).path

    @property
    def is_twilio(self) -> bool:
        """True when the URL is a Twilio host (``https://*.twilio.com``)."""
        return is_twilio_address(self.url)

    def to_httpx(self) -> httpx.Request:
        """The httpx request (without authentication: the executor adds it)."""
        headers = list(self.headers)
        headers.append(("Accept", MIME_TYPES[self.response_format]))
        if self.content_type is not None:
            headers.append(("Content-Type", self.content_type))
        return httpx.Request(self.method, self.url, headers=headers, content=self.body)
