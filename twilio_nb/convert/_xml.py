"""XML answers of the 2010 API: parsed safely, walked into flat records.

The shape Twilio writes::

    <TwilioResponse>
      <Messages page="0" pagesize="50" nextpageuri="/2010-04-01/..." ...>
        <Message><Sid>SM...</Sid><DateSent>Thu, 24 Aug 2023 05:01:45 +0000</DateSent>
          <Price/><SubresourceUris><Media>/2010-04-01/...</Media></SubresourceUris></Message>
        ...
      </Messages>
    </TwilioResponse>

A single resource is the root's one child (``<TwilioResponse><Message>...</Message>``).
Elements become the JSON names (``DateSent`` -> ``date_sent``), nested elements dotted names
(``subresource_uris.media``), repeated children lists, and empty elements missing values.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ._column_names import NameMap, snake_case
from ._reader_parts import PageInfo, as_int, blank_to_none, format_error

if TYPE_CHECKING:
    from lxml import etree

    from ..catalog import Operation

__all__ = ["locate_xml", "parse_xml", "read_xml", "walk_records"]

ROOT = "TwilioResponse"
PAGING_ATTRIBUTES = frozenset({"page", "pagesize", "nextpageuri", "firstpageuri",
                               "previouspageuri", "lastpageuri", "numpages", "total", "start",
                               "end"})
_DECLARATIONS = (b"<!DOCTYPE", b"<!ENTITY")
_POSITION = re.compile(r",? line \d+, column \d+$")


def parse_xml(content: bytes) -> etree._Element:
    """The root element of ``content``, parsed without touching files or the network.

    A document that declares a DOCTYPE or entities is refused (XXE, entity expansion);
    entities are never resolved and no DTD is loaded.
    """
    from lxml import etree  # deferred: lxml loads only once a page is XML (import time)

    head = content.lstrip()[:64].lower()
    if head.startswith((b"<!doctype html", b"<html")):
        raise format_error("xml", "this is an HTML page, not Twilio's XML", content)
    if any(mark in content for mark in _DECLARATIONS):
        raise format_error("xml", "the document declares a DOCTYPE or an ENTITY, which is "
                           "refused (Twilio never sends one; it could read local files or "
                           "expand without end)", content)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(content, parser)
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (None, None)
        problem = _POSITION.sub("", exc.msg or "") or "not well-formed"
        raise format_error("xml", problem, content, line=line, column=column) from None
    if root is None:
        raise format_error("xml", "no root element", content)
    docinfo = root.getroottree().docinfo
    if getattr(docinfo, "doctype", "") or docinfo.internalDTD is not None:
        raise format_error("xml", "the document declares a DOCTYPE, which is refused",
                           content)
    return root


def _elements(parent: etree._Element) -> list[etree._Element]:
    return [child for child in parent if isinstance(child.tag, str)]


def _is_plural(parent: str, child: str) -> bool:
    return parent in (child + "s", child + "es", child + "List", child[:-1] + "ies")


def _is_repeated(element: etree._Element) -> bool:
    """Children that are items of a list: all of one tag, and either several of them or
    one named as the singular of its parent (``<Flags><Flag>``)."""
    tag: str | None = None
    several = False
    for kid in element:  # stops at the first other tag: a nested object's second child
        kid_tag = kid.tag
        if not isinstance(kid_tag, str):
            continue
        if tag is None:
            tag = kid_tag
        elif kid_tag != tag:
            return False
        else:
            several = True
    if tag is None:
        return False
    return several or _is_plural(str(element.tag), tag)


def _nested(element: etree._Element) -> Any:
    """An element as a JSON value: text, a list of items, or a dict of its children (their
    names in snake_case)."""
    kids = _elements(element)
    if not kids:
        return element.text
    if _is_repeated(element):
        return [_nested(kid) for kid in kids]
    return {snake_case(str(kid.tag)): _nested(kid) for kid in kids}


def _items(element: etree._Element, text: str | None) -> list[Any]:
    """The items of a field the catalog types as an array, whatever the items are called
    (``<Permissions><Permission>get-all</Permission></Permissions>``): a list even with one
    item, an empty list with none (``<Permissions/>``, or only layout whitespace inside)."""
    kids = _elements(element)
    if kids:
        return [_nested(kid) for kid in kids]
    return [text] if text is not None and text.strip() else []


def _container(child: etree._Element, key: str, out: dict[str, Any]) -> None:
    """A child with children: a list (``<Flags><Flag>``) or a nested object (dotted keys)."""
    if _is_repeated(child):
        _put(out, key, [_nested(kid) for kid in _elements(child)])
    else:
        _flatten_into(child, key + ".", out)


def _put(out: dict[str, Any], key: str, value: Any) -> None:
    if key in out:  # a field repeated in place: <MediaUrl>a</MediaUrl><MediaUrl>b</...>
        before = out[key]
        out[key] = [*before, value] if isinstance(before, list) else [before, value]
    else:
        out[key] = value


def _flatten_into(element: etree._Element, prefix: str, out: dict[str, Any]) -> None:
    """The fields of a nested ``element`` into ``out``: leaves by their dotted path (each
    part in snake_case: ``<Capabilities><SMS>`` -> ``capabilities.sms``), nested objects
    dotted further."""
    for child in element:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        text = child.text
        key = prefix + snake_case(tag)
        # a leaf has text (or none, when empty); a parent has none or layout whitespace
        if (text is None or text[:1].isspace()) and len(child):
            _container(child, key, out)
        elif key in out:
            _put(out, key, text)
        else:
            out[key] = text


def _name(tag: Any, names: NameMap) -> str:
    return names(tag) if isinstance(tag, str) else ""


def _record(element: etree._Element, names: NameMap) -> dict[str, Any]:
    """One record: the hot loop, kept lean (a page holds ~20 fields x 1000 records).

    Whitespace between elements is layout (pretty-printed XML); text inside a leaf element is
    data, kept as it came, except that an object or array field (by the catalog) holding
    only whitespace is empty."""
    known = names.cache
    arrays, objects = names.arrays, names.objects
    out: dict[str, Any] = {}
    for child in element:
        text = child.text
        key = known.get(child.tag) or _name(child.tag, names)
        if not key:
            continue
        if arrays and key in arrays:
            before = out.get(key)
            items = _items(child, text)
            out[key] = [*before, *items] if isinstance(before, list) else items
        elif len(child) and (text is None or text[:1].isspace()):
            _container(child, key, out)
        elif key in out:
            _put(out, key, text)
        else:
            out[key] = text
    for key in objects:  # an object holding only layout whitespace: <SubresourceUris>\n  </..>
        value = out.get(key)
        if value is not None and isinstance(value, str) and not value.strip():
            out[key] = None
    return out


def _squash(name: str) -> str:
    return name.replace("_", "").lower()


def _list_element(children: list[etree._Element], operation: Operation | None
                  ) -> etree._Element | None:
    if operation is not None and operation.list_key is None:
        return None  # the catalog says: a single resource
    if operation is not None and operation.list_key:
        wanted = _squash(operation.list_key)
        for child in children:
            if _squash(str(child.tag)) == wanted:
                return child
    for child in children:
        if PAGING_ATTRIBUTES.intersection(child.attrib.keys()):
            return child
    if len(children) == 1 and _is_repeated(children[0]):
        return children[0]
    return None


def locate_xml(content: bytes, operation: Operation | None, names: NameMap
               ) -> tuple[list[etree._Element], PageInfo]:
    """The record elements of an XML answer, not yet walked, and its paging facts
    (``nextpageuri=""`` is none): what a walk needs before converting the page."""
    root = parse_xml(content)
    if root.tag != ROOT:
        raise format_error("xml", f"the root element is <{root.tag}>, expected <{ROOT}>",
                           content)
    children = _elements(root)
    found = _list_element(children, operation)
    if found is not None:
        attrs = found.attrib
        key = operation.list_key if operation is not None and operation.list_key else None
        return _elements(found), PageInfo(
            next_page=blank_to_none(attrs.get("nextpageuri")), page=as_int(attrs.get("page")),
            page_size=as_int(attrs.get("pagesize")), key=key or names(str(found.tag)),
            is_list=True)
    if len(children) == 1:
        return [children[0]], PageInfo()
    if not children:
        return [], PageInfo()
    return [root], PageInfo()


def walk_records(elements: list[etree._Element], names: NameMap) -> list[dict[str, Any]]:
    """The flat records of the elements :func:`locate_xml` found."""
    return [_record(item, names) for item in elements]


def read_xml(content: bytes, operation: Operation | None, names: NameMap
             ) -> tuple[list[dict[str, Any]], PageInfo]:
    """The flat records of an XML answer and its paging facts (``nextpageuri=""`` is none)."""
    elements, info = locate_xml(content, operation, names)
    return walk_records(elements, names), info
