"""What the three readers share: paging facts of a page, and the format error."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import ResponseFormatError

__all__ = ["PageInfo", "as_int", "blank_to_none", "format_error"]

_FORMAT_NAMES = {"json": "JSON", "xml": "XML", "csv": "CSV"}
_ADVICE = {
    "json": "Twilio's product APIs answer JSON only; the 2010 API also answers XML and CSV.",
    "xml": "Only the 2010 API (api.twilio.com/2010-04-01) answers XML; choose Application/JSON "
           "for product APIs.",
    "csv": "Only the 2010 API (api.twilio.com/2010-04-01) answers CSV; choose Application/JSON "
           "for product APIs.",
}


@dataclass(frozen=True)
class PageInfo:
    """The paging facts of one answer."""

    next_page: str | None = None
    page: int | None = None
    page_size: int | None = None
    key: str | None = None
    is_list: bool = False


def blank_to_none(value: Any) -> str | None:
    """A next-page address, or None when it is missing, null or empty."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def as_int(value: Any) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _preview(content: bytes) -> str:
    text = content[:200].decode("utf-8", errors="replace")
    more = "..." if len(content) > 200 else ""
    return repr(text) + more


def _looks_like(content: bytes) -> str | None:
    head = content.lstrip()[:200].lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
        return "an HTML page"
    if head.startswith(b"<"):
        return "XML"
    if head.startswith((b"{", b"[")):
        return "JSON"
    return None


def format_error(fmt: str, problem: str, content: bytes, *, line: int | None = None,
                 column: int | None = None) -> ResponseFormatError:
    """A ResponseFormatError that says which format, what is wrong and where, shows how the
    answer begins, and what to do about it."""
    name = _FORMAT_NAMES.get(fmt, fmt.upper())
    where = ""
    if line is not None:
        where = f" (line {line}" + (f", column {column})" if column is not None else ")")
    text = f"The answer cannot be read as {name}: {problem}{where}."
    if not content.strip():
        if "empty" not in problem:
            text += "\nThe answer is empty."
    else:
        looks = _looks_like(content)
        if looks and looks != name:
            text += f"\nIt looks like {looks}."
        text += f"\nThe answer begins: {_preview(content)}"
    text += ("\nTry another Response Format, and check that the Address points to Twilio "
             f"(https://api.twilio.com) or the sandbox. {_ADVICE.get(fmt, '')}").rstrip()
    return ResponseFormatError(text)
