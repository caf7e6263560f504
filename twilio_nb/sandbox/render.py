"""Twilio's answer formats: JSON, XML and CSV bodies, and the error bodies.

- 2010 JSON: a record is an object of the resource's properties; a list carries ``page,
  page_size, start, end, uri, first_page_uri, next_page_uri, previous_page_uri`` beside the
  array (``messages``, ``media_list``, ...). Product APIs: the array plus ``meta``.
- 2010 XML: ``<TwilioResponse>`` root; an instance is one element named after the entity
  (``<Message>``) with PascalCase children; a list is an element named after the list key
  (``<Messages>``, ``<MediaList>``) with the paging in attributes (``page pagesize uri
  firstpageuri previouspageuri nextpageuri start end``, empty string for none). Null is an empty
  element, a nested object nested elements, an array repeated ``<Item>`` children.
- 2010 CSV: a header row of PascalCase names, one row per record; nested values as JSON text.
  The paging is not in the body: the sandbox sends it in a ``Link`` header (see ``app``).
- Errors: ``{"code", "message", "more_info", "status"}`` and ``<RestException>``.

``url`` and ``links`` of product records and ``media_url`` of recordings are stored as paths
and made absolute with the request's base URL (``http://127.0.0.1:PORT`` when a client talks
to the sandbox directly, ``https://<product>.twilio.com`` when it sent a Twilio Host header).
Seeded messages are compact rows that render themselves (``render_json`` / ``render_xml``).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from ..catalog import resource_properties
from .names import pascal

__all__ = ["columns", "csv_list", "error_json", "error_xml", "json_instance", "json_list",
           "json_record", "more_info", "xml_instance", "xml_list"]

ABSOLUTE = frozenset({"url", "links", "media_url"})
_BAD_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
XML_DECL = "<?xml version='1.0' encoding='UTF-8'?>\n"


@cache
def columns(resource: str | None) -> tuple[str, ...]:
    """The resource's properties: alphabetical on the 2010 API (as Twilio writes them), in
    the spec's order on product APIs."""
    props = tuple(resource_properties(resource))
    return tuple(sorted(props)) if (resource or "").startswith("api.v2010") else props


def more_info(code: int) -> str:
    return f"https://www.twilio.com/docs/errors/{code}"


def _absolute(col: str, value: Any, base: str) -> Any:
    if isinstance(value, str) and value.startswith("/"):
        return base + value
    if isinstance(value, dict) and col == "links":
        return {k: base + v if isinstance(v, str) and v.startswith("/") else v
                for k, v in value.items()}
    return value


def _public(rec: Mapping[str, Any], cols: tuple[str, ...], base: str) -> dict[str, Any]:
    out = {c: rec.get(c) for c in cols}
    for col in ABSOLUTE.intersection(cols):
        out[col] = _absolute(col, out[col], base)
    return out


def json_record(rec: Mapping[str, Any], cols: tuple[str, ...], base: str) -> str:
    fast = getattr(rec, "render_json", None)
    if fast is not None:
        return str(fast())
    return json.dumps(_public(rec, cols, base), ensure_ascii=False)


def json_instance(rec: Mapping[str, Any], cols: tuple[str, ...], base: str) -> bytes:
    return json_record(rec, cols, base).encode()


def json_list(recs: Iterable[Mapping[str, Any]], cols: tuple[str, ...], key: str,
              paging: dict[str, Any], base: str) -> bytes:
    """A list page: ``paging`` holds the 2010 keys, or ``{"meta": {...}}`` for product APIs."""
    items = ", ".join(json_record(r, cols, base) for r in recs)
    head = json.dumps(paging, ensure_ascii=False)[1:-1]
    return f'{{"{key}": [{items}], {head}}}'.encode()


# -- XML --

def _esc(text: str) -> str:
    if _BAD_XML.search(text):
        text = _BAD_XML.sub("", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _xml_value(tag: str, value: Any) -> str:
    if value is None:
        return f"<{tag}/>"
    if isinstance(value, bool):
        return f"<{tag}>{'true' if value else 'false'}</{tag}>"
    if isinstance(value, dict):
        inner = "".join(_xml_value(pascal(str(k)), v) for k, v in value.items())
        return f"<{tag}>{inner}</{tag}>"
    if isinstance(value, list):
        inner = "".join(_xml_value("Item", v) for v in value)
        return f"<{tag}>{inner}</{tag}>"
    return f"<{tag}>{_esc(str(value))}</{tag}>"


def xml_record(rec: Mapping[str, Any], cols: tuple[str, ...], element: str, base: str) -> str:
    fast = getattr(rec, "render_xml", None)
    if fast is not None:
        return str(fast(element))
    pub = _public(rec, cols, base)
    inner = "".join(_xml_value(pascal(c), pub[c]) for c in cols)
    return f"<{element}>{inner}</{element}>"


def xml_instance(rec: Mapping[str, Any], cols: tuple[str, ...], element: str, base: str) -> bytes:
    return f"{XML_DECL}<TwilioResponse>{xml_record(rec, cols, element, base)}</TwilioResponse>"\
        .encode()


def xml_list(recs: Iterable[Mapping[str, Any]], cols: tuple[str, ...], list_element: str,
             element: str, attrs: dict[str, Any], base: str) -> bytes:
    attr = " ".join(f'{k}="{_esc(str(v)).replace(chr(34), "&quot;")}"'
                    for k, v in attrs.items())
    items = "".join(xml_record(r, cols, element, base) for r in recs)
    return (f"{XML_DECL}<TwilioResponse><{list_element} {attr}>{items}</{list_element}>"
            "</TwilioResponse>").encode()


# -- CSV --

def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value


def csv_list(recs: Iterable[Mapping[str, Any]], cols: tuple[str, ...], base: str) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([pascal(c) for c in cols])
    for rec in recs:
        fast = getattr(rec, "csv_values", None)
        if fast is not None:
            writer.writerow(fast())
        else:
            pub = _public(rec, cols, base)
            writer.writerow([_csv_value(pub[c]) for c in cols])
    return buf.getvalue().encode()


# -- errors --

def error_json(status: int, code: int, message: str) -> bytes:
    return json.dumps({"code": code, "message": message, "more_info": more_info(code),
                       "status": status}).encode()


def error_xml(status: int, code: int, message: str) -> bytes:
    return (f"{XML_DECL}<TwilioResponse><RestException><Code>{code}</Code>"
            f"<Message>{_esc(message)}</Message><MoreInfo>{more_info(code)}</MoreInfo>"
            f"<Status>{status}</Status></RestException></TwilioResponse>").encode()
