"""Twilio answers to typed DataFrames: the same records in JSON, XML and CSV give one frame."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest
import twilio_bodies as tb
from pandas_versions import is_text

from twilio_nb import catalog
from twilio_nb.convert import FORMATS, empty_frame, parse, to_dataframe
from twilio_nb.errors import ConfigurationError, TwilioWarning

UTC = pd.DatetimeTZDtype(unit="us", tz="UTC")
LISTS = {
    "messages": ("api_v2010.ListMessage", tb.messages, "Messages", "Message"),
    "calls": ("api_v2010.ListCall", tb.calls, "Calls", "Call"),
    "recordings": ("api_v2010.ListRecording", tb.recordings, "Recordings", "Recording"),
}


def three_formats(key: str, count: int = 4, next_page: str | None = None
                  ) -> dict[str, bytes]:
    _, make, list_tag, item_tag = LISTS[key]
    records = make(count)
    return {"json": tb.as_json(records, key, next_page=next_page),
            "xml": tb.as_xml(records, list_tag, item_tag, next_page=next_page),
            "csv": tb.as_csv(records)}


@pytest.mark.parametrize("key", LISTS)
def test_the_three_formats_give_the_same_frame(key: str) -> None:
    op = catalog.by_id(LISTS[key][0])
    frames = {fmt: to_dataframe(body, fmt, op) for fmt, body in three_formats(key).items()}
    pd.testing.assert_frame_equal(frames["json"], frames["xml"])
    pd.testing.assert_frame_equal(frames["json"], frames["csv"])
    assert len(frames["json"]) == 4


@pytest.mark.parametrize("key", LISTS)
def test_columns_are_typed_from_the_catalog(key: str) -> None:
    op = catalog.by_id(LISTS[key][0])
    frame = to_dataframe(three_formats(key)["csv"], "csv", op)
    for name, prop in op.response_properties.items():
        if name not in frame.columns:
            continue
        if prop.get("format") == "date-time-rfc-2822":
            assert frame[name].dtype == UTC, name
        elif prop.get("type") == "integer":
            assert frame[name].dtype == "Int64", name
    assert frame["price"].dtype == "float64"
    assert is_text(frame["sid"].dtype)  # "str"; pandas 2.2: "string[pyarrow_numpy]"
    assert list(frame.columns[:len(op.default_output)]) == list(op.default_output)


def test_message_values_survive_every_format() -> None:
    op = catalog.by_id("api_v2010.ListMessage")
    for fmt, body in three_formats("messages").items():
        frame = to_dataframe(body, fmt, op)
        first, queued = frame.iloc[0], frame.iloc[2]
        assert first["from"] == "+14155550100", fmt  # the leading + survives CSV
        assert first["to"] == "+447700900100", fmt
        assert first["date_sent"] == pd.Timestamp("2025-04-01 09:10:07", tz="UTC"), fmt
        assert first["price"] == pytest.approx(-0.0075), fmt
        assert first["num_segments"] == 1 and frame["num_segments"].dtype == "Int64"
        assert first["body"] == 'Parcel 7 is out, "fragile"'
        assert frame.iloc[1]["body"] == "Olá 👋, line one\nline two"
        assert frame.iloc[1]["error_code"] == 30007
        assert pd.isna(first["error_code"]) and pd.isna(first["error_message"])
        assert pd.isna(queued["date_sent"]) and pd.isna(queued["price"])
        assert first["subresource_uris.media"].endswith("/Media.json")
        assert "subresource_uris" not in frame.columns


def test_call_durations_are_counts_and_recording_channels_integers() -> None:
    calls = to_dataframe(three_formats("calls")["xml"], "xml",
                         catalog.by_id("api_v2010.ListCall"))
    assert calls["duration"].tolist() == [60, 59, 58, 57]
    assert calls["duration"].dtype == "Int64" and calls["queue_time"].dtype == "Int64"
    assert calls["to_formatted"].iloc[0] == "+91 98765 00011"
    recs = to_dataframe(three_formats("recordings")["csv"], "csv",
                        catalog.by_id("api_v2010.ListRecording"))
    assert recs["channels"].tolist() == [1, 2, 1, 2]
    assert recs["start_time"].iloc[0] == pd.Timestamp("2025-05-06 07:29:45", tz="UTC")


def test_csv_headers_may_be_snake_case_in_any_order() -> None:
    op = catalog.by_id("api_v2010.ListMessage")
    records = tb.messages(3)
    pascal = to_dataframe(tb.as_csv(records, shuffle_seed=1), "csv", op)
    snake = to_dataframe(tb.as_csv(records, pascal_case=False, shuffle_seed=2), "csv", op)
    pd.testing.assert_frame_equal(pascal, snake)


def test_csv_cell_holding_a_json_object_is_flattened() -> None:
    op = catalog.by_id("api_v2010.ListMessage")
    body = b'Sid,SubresourceUris\nSM1,"{""media"": ""/m.json""}"\nSM2,\n'
    frame = to_dataframe(body, "csv", op)
    assert frame["subresource_uris.media"].tolist()[0] == "/m.json"
    assert pd.isna(frame["subresource_uris.media"].iloc[1])


def test_csv_cells_any_json_reader_takes_are_read_and_the_others_kept() -> None:
    op = catalog.by_id("api_v2010.ListMessage")
    nan = b'Sid,SubresourceUris\nSM1,"{""media"": ""/m.json"", ""score"": NaN}"\n'
    frame = to_dataframe(nan, "csv", op)  # NaN: orjson refuses it, the json module reads it
    assert frame["subresource_uris.media"].tolist() == ["/m.json"]
    assert pd.isna(frame["subresource_uris.score"].iloc[0])
    broken = to_dataframe(b'Sid,SubresourceUris\nSM2,"{not json"\n', "csv", op)
    assert broken["subresource_uris"].tolist() == ["{not json"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_nulls_are_missing_in_every_format(fmt: str) -> None:
    op = catalog.by_id("api_v2010.ListRecording")
    frame = to_dataframe(three_formats("recordings")[fmt], fmt, op)
    assert frame["conference_sid"].isna().all()
    assert frame["error_code"].isna().all() and frame["error_code"].dtype == "Int64"


# --- paging -----------------------------------------------------------------------------

def test_2010_json_paging() -> None:
    nxt = f"{tb.BASE}/Messages.json?PageSize=50&Page=1&PageToken=PASM1"
    page = parse(three_formats("messages", next_page=nxt)["json"], "json",
                 catalog.by_id("api_v2010.ListMessage"))
    assert (page.next_page, page.page, page.page_size) == (nxt, 0, 50)
    assert page.key == "messages" and page.is_list


def test_2010_xml_paging_attribute_with_empty_meaning_none() -> None:
    op = catalog.by_id("api_v2010.ListMessage")
    nxt = f"{tb.BASE}/Messages?PageSize=50&Page=1&PageToken=PASM1"
    page = parse(three_formats("messages", next_page=nxt)["xml"], "xml", op)
    assert (page.next_page, page.page, page.page_size, page.key) == (nxt, 0, 50, "messages")
    last = parse(three_formats("messages")["xml"], "xml", op)
    assert '<Messages page="0"' in three_formats("messages")["xml"].decode()
    assert 'nextpageuri=""' in three_formats("messages")["xml"].decode()
    assert last.next_page is None and last.is_list


def test_csv_carries_no_paging() -> None:
    page = parse(three_formats("messages")["csv"], "csv", catalog.by_id("api_v2010.ListMessage"))
    assert page.next_page is None and page.page is None and page.is_list


def _participants(next_url: str | None) -> dict[str, Any]:
    conv = "CH" + "0" * 31 + "9"
    return {
        "meta": {"page": 2, "page_size": 2, "key": "participants", "url": "u",
                 "first_page_url": "f", "previous_page_url": "p", "next_page_url": next_url},
        "participants": [
            {"account_sid": tb.ACCOUNT, "conversation_sid": conv, "sid": "MB" + "1" * 32,
             "identity": None, "attributes": "{}", "role_sid": "RL" + "2" * 32,
             "messaging_binding": {"type": "sms", "address": "+15005550006",
                                   "proxy_address": "+15005550001"},
             "date_created": "2025-03-01T12:00:00Z", "date_updated": "2025-03-01T12:00:05.250Z",
             "url": "https://conversations.twilio.com/v1/...", "last_read_message_index": None,
             "last_read_timestamp": None},
            {"account_sid": tb.ACCOUNT, "conversation_sid": conv, "sid": "MB" + "3" * 32,
             "identity": "dana", "attributes": '{"role": "agent"}', "role_sid": "RL" + "2" * 32,
             "messaging_binding": None, "date_created": "2025-03-02T08:30:00Z",
             "date_updated": "2025-03-02T08:30:00Z", "url": "https://conversations.twilio.com/",
             "last_read_message_index": 12, "last_read_timestamp": "2025-03-02T09:00:00Z"},
        ],
    }


def test_product_api_list_by_meta_key() -> None:
    op = catalog.by_id("conversations_v1.ListConversationParticipant")
    nxt = "https://conversations.twilio.com/v1/Conversations/CH9/Participants?Page=3&PageToken=PT"
    page = parse(json.dumps(_participants(nxt)).encode(), "json", op)
    assert (page.next_page, page.page, page.page_size, page.key) == (nxt, 2, 2, "participants")
    frame = page.frame
    assert frame["identity"].tolist()[1] == "dana" and pd.isna(frame["identity"].iloc[0])
    assert frame["date_updated"].iloc[0] == pd.Timestamp("2025-03-01 12:00:05.250", tz="UTC")
    assert frame["date_created"].dtype == UTC
    assert frame["last_read_message_index"].dtype == "Int64"
    assert frame["messaging_binding.address"].iloc[0] == "+15005550006"
    # the default output (sid, messaging_binding) leads, the binding's fields in its place
    assert list(frame.columns[:4]) == ["sid", "messaging_binding.address",
                                       "messaging_binding.proxy_address",
                                       "messaging_binding.type"]
    last = parse(json.dumps(_participants(None)).encode(), "json", op)
    assert last.next_page is None


def test_product_list_found_without_an_operation() -> None:
    page = parse(json.dumps(_participants("")).encode(), "json")
    assert page.key == "participants" and page.is_list and page.next_page is None
    assert list(page.frame.columns[:3]) == ["account_sid", "conversation_sid", "sid"]
    assert page.frame["date_created"].iloc[0] == "2025-03-01T12:00:00Z"  # untyped


def test_2010_list_found_without_an_operation() -> None:
    for fmt in ("json", "xml"):
        page = parse(three_formats("calls")[fmt], fmt)
        assert page.key == "calls" and page.is_list and len(page.frame) == 4, fmt
        assert page.frame["from"].iloc[0] == "+14155550142"


# --- single resources -------------------------------------------------------------------

BALANCE_XML = (b"<?xml version='1.0' encoding='UTF-8'?>\n<TwilioResponse><Balance>"
               b"<AccountSid>" + tb.ACCOUNT.encode() + b"</AccountSid><Balance>12.34</Balance>"
               b"<Currency>EUR</Currency></Balance></TwilioResponse>")


@pytest.mark.parametrize("fmt", ["json", "xml", "csv"])
def test_balance_is_one_row(fmt: str) -> None:
    op = catalog.by_id("api_v2010.FetchBalance")
    body = {"json": json.dumps({"currency": "EUR", "balance": "12.34",
                                "account_sid": tb.ACCOUNT}).encode(),
            "xml": BALANCE_XML,
            "csv": f"AccountSid,Balance,Currency\n{tb.ACCOUNT},12.34,EUR\n".encode()}[fmt]
    page = parse(body, fmt, op)
    assert not page.is_list and page.key is None and page.next_page is None
    assert list(page.frame.columns) == ["account_sid", "balance", "currency"]
    assert page.frame["balance"].tolist() == [12.34]


@pytest.mark.parametrize("with_operation", [True, False])
def test_get_message_is_one_row(with_operation: bool) -> None:
    op = catalog.by_id("api_v2010.FetchMessage") if with_operation else None
    record = tb.messages(1)[0]
    xml = f"<TwilioResponse>{tb.xml_record('Message', record)}</TwilioResponse>".encode()
    from_json = parse(json.dumps(record).encode(), "json", op)
    from_xml = parse(xml, "xml", op)
    assert not from_json.is_list and not from_xml.is_list
    assert len(from_json.frame) == 1
    if with_operation:
        pd.testing.assert_frame_equal(from_json.frame, from_xml.frame)
        assert from_json.frame["date_created"].dtype == UTC
    assert from_xml.frame["subresource_uris.feedback"].iloc[0].endswith("/Feedback.json")


# --- shapes -----------------------------------------------------------------------------

def test_repeated_xml_children_become_lists_like_json() -> None:
    xml = (b"<TwilioResponse><Items page='0' pagesize='2' nextpageuri=''>"
           b"<Item><Sid>A</Sid><Flags><Flag>outbound</Flag><Flag>intl</Flag></Flags></Item>"
           b"<Item><Sid>B</Sid><Flags><Flag>outbound</Flag></Flags><Price/></Item>"
           b"</Items></TwilioResponse>")
    body = {"items": [{"sid": "A", "flags": ["outbound", "intl"]},
                      {"sid": "B", "flags": ["outbound"], "price": None}],
            "page": 0, "page_size": 2, "next_page_uri": None}
    from_xml, from_json = to_dataframe(xml, "xml"), to_dataframe(json.dumps(body).encode(), "json")
    for frame in (from_xml, from_json):
        assert frame["flags"].tolist() == [["outbound", "intl"], ["outbound"]]
        assert frame["price"].isna().all()


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_empty_page_has_the_typed_catalog_columns(fmt: str) -> None:
    op = catalog.by_id("api_v2010.ListMessage")
    body = {"json": tb.as_json([], "messages"), "xml": tb.as_xml([], "Messages", "Message"),
            "csv": b"Sid,From,To,DateSent\n"}[fmt]
    page = parse(body, fmt, op)
    assert page.is_list and len(page.frame) == 0
    pd.testing.assert_frame_equal(page.frame, empty_frame(op))
    assert page.frame["date_sent"].dtype == UTC and page.frame["price"].dtype == "float64"


def test_empty_frame_without_operation_has_no_columns() -> None:
    assert empty_frame(None).shape == (0, 0)


def test_columns_the_catalog_does_not_know_stay_as_they_came() -> None:
    op = catalog.by_id("api_v2010.ListMessage")
    record = {**tb.messages(1)[0], "risk_score": 7, "tag_line": "x"}
    frame = to_dataframe(tb.as_json([record], "messages"), "json", op)
    assert frame["risk_score"].tolist() == [7] and frame["tag_line"].tolist() == ["x"]
    assert list(frame.columns[-2:]) == ["risk_score", "tag_line"]


def test_a_value_that_does_not_fit_its_type_keeps_the_text_and_warns() -> None:
    op = catalog.by_id("api_v2010.ListMessage")
    records = tb.messages(2)
    records[1]["date_sent"] = "yesterday"
    with pytest.warns(TwilioWarning, match=r"date_sent.*'yesterday'"):
        frame = to_dataframe(tb.as_json(records, "messages"), "json", op)
    assert frame["date_sent"].tolist()[1] == "yesterday"
    assert frame["date_created"].dtype == UTC  # the other columns are typed


def test_count_column_with_a_fraction_stays_text_quietly() -> None:
    op = catalog.by_id("api_v2010.ListCall")
    records = tb.calls(2)
    records[0]["duration"] = "1.5"
    frame = to_dataframe(tb.as_json(records, "calls"), "json", op)
    assert frame["duration"].tolist() == ["1.5", "59"]


@pytest.mark.parametrize("fmt", ["Application/XML", "application/json", "Text/CSV", " JSON "])
def test_the_adapters_format_names_are_accepted(fmt: str) -> None:
    key = fmt.strip().lower().split("/")[-1]
    body = three_formats("messages")[key]
    assert len(to_dataframe(body, fmt)) == 4


def test_unknown_format_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match=r"Response Format.*json.*xml.*csv"):
        parse(b"{}", "yaml")


def test_str_content_is_accepted() -> None:
    convert: Callable[..., pd.DataFrame] = to_dataframe
    assert convert('{"sid": "SM1"}', "json")["sid"].tolist() == ["SM1"]


def test_nested_true_false_flags_are_booleans_in_json_and_xml() -> None:
    op = catalog.by_id("api_v2010.ListIncomingPhoneNumber")
    records = [{"sid": "PN" + "1" * 32, "phone_number": "+14155550100", "beta": False,
                "capabilities": {"voice": True, "sms": True, "mms": False, "fax": False}},
               {"sid": "PN" + "2" * 32, "phone_number": "+14155550101", "beta": None,
                "capabilities": {"voice": True, "sms": None, "mms": False, "fax": False}}]
    body = {"incoming_phone_numbers": records, "page": 0, "page_size": 50,
            "next_page_uri": None}
    items = "".join(
        f"<IncomingPhoneNumber><Sid>{r['sid']}</Sid><PhoneNumber>{r['phone_number']}"
        f"</PhoneNumber><Beta>{'false' if r['beta'] is False else ''}</Beta><Capabilities>"
        f"<Voice>true</Voice><SMS>{'true' if r['capabilities']['sms'] else ''}</SMS>"
        "<MMS>false</MMS><Fax>false</Fax></Capabilities></IncomingPhoneNumber>"
        for r in records)
    xml = (f'<TwilioResponse><IncomingPhoneNumbers page="0" pagesize="50" nextpageuri="">'
           f"{items}</IncomingPhoneNumbers></TwilioResponse>").encode()
    from_json = to_dataframe(json.dumps(body).encode(), "json", op)
    pd.testing.assert_frame_equal(from_json, to_dataframe(xml, "xml", op))
    assert from_json["capabilities.sms"].dtype == "boolean"
    assert from_json["beta"].tolist()[0] is False and pd.isna(from_json["beta"].iloc[1])
