"""A page's next-page address read from its bytes, before (and without) decoding the page.

A walk that fetches ahead needs only the next page's address from the page that just came in;
decoding all of it (the records too) would lengthen the chain of requests, which is what a
walk's time is made of. So the fetching thread looks for the one place that names the next
page: the JSON key ``next_page_uri`` (``next_page_url`` in a product API's ``meta``) or the
XML attribute ``nextpageuri``. When the key is not found exactly once, the peek gives up and
the page is decoded instead. The walk checks the peek against the decoded page later (see
:mod:`twilio_nb.paging`), so a peek misled by odd content costs one request, never a page.
"""

from __future__ import annotations

import html
import re

from ..errors import ResponseFormatError
from ._json import load_json
from ._reader_parts import blank_to_none

__all__ = ["UNKNOWN", "peek_next_page"]

UNKNOWN = object()  # the peek gave up: decode the page to know
_JSON_KEY = b'"next_page_ur'  # next_page_uri (2010) or next_page_url (meta)
_JSON_VALUE = re.compile(rb'[il]"\s*:\s*(null|"(?:[^"\\]|\\.)*")')
_XML_ATTRIBUTE = b" nextpageuri="
_XML_VALUE = re.compile(rb'\s*(?:"([^"<]*)"|\'([^\'<]*)\')')


def peek_next_page(content: bytes, fmt: str) -> object:
    """The next page's address named in ``content`` (None: there is none), or UNKNOWN."""
    if fmt == "json":
        return _peek_json(content)
    if fmt == "xml":
        return _peek_xml(content)
    return UNKNOWN


def _once(content: bytes, mark: bytes) -> int:
    """Where the one occurrence of ``mark`` ends; -1 unless there is exactly one."""
    start = content.find(mark)
    if start < 0 or content.rfind(mark) != start:
        return -1
    return start + len(mark)


def _peek_json(content: bytes) -> object:
    end = _once(content, _JSON_KEY)
    match = _JSON_VALUE.match(content, end) if end >= 0 else None
    if match is None:
        return UNKNOWN
    value = match.group(1)
    if value == b"null":
        return None
    try:
        text = load_json(value)
    except ResponseFormatError:
        return UNKNOWN
    return blank_to_none(text) if isinstance(text, str) else UNKNOWN


def _peek_xml(content: bytes) -> object:
    end = _once(content, _XML_ATTRIBUTE)
    match = _XML_VALUE.match(content, end) if end >= 0 else None
    if match is None:
        return UNKNOWN
    raw = match.group(1) if match.group(1) is not None else match.group(2)
    try:
        return blank_to_none(html.unescape(raw.decode("utf-8")))
    except UnicodeDecodeError:
        return UNKNOWN
