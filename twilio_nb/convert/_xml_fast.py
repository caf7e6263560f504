"""A page of XML records read at C speed when every record has the first record's shape.

The walk (:func:`~twilio_nb.convert._xml.walk_records`) costs one lxml element object per
element (~21,000 for a page of 1,000 messages). A Twilio page repeats one shape, so when that
can be proved the records are read without element objects. lxml has parsed the page first
(safely, as always: it is well-formed, declares no DTD and no entity), and then:

1. **One pattern per shape.** A regular expression is built from the first record's
   elements (compiled once per shape): the record's tag, its elements in their order and
   nesting, no attribute, laid out as the first record is (no whitespace, or whitespace
   alone between elements), each leaf holding plain text (captured) or nothing
   (``<Price/>``, ``<Price></Price>``). One ``findall`` over the body gives one tuple of
   leaf texts per record of exactly this shape, and finds any ``<!`` (a comment, CDATA) or
   ``<?`` (a processing instruction) after the XML declaration.
2. **Proof that every record matched.** No ``<!`` or ``<?`` (so every ``<`` is a real tag
   and every match a real element); every record has the record tag; the document holds no
   other element of that tag (lxml counts them); the matches are as many as the records;
   the page is UTF-8. A record with a field more, less or elsewhere, an attribute, mixed
   content: fewer matches, and the walk reads the page.
3. **Names from the walk.** The first record is walked as usual; its keys name the columns,
   one per leaf in document order. A list (a catalog array, a repeated element) or a leaf
   the walk reads otherwise: the walk reads the page.
4. **Text as the parser gives it**, in pyarrow (lxml has checked the UTF-8): ``&lt;``
   ``&gt;`` ``&quot;`` ``&apos;`` then ``&amp;`` replaced (a character reference,
   ``&#...;``: the walk); line ends normalised as XML says (CRLF and CR to LF); an empty
   element missing.

Anything the checks cannot prove equal goes to the walk, so both give the same frame; the
tests compare them on every sandbox list, Twilio's real bodies and generated tricky ones.
Measured alternatives are in docs/format-cost.md (libxslt writing the leaves' text costs
about as much as the walk).
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache
from typing import TYPE_CHECKING

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ._frame import ARROW_POOL, records_frame, text_series
from ._xml import walk_records

if TYPE_CHECKING:
    from lxml import etree

    from ._column_names import NameMap

__all__ = ["fast_frame", "xml_frame"]

_MAX_DEPTH = 8
_MAX_LEAVES = 400
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")  # a tag the pattern and XPath can name
_ENTITIES = (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&apos;", "'"), ("&amp;", "&"))

Shape = tuple[str, tuple["Shape", ...]]


def _shape(element: etree._Element, depth: int = 0) -> Shape | None:
    """The element's tag and its children's shapes; None for a tag the pattern does not
    name (a namespace, a non-ASCII name) or nesting deeper than a Twilio record's."""
    tag = element.tag
    if not isinstance(tag, str) or not _NAME.fullmatch(tag) or depth > _MAX_DEPTH:
        return None
    kids = []
    for kid in element:
        shape = _shape(kid, depth + 1)
        if shape is None:
            return None
        kids.append(shape)
    return tag, tuple(kids)


def _spaced(record: etree._Element) -> bool:
    """Whether the record is laid out with whitespace between its elements (text before a
    container's first child or after an element inside the record; not the record's own
    tail, which lies between records)."""
    return any(len(element) and element.text is not None for element in record.iter()) or \
        any(element.tail is not None for element in record.iterdescendants())


def _element_pattern(shape: Shape, space: bytes) -> bytes:
    tag, kids = shape
    name = re.escape(tag.encode("ascii"))
    if not kids:  # a leaf: empty, or plain text (no element, comment or CDATA inside)
        return b"<" + name + space + b"(?:/>|>([^<]*+)</" + name + space + b">)"
    inner = space.join(_element_pattern(kid, space) for kid in kids)
    return b"<" + name + space + b">" + space + inner + space + b"</" + name + space + b">"


@lru_cache(maxsize=64)
def _record_pattern(shape: Shape, spaced: bool) -> re.Pattern[bytes]:
    """Records of ``shape`` (group 2 on: their leaves' text), or (group 1) markup that is not
    a tag: ``<!`` (a comment, CDATA) or ``<?`` (a processing instruction)."""
    record = _element_pattern(shape, rb"\s*+" if spaced else b"")
    return re.compile(b"<(?:([!?])|" + record[1:] + b")")


def _leaves(shape: Shape) -> int:
    return sum(_leaves(kid) for kid in shape[1]) if shape[1] else 1


def _after_declaration(content: bytes) -> int:
    """Where the document starts after its XML declaration (0 without one)."""
    head = len(content) - len(content.lstrip(b"\xef\xbb\xbf \t\r\n"))
    if content.startswith(b"<?xml", head):
        end = content.find(b"?>", head)
        return end + 2 if end >= 0 else 0
    return head


