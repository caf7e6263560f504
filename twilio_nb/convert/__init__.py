"""Twilio answers (JSON, XML, CSV) to typed pandas DataFrames: the one conversion dispatcher.

``parse(content, fmt, operation)`` reads a body, finds its records (the catalog's list key,
the product APIs' ``meta.key``, the XML list element) and its next page, flattens nested
objects to dotted columns and types every column from the catalog's response schema. The
same records give the same DataFrame whatever the format::

    page = parse(response.content, "xml", catalog.find("Message", "List Messages"))
    page.frame            # sid, from, to, status, direction, date_sent (UTC datetimes), ...
    page.next_page        # "/2010-04-01/Accounts/AC.../Messages.json?...&PageToken=..." or None

Bodies that are not what they claim raise :class:`~twilio_nb.errors.ResponseFormatError`;
XML is parsed without DTDs, entities or network access.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

import pandas as pd

from ..vocabulary import FORMATS, normalize_format
from ._arrow_table import arrow_frame, arrow_schema
from ._column_names import NameMap
from ._column_types import empty_frame, kind_of
from ._combine import combine_pages
from ._csv import decode_list_cells, decode_object_cells, read_csv
from ._csv_paging import warn_if_csv_page_full
from ._dates import RFC2822_FORMAT, parse_iso8601, parse_rfc2822
from ._error_body import parse_error
from ._frame import flatten_dicts, order_columns, records_frame
from ._json import read_json
from ._page import PageReader, ParsedPage
from ._peek import UNKNOWN, peek_next_page
from ._reader_parts import PageInfo, format_error
from ._uris import json_form_uris
from ._xml import locate_xml, parse_xml
from ._xml_fast import xml_frame

if TYPE_CHECKING:
    from ..catalog import Operation

__all__ = ["FORMATS", "RFC2822_FORMAT", "UNKNOWN", "PageInfo", "PageReader", "ParsedPage",
           "arrow_frame", "arrow_schema", "combine_pages", "empty_frame", "normalize_format",
           "order_columns", "parse",
           "parse_error", "parse_iso8601", "parse_rfc2822", "parse_xml", "peek_next_page",
           "read_json", "read_page", "to_dataframe", "warn_if_csv_page_full"]

def _csv_frame(content: bytes, operation: Operation | None, names: NameMap) -> pd.DataFrame:
    frame = read_csv(content, names)
    props = operation.response_properties if operation is not None else {}
    frame = decode_list_cells(frame, names.arrays, props)
    if operation is not None:
        objects = [n for n, p in props.items() if kind_of(n, p) is None]
        frame = flatten_dicts(decode_object_cells(frame, objects))
    return json_form_uris(frame)


def _one_page(frame: pd.DataFrame, operation: Operation | None) -> pd.DataFrame:
    return combine_pages([frame], operation)


def read_page(content: bytes, fmt: str, operation: Operation | None = None) -> PageReader:
    """Decode one Twilio answer in ``fmt`` (json | xml | csv) and find its records and paging,
    without converting them yet: ``reader.info.next_page`` at once, ``reader.parse()`` for
    the typed frame (what :func:`parse` gives). A body that is not ``fmt`` raises
    ResponseFormatError here (JSON, XML) or in ``parse()`` (CSV, read in one go)."""
    kind = normalize_format(fmt)
    if isinstance(content, str):
        content = content.encode("utf-8")
    names = NameMap(operation.response_properties if operation is not None else ())
    finish = partial(_one_page, operation=operation)
    if kind == "csv":  # a CSV answer carries no paging (the sandbox's is in a Link header)
        key = operation.list_key if operation is not None else None
        info = PageInfo(key=key, is_list=key is not None if operation is not None else True)
        return PageReader(info, None, lambda: _csv_frame(content, operation, names), finish)
    if kind == "json":
        records, info = read_json(content, operation)
        return PageReader(info, len(records), lambda: records_frame(records), finish)
    if not content.strip():
        raise format_error("xml", "the answer is empty", content)
    elements, info = locate_xml(content, operation, names)
    return PageReader(info, len(elements),
                      lambda: json_form_uris(xml_frame(content, elements, names,
                                                       is_list=info.is_list)),
                      finish)


def parse(content: bytes, fmt: str, operation: Operation | None = None) -> ParsedPage:
    """Read one Twilio answer in ``fmt`` (json | xml | csv) as a typed DataFrame.

    With ``operation`` the list key, the column types and the column order come from the
    catalog; without it the list is found by its shape and columns stay as they came.
    """
    return read_page(content, fmt, operation).parse()


def to_dataframe(content: bytes, fmt: str, operation: Operation | None = None) -> pd.DataFrame:
    """The typed DataFrame of one answer (see :func:`parse`)."""
    return parse(content, fmt, operation).frame
