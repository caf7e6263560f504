"""Twilio's error bodies: JSON ``{"code", "message", "more_info", "status"}`` (some with
``detail``) or XML ``<TwilioResponse><RestException>`` with ``<Code/><Message/><MoreInfo/>
<Status/>`` and sometimes ``<Detail/>``, in any order; any of them may be missing."""

from __future__ import annotations

import json
from typing import Any, NamedTuple

from ..errors import ResponseFormatError
from ._json import load_json
from ._reader_parts import as_int
from ._xml import parse_xml

__all__ = ["ErrorBody", "parse_error"]


class ErrorBody(NamedTuple):
    """What a Twilio error body says."""

    code: int | None
    message: str
    more_info: str | None
    detail: str | None = None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _from_json(content: bytes) -> ErrorBody | None:
    try:
        data = load_json(content)
    except ResponseFormatError:
        return None
    if not isinstance(data, dict) or not ("message" in data or "code" in data):
        return None
    detail = data.get("detail")
    if detail is None and data.get("details"):  # twilio-python's `details`: an object
        details = data["details"]
        detail = json.dumps(details) if isinstance(details, dict | list) else details
    return ErrorBody(as_int(data.get("code")), _text(data.get("message")) or "",
                     _text(data.get("more_info")), _text(detail))


def _from_xml(content: bytes) -> ErrorBody | None:
    try:
        root = parse_xml(content)
    except ResponseFormatError:
        return None
    found = root.find("RestException") if root.tag == "TwilioResponse" else None
    if found is None:
        return None
    fields = {str(child.tag).lower(): child.text for child in found
              if isinstance(child.tag, str)}
    if not {"message", "code", "detail"} & fields.keys():
        return None
    detail = _text(fields.get("detail"))
    return ErrorBody(as_int(_text(fields.get("code"))),
                     _text(fields.get("message")) or detail or "",
                     _text(fields.get("moreinfo")), detail)


def parse_error(content: bytes, content_type: str | None) -> ErrorBody | None:
    """``(code, message, more_info, detail)`` of a Twilio error body, or None when the body
    is not one (an HTML page, an empty body, any other document). Never raises.

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
