"""Twilio's CSV answers carry no next-page address (no ``nextpageuri``, no ``Link``).

A CSV page that is full -- as many records as its PageSize -- may well be followed by more,
and nothing in the answer says so: a walk stops there as if the list were whole. So a full
CSV page without a way on warns, and says to use JSON or XML to walk every page. (The
sandbox sends a ``Link`` header with CSV as a convenience; Twilio does not.)
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from ..errors import warn

__all__ = ["DEFAULT_PAGE_SIZE", "warn_if_csv_page_full"]

DEFAULT_PAGE_SIZE = 50  # Twilio's page size when a list request names none


def _page_size(query: str) -> int:
    for name, value in parse_qsl(query, keep_blank_values=True):
        if name.lower() == "pagesize":
            try:
                return int(value)
            except ValueError:
                return DEFAULT_PAGE_SIZE
    return DEFAULT_PAGE_SIZE


def warn_if_csv_page_full(records: int, query: str, next_page: str | None) -> bool:
    """Warn (a TwilioWarning) when a CSV page holds as many ``records`` as the PageSize its
    request's ``query`` asked for and names no ``next_page``; True when it warned."""
    size = _page_size(query)
    if next_page or records < size or records == 0:
        return False
    warn(
        f"This CSV page holds {records} records, a full page (PageSize={size}), and Twilio's "
        "CSV answers carry no next-page address: there may be more records that this page "
        "cannot reach. To walk every page, choose Application/JSON or Application/XML "
        "(response_format='json' or 'xml'); or raise PageSize (at most 1000).")
    return True
