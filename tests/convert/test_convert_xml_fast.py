"""The XML fast path gives the walk's frame, and leaves every page it cannot prove to the walk.

``fast_frame`` reads a page's records without element objects when they all share the first
record's shape; the walk reads every other page. Each case here compares the two frames
(before typing) and the typed frame ``parse`` gives, and says whether the fast path must be
taken: on every sandbox list, on Twilio's real XML bodies (tests/convert/twilio_bodies, sources in
its SOURCES file) and on generated bodies made to break one check each.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pandas as pd
import pytest
from sandbox_lists import LISTS, A

from twilio_nb import catalog
from twilio_nb.convert import combine_pages, parse
from twilio_nb.convert._column_names import NameMap
from twilio_nb.convert._frame import records_frame
from twilio_nb.convert._uris import json_form_uris
from twilio_nb.convert._xml import locate_xml, walk_records
from twilio_nb.convert._xml_fast import fast_frame

MESSAGES = 60
MESSAGE_LIST = catalog.by_id("api_v2010.ListMessage")
BODIES = Path(__file__).with_name("twilio_bodies")


def _frames(body: bytes, op: catalog.Operation | None
            ) -> tuple[pd.DataFrame | None, pd.DataFrame]:
    """The fast path's frame (None: not taken) and the walk's, both checked against parse."""
    names = NameMap(op.response_properties if op is not None else ())
    elements, info = locate_xml(body, op, names)
    quick = fast_frame(body, elements, names) if info.is_list else None
    walked = records_frame(walk_records(elements, names))
    if quick is not None:
        pd.testing.assert_frame_equal(quick, walked)
    typed = combine_pages([json_form_uris(walked.copy())], op)
    pd.testing.assert_frame_equal(parse(body, "xml", op).frame, typed)
    return quick, walked


# -- every sandbox list --


@pytest.mark.parametrize("op_id,path", LISTS, ids=[p for _, p in LISTS])
@pytest.mark.parametrize("size", [1, 20])
def test_every_sandbox_list_is_read_fast_and_as_the_walk_reads_it(
        box: Any, sids: dict[str, str], op_id: str, path: str, size: int) -> None:
    with httpx.Client(transport=box.transport(), base_url="http://sandbox",
                      auth=box.auth()) as c:
        body = c.get(f"{A}{path.format(**sids)}.xml", params={"PageSize": size}).content
    quick, walked = _frames(body, catalog.by_id(op_id))
    assert (quick is not None) == (len(walked) > 0)  # every page with records: fast


def test_a_large_sandbox_page_is_read_fast(box: Any) -> None:
    with httpx.Client(transport=box.transport(), base_url="http://sandbox",
                      auth=box.auth()) as c:
        body = c.get(f"{A}/Messages.xml", params={"PageSize": 60}).content
    quick, walked = _frames(body, MESSAGE_LIST)
    assert quick is not None and len(walked) == 60
    assert {"subresource_uris.media", "body", "price"} <= set(quick.columns)


# -- Twilio's real bodies --

XML_BODIES = [e for e in json.loads((BODIES / "index.json").read_text(encoding="utf-8"))
              if e["file"].startswith("xml/")]
# lists read fast; short_codes_list.xml holds a <ShortCode> field in each <ShortCode>
# record, and a page where the record's tag is found elsewhere is left to the walk
FAST_BODIES = {"accounts_list.xml", "calls_list.xml", "conferences_list.xml", "media_list.xml",
               "messages_list.xml", "recordings_list.xml", "sms_messages_list.xml",
               "transcriptions_list.xml"}


@pytest.mark.parametrize("entry", XML_BODIES, ids=lambda e: e["file"].split("/", 1)[1])
def test_twilios_real_bodies_give_the_walks_frame(entry: dict[str, Any]) -> None:
    op = catalog.by_id(entry["operation"]) if entry["operation"] else None
    quick, _ = _frames((BODIES / entry["file"]).read_bytes(), op)
    assert (quick is not None) == (entry["file"].split("/", 1)[1] in FAST_BODIES)


def test_all_seventeen_real_bodies_are_compared() -> None:
    assert len(XML_BODIES) == 17


# -- generated bodies, each made to break one check --

HEAD = "<?xml version='1.0' encoding='UTF-8'?>"


def _message(i: int, *, body: str = "hello", price: str = "<Price>-0.0075</Price>",
             extra: str = "", start: str = "<Message>", layout: str = "") -> str:
    sid = f"SM{i:032x}"
    path = f"/2010-04-01/Accounts/AC{'a' * 32}/Messages/{sid}"
    fields = [f"<Sid>{sid}</Sid>", f"<DateSent>Mon, 16 Aug 2010 03:45:0{i % 10} +0000</DateSent>",
              f"<Body>{body}</Body>", price, "<ErrorCode/>", extra,
              f"<SubresourceUris>{layout}<Media>{path}/Media</Media>{layout}</SubresourceUris>",
              f"<Uri>{path}</Uri>"]
    return start + layout + layout.join(f for f in fields if f) + layout + "</Message>"


def _page(records: list[str], head: str = HEAD, between: str = "") -> bytes:
    return (f'{head}<TwilioResponse><Messages page="0" pagesize="50" '
            f'nextpageuri="/2010-04-01/Accounts/AC{"a" * 32}/Messages?Page=1&amp;PageSize=50">'
            + between.join(records) + "</Messages></TwilioResponse>").encode("utf-8")


def _three(second: str, **first: Any) -> list[str]:
    return [_message(0, **first), second, _message(2, **first)]


Case = tuple[Callable[[], bytes], bool]
CASES: dict[str, Case] = {
    "same shape": (lambda: _page([_message(i) for i in range(3)]), True),
    "one record": (lambda: _page([_message(0)]), True),
    "empty elements in both forms": (lambda: _page(_three(_message(1, price="<Price></Price>"),
                                                          price="<Price/>")), True),
    "an extra field": (lambda: _page(_three(_message(1, extra="<Flag>x</Flag>"))), False),
    "a missing field": (lambda: _page(_three(_message(1, price=""))), False),
    "fields in another order": (lambda: _page(_three(_message(1).replace(
        "<Price>-0.0075</Price><ErrorCode/>", "<ErrorCode/><Price>-0.0075</Price>"))), False),
    "entities": (lambda: _page(_three(_message(
        1, body="Tom &amp; Jerry &lt;3 &gt; &quot;x&quot; &apos;y&apos; &amp;lt; >"))), True),
    "character references": (lambda: _page(_three(_message(1, body="caf&#233; &#x1F600;"))),
                             False),
    "CDATA": (lambda: _page(_three(_message(1, body="<![CDATA[a <b> & c]]>"))), False),
    "a comment in a record": (lambda: _page(_three(_message(1, extra="<!-- <Flag/> -->"))),
                              False),
    "a comment between records": (lambda: _page([_message(i) for i in range(3)],
                                                between="<!-- x -->"), False),
    "a processing instruction": (lambda: _page(_three(_message(1, extra="<?pi x?>"))), False),
    "an attribute on a record": (lambda: _page(_three(_message(1, start='<Message a="1">'))),
                                 False),
    "an attribute on a field": (lambda: _page(_three(_message(1).replace(
        "<Body>", '<Body lang="en">'))), False),
    "mixed content": (lambda: _page(_three(_message(1).replace(
        "<SubresourceUris>", "<SubresourceUris>x"))), False),
    "the record's tag nested in another record": (lambda: _page([
        _message(0), f"<Message><Wrapper>{_message(1)}</Wrapper></Message>"]), False),
    "another element among the records": (lambda: _page(_three(_message(1).replace(
        "Message>", "Other>"))), False),
    "another element holding a record": (lambda: _page(_three(f"<Other>{_message(1)}</Other>")),
                                         False),
    "a repeated field": (lambda: _page([_message(i, extra="<Flag>a</Flag><Flag>b</Flag>")
                                        for i in range(3)]), False),
    "line ends": (lambda: _page(_three(_message(1, body="a\r\nb\rc"))), True),
    "whitespace in a value": (lambda: _page(_three(_message(1, body="  "))), True),
    "a private-use character": (lambda: _page(_three(_message(1, body="a\ue000b"))), True),
    "pretty-printed": (lambda: _page([_message(i, layout="\n    ") for i in range(3)],
                                     between="\n  "), True),
    "laid out differently in one record": (lambda: _page(_three(_message(1, layout="\n"))),
                                           False),
    "text between records": (lambda: _page([_message(i) for i in range(3)],
                                           between="\n\t...\n"), True),
    "declared in ISO-8859-1": (lambda: _page([_message(i) for i in range(3)]).replace(
        b"UTF-8", b"ISO-8859-1"), False),
    "declared in lower-case utf-8": (lambda: _page([_message(i) for i in range(3)]).replace(
        b"UTF-8", b"utf-8"), True),
    "no declaration": (lambda: _page([_message(i) for i in range(3)], head=""), True),
    "a tag with a dot and a dash": (lambda: _page([_message(i, extra="<X-Y.Z>v</X-Y.Z>")
                                                   for i in range(3)]), True),
    "an empty list": (lambda: _page([]), False),
}


@pytest.mark.parametrize("name", list(CASES))
def test_generated_bodies(name: str) -> None:
    make, fast = CASES[name]
    quick, _ = _frames(make(), MESSAGE_LIST)
    assert (quick is not None) is fast


def test_a_page_read_without_its_operation_is_read_fast_too() -> None:
    quick, walked = _frames(_page([_message(i) for i in range(3)]), None)
    assert quick is not None and "subresource_uris.media" in walked.columns


def test_text_is_what_the_parser_gives() -> None:
    body = _page(_three(_message(1, body="Tom &amp; Jerry &lt;3 &amp;lt; a\r\nb\rc >")))
    quick, _ = _frames(body, MESSAGE_LIST)
    assert quick is not None
    assert quick["body"][1] == "Tom & Jerry <3 &lt; a\nb\nc >"


def test_empty_elements_are_missing_and_an_always_empty_field_is_a_column_of_none() -> None:
    quick, _ = _frames(_page(_three(_message(1, price="<Price></Price>"), price="<Price/>")),
                       MESSAGE_LIST)
    assert quick is not None
    assert quick["price"].isna().all()
    assert quick["error_code"].dtype == object and quick["error_code"].tolist() == [None] * 3


def test_an_object_holding_only_whitespace_is_empty() -> None:
    records = [_message(i).replace(_message(i).split("<SubresourceUris>")[1].split(
        "</SubresourceUris>")[0], "\n   ") for i in range(3)]
    quick, walked = _frames(_page(records), MESSAGE_LIST)
    assert quick is not None
    assert walked["subresource_uris"].tolist() == [None] * 3


def test_an_array_field_is_left_to_the_walk() -> None:
    op = catalog.by_id("api_v2010.ListConnectApp")
    for permissions in ("<Permissions><Permission>get-all</Permission></Permissions>",
                        "<Permissions/>"):
        items = "".join(f"<ConnectApp><Sid>CN{i:032x}</Sid>{permissions}</ConnectApp>"
                        for i in range(2))
        body = f'<TwilioResponse><ConnectApps page="0">{items}</ConnectApps></TwilioResponse>'
        quick, walked = _frames(body.encode(), op)
        assert quick is None
        assert isinstance(walked["permissions"][0], list)


# -- random bodies: whatever path reads them, the frames are equal --

_TEXTS = ["a", "Hi", " ", "\n", "\r\n", "\r", "&amp;", "&lt;", "&gt;", "&quot;", "&apos;",
          "&amp;lt;", "é", "😀", "\ue000", ">", "]", "/", "'", '"', "1.5", "true"]
_CHANGES = ["", "", "", "", "extra", "missing", "order", "attribute", "comment", "cdata",
            "layout", "empty", "reference"]


def _random_record(rng: random.Random, i: int, change: str, layout: str) -> str:
    def text() -> str:
        return "".join(rng.choice(_TEXTS) for _ in range(rng.randrange(0, 4)))

    def leaf(tag: str) -> str:
        value = text()
        if not value:
            spaced = f"<{tag} />" if layout else f"<{tag}/>"  # a space inside: laid out
            return rng.choice([f"<{tag}/>", f"<{tag}></{tag}>", spaced])
        return f"<{tag}>{value}</{tag}>"

    media = f"<SubresourceUris>{layout}{leaf('Media')}{layout}{leaf('Feedback')}{layout}" \
            "</SubresourceUris>"
    fields = [f"<Sid>SM{i:032x}</Sid>", leaf("Body"), leaf("Price"), leaf("Status"), media]
    if change == "extra":
        fields.insert(rng.randrange(len(fields) + 1), leaf("Flag"))
    elif change == "missing":
        fields.pop(rng.randrange(len(fields)))
    elif change == "order":
        fields[1], fields[2] = fields[2], fields[1]
    elif change == "attribute":
        fields[1] = fields[1].replace("<Body", '<Body x="1"', 1)
    elif change == "comment":
        fields.insert(1, "<!-- c -->")
    elif change == "cdata":
        fields[1] = "<Body><![CDATA[a<b]]></Body>"
    elif change == "layout":
        layout = "\n" if not layout else ""
    elif change == "empty":
        fields[4] = "<SubresourceUris/>"
    elif change == "reference":
        fields[1] = "<Body>caf&#233;</Body>"
    return f"<Message>{layout}{layout.join(fields)}{layout}</Message>"


@pytest.mark.parametrize("seed", range(4))
def test_random_pages_give_one_frame_whichever_path_reads_them(seed: int) -> None:
    rng = random.Random(seed)
    fast = 0
    for _ in range(60):
        layout = rng.choice(["", "", "\n  ", "\r\n\t"])
        count = rng.randrange(1, 6)
        changed = rng.randrange(count)
        change = rng.choice(_CHANGES)
        records = [_random_record(rng, i, change if i == changed else "", layout)
                   for i in range(count)]
        quick, walked = _frames(_page(records, between=rng.choice(["", "\n", " ... "])),
                                MESSAGE_LIST)
        assert len(walked) == count
        fast += quick is not None
    assert 10 < fast < 60  # both paths were taken
