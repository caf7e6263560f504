"""Twilio's answer formats: JSON, XML and CSV bodies, and the error bodies.

- 2010 JSON: a record is an object of the resource's properties; a list carries ``page,
  page_size, start, end, uri, first_page_uri, next_page_uri, previous_page_uri`` beside the
  array (``messages``, ``media_list``, ...). Product APIs: the array plus ``meta``.
- 2010 XML: ``<TwilioResponse>`` root; an instance is one element named after the entity
  (``<Message>``) with PascalCase children in the resource's order (the catalog's property
  order, as Twilio writes Sid, DateCreated, ... rather than the alphabet); a list is an
  element named after the list key (``<Messages>``, ``<MediaList>``) with the paging in
  attributes (``page pagesize uri firstpageuri previouspageuri nextpageuri start end``, empty
  string for none). URIs carry no extension (``<Uri>``, ``<SubresourceUris>``, the paging
  attributes), as in Twilio's XML. Null is an empty element, a nested object nested elements,
  an array one child per item named after the singular of its parent
  (``<Permissions><Permission>get-all</Permission></Permissions>``).
- 2010 CSV: a header row of PascalCase names, one row per record; a list cell bracketed and
  unquoted inside (``[get-all,post-all]``), other nested values as JSON text. Twilio's CSV
  carries no paging; the sandbox's ``Link`` header (see ``handlers``) is a sandbox
  convenience that Twilio does not send.
- Errors: ``{"code", "message", "more_info", "status"}`` and ``<RestException>``; an
  authentication error also carries Twilio's ``detail`` / ``<Detail>``.

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
           "json_record", "more_info", "singular", "xml_instance", "xml_list", "xml_order",
           "xml_uri"]

ABSOLUTE = frozenset({"url", "links", "media_url"})
_BAD_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
XML_DECL = "<?xml version='1.0' encoding='UTF-8'?>\n"


_XML_ORDER: dict[tuple[str, ...], tuple[str, ...]] = {}
_EXTENSION = re.compile(r"\.(?:json|xml|csv)(?=\?|$)")
_DETAILS = {20003: "Your AccountSid or AuthToken was incorrect."}  # Twilio's own words
_ACRONYMS = {"sms": "SMS", "mms": "MMS"}  # <Capabilities><SMS>, as Twilio's XML writes them


@cache
def columns(resource: str | None) -> tuple[str, ...]:
    """The resource's properties: alphabetical on the 2010 API (as Twilio writes its JSON),
    in the spec's order on product APIs. :func:`xml_order` gives the XML order."""
    props = tuple(resource_properties(resource))
    cols = tuple(sorted(props)) if (resource or "").startswith("api.v2010") else props
    _XML_ORDER.setdefault(cols, props)
    return cols


def xml_order(cols: tuple[str, ...]) -> tuple[str, ...]:
    """``cols`` (from :func:`columns`) in the resource's order, the order of Twilio's XML."""
    return _XML_ORDER.get(cols, cols)


def xml_uri(value: str) -> str:
    """A 2010 URI as Twilio's XML writes it: without ``.json``/``.xml``/``.csv``."""
    return _EXTENSION.sub("", value, count=1) if value.startswith("/2010-04-01/") else value


@cache
def singular(tag: str) -> str:
    """The name of one item of the list element ``tag``: ``Permissions`` -> ``Permission``,
    ``Capabilities`` -> ``Capability``, ``MediaList`` -> ``Media``."""
    if tag.endswith("List") and len(tag) > 4:
        return tag[:-4]
    if tag.endswith("ies"):
        return tag[:-3] + "y"
    if tag.endswith(("sses", "xes", "ches", "shes")):
        return tag[:-2]
    if tag.endswith("s") and not tag.endswith("ss"):
        return tag[:-1]
    return tag + "Item"


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


def _xml_value(tag: str, value: Any, uris: bool = False) -> str:
    """``value`` as element ``tag``; ``uris``: its text (and its children's) is a URI."""
    if value is None:
        return f"<{tag}/>"
    if isinstance(value, bool):
        return f"<{tag}>{'true' if value else 'false'}</{tag}>"
    if isinstance(value, dict):
        inner = "".join(_xml_value(_ACRONYMS.get(str(k).lower()) or pascal(str(k)), v, uris)
                        for k, v in value.items())
        return f"<{tag}>{inner}</{tag}>"
    if isinstance(value, list):
        item = singular(tag)
        inner = "".join(_xml_value(item, v, uris) for v in value)
        return f"<{tag}>{inner}</{tag}>"
    text = xml_uri(value) if uris and isinstance(value, str) else str(value)
    return f"<{tag}>{_esc(text)}</{tag}>"


def _is_uri(col: str) -> bool:
    return col in ("uri", "subresource_uris") or col.endswith("_uri")


def xml_record(rec: Mapping[str, Any], cols: tuple[str, ...], element: str, base: str) -> str:
    fast = getattr(rec, "render_xml", None)
    if fast is not None:
        return str(fast(element))
    pub = _public(rec, cols, base)
    inner = "".join(_xml_value(pascal(c), pub[c], _is_uri(c)) for c in xml_order(cols))
    return f"<{element}>{inner}</{element}>"


def xml_instance(rec: Mapping[str, Any], cols: tuple[str, ...], element: str, base: str) -> bytes:
    return f"{XML_DECL}<TwilioResponse>{xml_record(rec, cols, element, base)}</TwilioResponse>"\
        .encode()


def xml_list(recs: Iterable[Mapping[str, Any]], cols: tuple[str, ...], list_element: str,
             element: str, attrs: dict[str, Any], base: str) -> bytes:
    attr = " ".join(f'{k}="{_esc(xml_uri(str(v))).replace(chr(34), "&quot;")}"'
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
    if isinstance(value, list) and not any(isinstance(v, dict | list) for v in value):
        return "[" + ",".join(str(_csv_value(v)) for v in value) + "]"  # Twilio's [a,b]
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
    body: dict[str, Any] = {"code": code, "message": message, "more_info": more_info(code),
                            "status": status}
    if code in _DETAILS:
        body["detail"] = _DETAILS[code]
    return json.dumps(body).encode()


def error_xml(status: int, code: int, message: str) -> bytes:
    detail = f"<Detail>{_esc(_DETAILS[code])}</Detail>" if code in _DETAILS else ""
    return (f"{XML_DECL}<TwilioResponse><RestException><Code>{code}</Code>{detail}"
            f"<Message>{_esc(message)}</Message><MoreInfo>{more_info(code)}</MoreInfo>"
            f"<Status>{status}</Status></RestException></TwilioResponse>").encode()
