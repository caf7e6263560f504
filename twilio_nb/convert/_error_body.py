"""Twilio's error bodies: JSON ``{"code", "message", "more_info", "status"}`` or XML
``<TwilioResponse><RestException><Code/><Message/><MoreInfo/><Status/>``."""

from __future__ import annotations

from typing import Any

from ..errors import ResponseFormatError
from ._common import as_int
from ._json import load_json
from ._xml import parse_xml

__all__ = ["parse_error"]


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _from_json(content: bytes) -> tuple[int | None, str, str | None] | None:
    try:
        data = load_json(content)
    except ResponseFormatError:
        return None
    if not isinstance(data, dict) or not ("message" in data or "code" in data):
        return None
    return as_int(data.get("code")), _text(data.get("message")) or "", _text(data.get("more_info"))


def _from_xml(content: bytes) -> tuple[int | None, str, str | None] | None:
    try:
        root = parse_xml(content)
    except ResponseFormatError:
        return None
    found = root.find("RestException") if root.tag == "TwilioResponse" else None
    if found is None:
        return None
    return (as_int(found.findtext("Code")), _text(found.findtext("Message")) or "",
            _text(found.findtext("MoreInfo")))


def parse_error(content: bytes, content_type: str | None
                ) -> tuple[int | None, str, str | None] | None:
    """``(code, message, more_info)`` of a Twilio error body, or None when the body is not
    one (an HTML page, an empty body, any other document). Never raises.

    The body decides whether it is JSON or XML (a proxy may label it wrongly);
    ``content_type`` only settles a body that starts like neither.
    """
    head = content.lstrip().removeprefix(b"\xef\xbb\xbf")[:1]
    kind = (content_type or "").lower()
    if head == b"{" or (head and head not in b"<[" and "json" in kind):
        return _from_json(content)
    if head == b"<":
        return _from_xml(content)
    return None