def _as_parsed(values: pa.Array, ampersand: bool, carriage_return: bool) -> pa.Array | None:
    """Raw leaf text as lxml gives it: entities replaced, line ends normalised; None for
    a character reference (the walk reads it). ``ampersand``, ``carriage_return``: whether
    the records' bytes hold one (else the text is as the parser gives it)."""
    if ampersand and pc.any(pc.match_substring(values, "&")).as_py():
        amps = pc.sum(pc.count_substring(values, "&")).as_py()
        known = sum(pc.sum(pc.count_substring(values, entity)).as_py()
                    for entity, _ in _ENTITIES)
        if amps != known:  # &#233; &#xE9;: the walk
            return None
        for entity, char in _ENTITIES:  # &amp; last: "&amp;lt;" is "&lt;", not "<"
            values = pc.replace_substring(values, entity, char)
    if carriage_return:
        values = pc.replace_substring(pc.replace_substring(values, "\r\n", "\n"), "\r", "\n")
    return values


def _by_column(rows: list[tuple[bytes, ...]], content: bytes, start: int, width: int
               ) -> pa.Array | None:
    """The leaves' text as one array, column after column (the first leaf of every record,
    then the second...), an empty element missing; None when the walk must read it.
    ``rows`` are the pattern's matches (a marker, then the record's ``width`` leaves) in
    ``content`` from ``start`` on."""
    columns = list(zip(*rows, strict=True))[1:]  # the marker's column left out
    # read as bytes and viewed as text without a check: lxml has parsed the page as UTF-8
    # (it refuses bytes that are not), and a leaf's text lies between ASCII '>' and '<'
    values = pa.array(list(itertools.chain.from_iterable(columns)), type=pa.large_binary(),
                      memory_pool=ARROW_POOL).view(pa.large_string())
    parsed = _as_parsed(values, content.find(b"&", start) >= 0, b"\r" in content)
    if parsed is None:
        return None
    lengths = pc.binary_length(parsed)
    if pc.min(lengths).as_py() == 0:
        parsed = pc.if_else(pc.greater(lengths, 0), parsed, pa.scalar(None, parsed.type))
    return parsed


def _column(values: pa.Array, blank_object: bool, index: pd.Index) -> pd.Series:
    """One column as the walk's records give it to :func:`records_frame`."""
    if blank_object:  # an object holding only layout whitespace is empty, as the walk says
        texts = [t if t is None or t.strip() else None for t in values.to_pylist()]
        values = pa.array(texts, type=values.type, memory_pool=ARROW_POOL)
    series = text_series(values, index)
    return series if series is not None else pd.Series([None] * len(values), index=index)


def fast_frame(content: bytes, elements: list[etree._Element], names: NameMap
               ) -> pd.DataFrame | None:
    """The frame ``records_frame(walk_records(elements, names))`` gives, read without
    element objects; None when the records cannot be proved to share the first record's
    shape (then the walk reads them)."""
    if not elements:
        return None
    record = _shape(elements[0])
    if record is None or not record[1] or _leaves(record) > _MAX_LEAVES:
        return None
    tag = record[0]
    root = elements[0].getroottree()
    if str(root.docinfo.encoding).replace("-", "").upper() != "UTF8":
        return None  # the bytes are not the text's UTF-8
    count = len(elements)
    if any(item.tag != tag for item in elements) or root.xpath(f"count(//{tag})") != count:
        return None  # another element among the records, or the record tag elsewhere
    start = _after_declaration(content)
    found = _record_pattern(record, _spaced(elements[0])).findall(content, start)
    if len(found) != count or any(row[0] for row in found):
        return None  # a record of another shape; a comment, CDATA or instruction
    first = walk_records(elements[:1], names)[0]
    width = _leaves(record)
    if len(first) != width or not all(v is None or isinstance(v, str)
                                      for v in first.values()):
        return None  # a list, a repeated field: the walk knows what to make of it
    first_record = content.find(b"<" + tag.encode("ascii") + b">", start)
    values = _by_column(found, content, max(first_record, start), width)
    if values is None:
        return None
    index = pd.RangeIndex(count)  # one index: the frame takes the columns without a copy
    columns = {key: _column(values.slice(k * count, count), key in names.objects, index)
               for k, key in enumerate(first)}
    return pd.DataFrame(columns, index=index, copy=False)


def xml_frame(content: bytes, elements: list[etree._Element], names: NameMap, *,
              is_list: bool) -> pd.DataFrame:
    """The records of an XML page as a frame before typing: read without element objects
    when the page's shape allows it (:func:`fast_frame`), else walked."""
    frame = fast_frame(content, elements, names) if is_list else None
    return frame if frame is not None else records_frame(walk_records(elements, names))
