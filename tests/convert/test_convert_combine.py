"""The fast paths of a walk over pages: pages typed once (combine_pages) and next-page
addresses peeked from the bytes. Each gives what the plain path gives, or gives up and
leaves the page to it."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest
import twilio_bodies as tb

from twilio_nb import catalog
from twilio_nb.convert import UNKNOWN, combine_pages, parse, peek_next_page, read_page
from twilio_nb.errors import TwilioWarning

MESSAGES = catalog.find("Message", "List Messages")


def _raw(body: bytes, fmt: str) -> pd.DataFrame:
    raw = read_page(body, fmt, MESSAGES).raw()
    assert raw is not None
    return raw


def _typed_one_by_one(bodies: list[bytes], fmt: str) -> pd.DataFrame:
    return pd.concat([parse(b, fmt, MESSAGES).frame for b in bodies], ignore_index=True)


@pytest.mark.parametrize("fmt", ["json", "xml", "csv"])
def test_pages_typed_once_equal_pages_typed_one_by_one(fmt: str) -> None:
    records = tb.messages(8)
    pages = [records[:3], records[3:6], records[6:]]
    bodies = [{"json": tb.as_json(p, "messages"), "xml": tb.as_xml(p, "Messages", "Message"),
               "csv": tb.as_csv(p)}[fmt] for p in pages]
    combined = combine_pages([_raw(b, fmt) for b in bodies], MESSAGES)
    pd.testing.assert_frame_equal(combined, _typed_one_by_one(bodies, fmt))
    assert combined["date_sent"].dtype == pd.DatetimeTZDtype(unit="us", tz="UTC")
    assert str(combined["num_segments"].dtype) == "Int64"
    assert combined["price"].dtype == "float64"


def test_a_field_missing_from_one_page_is_missing_in_its_rows() -> None:
    records = tb.messages(4)
    second = [{k: v for k, v in r.items() if k != "price"} for r in records[2:]]
    bodies = [tb.as_json(records[:2], "messages"), tb.as_json(second, "messages")]
    combined = combine_pages([_raw(b, "json") for b in bodies], MESSAGES)
    assert combined["price"].iloc[:2].notna().all() and combined["price"].iloc[2:].isna().all()
    assert combined["price"].dtype == "float64"
    pd.testing.assert_frame_equal(combined, _typed_one_by_one(bodies, "json"))


def test_a_bad_value_on_a_later_page_warns_once_and_keeps_the_column_as_text() -> None:
    records = tb.messages(6)
    records[5]["date_sent"] = "yesterday"
    bodies = [tb.as_json(records[:3], "messages"), tb.as_json(records[3:], "messages")]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        combined = combine_pages([_raw(b, "json") for b in bodies], MESSAGES)
    said = [w for w in caught if issubclass(w.category, TwilioWarning)]
    assert len(said) == 1 and "'yesterday'" in str(said[0].message)
    assert combined["date_sent"].tolist()[5] == "yesterday"  # nothing lost
    assert combined["date_sent"].tolist()[0] == records[0]["date_sent"]


def _numbers(prices: list[str | None], segments: list[str | None]) -> pd.DataFrame:
    records = tb.messages(len(prices))
    for record, price, count in zip(records, prices, segments, strict=True):
        record["price"], record["num_segments"] = price, count
    return combine_pages([_raw(tb.as_json(records, "messages"), "json")], MESSAGES)


def test_numbers_read_alike_by_pyarrow_and_by_pandas() -> None:
    # plain numbers are cast by pyarrow; a column with one that is not goes to pandas whole
    plain = _numbers(["-0.0075", "1e-2", None], ["1", "007", None])
    mixed = _numbers(["-0.0075", "1e-2", " 3"], ["1", "007", "1.0"])
    assert plain["price"].tolist()[:2] == [-0.0075, 0.01] and pd.isna(plain["price"].iloc[2])
    assert plain["num_segments"].tolist()[:2] == [1, 7] and pd.isna(plain["num_segments"][2])
    assert mixed["price"].tolist() == [-0.0075, 0.01, 3.0]
    assert mixed["num_segments"].tolist() == [1, 7, 1]
    assert str(mixed["num_segments"].dtype) == "Int64"


def test_a_value_that_is_no_number_keeps_the_column_as_text() -> None:
    frame = _numbers(["-0.0075", "0x10"], ["1", "ten"])
    assert frame["price"].tolist() == ["-0.0075", "0x10"]
    assert frame["num_segments"].tolist() == ["1", "ten"]


def test_no_rows_give_the_typed_catalog_columns() -> None:
    empty = combine_pages([_raw(tb.as_json([], "messages"), "json")], MESSAGES)
    assert len(empty) == 0 and "date_sent" in empty.columns
    assert empty["date_sent"].dtype == pd.DatetimeTZDtype(unit="us", tz="UTC")


def test_combining_lets_the_pages_go() -> None:
    pieces = [_raw(tb.as_json(tb.messages(2), "messages"), "json") for _ in range(3)]
    combine_pages(pieces, MESSAGES)
    assert pieces == []


NEXT = "/2010-04-01/Accounts/AC123/Messages.json?PageSize=2&Page=1&PageToken=PASM1"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_peek_finds_what_decoding_finds(fmt: str) -> None:
    records = tb.messages(3)
    for nxt in (NEXT, None):
        body = tb.as_json(records, "messages", next_page=nxt) if fmt == "json" else \
            tb.as_xml(records, "Messages", "Message", next_page=nxt)
        assert peek_next_page(body, fmt) == read_page(body, fmt, MESSAGES).next_page == nxt


def test_the_peek_reads_escapes_and_product_meta() -> None:
    assert peek_next_page(b'{"a": [], "next_page_uri": "/x?a=1\\u0026b=2"}', "json") == \
        "/x?a=1&b=2"
    assert peek_next_page(b'{"meta": {"next_page_url" : null}, "x": []}', "json") is None
    assert peek_next_page(b'<R><L nextpageuri="/a?x=1&amp;y=2"/></R>', "xml") == "/a?x=1&y=2"


@pytest.mark.parametrize(("body", "fmt"), [
    (b'{"next_page_uri": "/a", "x": [{"next_page_uri": "/b"}]}', "json"),  # twice
    (b'{"next_page_uri": 3}', "json"),  # not an address
    (b'{"messages": []}', "json"),  # not there
    (b'<R><L nextpageuri="/a"><M><Body> nextpageuri="/b"</Body></M></L></R>', "xml"),
    (b"Sid,To\r\nSM1,+1\r\n", "csv"),
])
def test_the_peek_gives_up_when_unsure(body: bytes, fmt: str) -> None:
    assert peek_next_page(body, fmt) is UNKNOWN

