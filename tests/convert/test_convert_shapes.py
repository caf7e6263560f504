"""The shapes Twilio really writes (issue 13's facts), each read to the frame JSON gives."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from twilio_nb import catalog
from twilio_nb.convert import parse, parse_error

APPS = catalog.by_id("api_v2010.ListConnectApp")  # permissions: an array of enums
CN = "CN" + "a" * 32


def _apps_json(*permissions: list[str] | None) -> bytes:
    records = [{"sid": f"CN{i:032x}", "permissions": p} for i, p in enumerate(permissions)]
    return json.dumps({"connect_apps": records, "page": 0, "page_size": 50,
                       "next_page_uri": None}).encode()


def _apps_xml(*items: str) -> bytes:
    records = "".join(f"<ConnectApp><Sid>CN{i:032x}</Sid>{item}</ConnectApp>"
                      for i, item in enumerate(items))
    return (f'<TwilioResponse><ConnectApps page="0" pagesize="50" nextpageuri="">{records}'
            "</ConnectApps></TwilioResponse>").encode()


def test_xml_arrays_are_lists_with_one_item_or_none() -> None:
    xml = _apps_xml("<Permissions><Permission>get-all</Permission>"
                    "<Permission>post-all</Permission></Permissions>",
                    "<Permissions><Permission>get-all</Permission></Permissions>",
                    "<Permissions/>", "<Permissions>\n      </Permissions>")
    frame = parse(xml, "xml", APPS).frame
    assert frame["permissions"].tolist() == [["get-all", "post-all"], ["get-all"], [], []]
    assert "permissions.permission" not in frame.columns
    from_json = parse(_apps_json(["get-all", "post-all"], ["get-all"], [], []), "json",
                      APPS).frame
    pd.testing.assert_frame_equal(frame, from_json)


def test_csv_list_cells_are_lists() -> None:
    csv = (f"Sid,Permissions\nCN{0:032x},\"[get-all,post-all]\"\nCN{1:032x},[get-all]\n"
           f"CN{2:032x},[]\n").encode()
    frame = parse(csv, "csv", APPS).frame
    assert frame["permissions"].tolist() == [["get-all", "post-all"], ["get-all"], []]
    from_json = parse(_apps_json(["get-all", "post-all"], ["get-all"], []), "json",
                      APPS).frame
    pd.testing.assert_frame_equal(frame, from_json)


def test_csv_bracketed_cells_of_unknown_columns_are_lists_and_text_stays_text() -> None:
    csv = b"Sid,Flags,Body\nSM1,[outbound],[URGENT] call me\nSM2,\"[a,b]\",hi\n"
    frame = parse(csv, "csv").frame
    assert frame["flags"].tolist() == [["outbound"], ["a", "b"]]
    assert frame["body"].tolist() == ["[URGENT] call me", "hi"]


def test_nested_names_are_snake_case_in_every_format() -> None:
    op = catalog.by_id("api_v2010.ListAvailablePhoneNumberLocal")
    record = {"friendly_name": "(415) 555-0100", "phone_number": "+14155550100",
              "capabilities": {"voice": True, "SMS": True, "MMS": False}}
    body = json.dumps({"available_phone_numbers": [record], "uri": "/x.json"}).encode()
    xml = (b"<TwilioResponse><AvailablePhoneNumbers uri='/x'><AvailablePhoneNumber>"
           b"<FriendlyName>(415) 555-0100</FriendlyName><PhoneNumber>+14155550100</PhoneNumber>"
           b"<Capabilities><Voice>true</Voice><SMS>true</SMS><MMS>false</MMS></Capabilities>"
           b"</AvailablePhoneNumber></AvailablePhoneNumbers></TwilioResponse>")
    from_json, from_xml = parse(body, "json", op).frame, parse(xml, "xml", op).frame
    assert {"capabilities.voice", "capabilities.sms", "capabilities.mms"} <= set(from_json)
    assert not any(c != c.lower() for c in from_json.columns)
    pd.testing.assert_frame_equal(from_json, from_xml)
    assert from_json["phone_number"].tolist() == ["+14155550100"]


@pytest.mark.parametrize("value", [{}, None])
def test_an_empty_or_null_object_keeps_its_column(value: object) -> None:
    op = catalog.by_id("api_v2010.ListMessage")
    records = [{"sid": "SM1", "subresource_uris": value}, {"sid": "SM2",
                                                           "subresource_uris": value}]
    frame = parse(json.dumps({"messages": records}).encode(), "json", op).frame
    assert "subresource_uris" in frame.columns and frame["subresource_uris"].isna().all()
    xml = (b"<TwilioResponse><Messages page='0'><Message><Sid>SM1</Sid><SubresourceUris/>"
           b"</Message><Message><Sid>SM2</Sid><SubresourceUris>\n  </SubresourceUris>"
           b"</Message></Messages></TwilioResponse>")
    pd.testing.assert_frame_equal(frame, parse(xml, "xml", op).frame)


def test_the_columns_come_from_the_resource_not_the_records() -> None:
    op = catalog.by_id("api_v2010.ListMessage")
    one = parse(json.dumps({"messages": [{"sid": "SM1"}]}).encode(), "json", op).frame
    full = set(op.response_properties)
    assert full <= set(one.columns)
    assert one["date_sent"].dtype == pd.DatetimeTZDtype("us", "UTC") and one["price"].isna().all()


def test_pretty_printed_xml_keeps_text_and_drops_layout() -> None:
    op = catalog.by_id("api_v2010.ListMessage")
    xml = (b"<TwilioResponse>\n  <Messages page=\"0\" nextpageuri=\"\">\n    <Message>\n"
           b"      <Sid>SM1</Sid>\n      <Body>  two spaces first\nand a second line </Body>\n"
           b"      <SubresourceUris>\n        <Media>/2010-04-01/Accounts/AC1/Messages/SM1/Media"
           b"</Media>\n      </SubresourceUris>\n    </Message>\n  </Messages>\n"
           b"</TwilioResponse>\n")
    frame = parse(xml, "xml", op).frame
    assert frame["body"].tolist() == ["  two spaces first\nand a second line "]
    assert frame["subresource_uris.media"].tolist() == [
        "/2010-04-01/Accounts/AC1/Messages/SM1/Media.json"]


def test_xml_uris_without_extension_read_as_json_gives_them() -> None:
    op = catalog.by_id("api_v2010.ListMessage")
    xml = (b"<TwilioResponse><Messages page='0' nextpageuri='/2010-04-01/Accounts/AC1/Messages"
           b"?Page=1&amp;PageSize=1'><Message><Sid>SM1</Sid><Uri>/2010-04-01/Accounts/AC1/"
           b"Messages/SM1</Uri></Message></Messages></TwilioResponse>")
    page = parse(xml, "xml", op)
    assert page.frame["uri"].tolist() == ["/2010-04-01/Accounts/AC1/Messages/SM1.json"]
    assert page.next_page == "/2010-04-01/Accounts/AC1/Messages?Page=1&PageSize=1"


def test_older_shapes_keep_working() -> None:
    xml = (b'<TwilioResponse><SMSMessages page="0" numpages="3" pagesize="1" total="3" '
           b'start="0" end="0" nextpageuri="/2010-04-01/Accounts/AC1/SMS/Messages?Page=1" '
           b'lastpageuri="/2010-04-01/Accounts/AC1/SMS/Messages?Page=2"><SMSMessage>'
           b"<Sid>SM1</Sid><To>+15558675310</To></SMSMessage></SMSMessages></TwilioResponse>")
    page = parse(xml, "xml")
    assert page.is_list and page.frame["to"].tolist() == ["+15558675310"]
    assert page.next_page == "/2010-04-01/Accounts/AC1/SMS/Messages?Page=1"
    body = {"sms_messages": [{"sid": "SM1"}], "numpages": 3, "total": 3, "page": 0,
            "next_page_uri": "/2010-04-01/Accounts/AC1/SMS/Messages.json?Page=1"}
    assert parse(json.dumps(body).encode(), "json").next_page == body["next_page_uri"]


def test_an_empty_object_keeps_its_column_without_the_catalog_too() -> None:
    body = json.dumps({"items": [{"sid": "A", "tags": {}}, {"sid": "B", "tags": {}}],
                       "page": 0, "next_page_uri": None})
    frame = parse(body.encode(), "json").frame
    assert list(frame.columns) == ["sid", "tags"] and frame["tags"].isna().all()


def test_nested_numbers_are_numbers_and_nested_identifiers_stay_text() -> None:
    op = catalog.by_id("api_v2010.ListCallEvent")
    events = [{"request": {"parameters": {"CallSid": "CA1", "To": "14155550100",
                                          "From": 14155550199}},
               "response": {"response_code": 200, "request_duration": 57}}]
    frame = parse(json.dumps({"events": events}).encode(), "json", op).frame
    assert frame["response.response_code"].dtype == "Int64"
    assert frame["request.parameters.to"].tolist() == ["14155550100"]
    assert frame["request.parameters.from"].tolist() == ["14155550199"]
    assert frame["request.parameters.call_sid"].tolist() == ["CA1"]


def test_an_error_with_a_details_object_keeps_it() -> None:
    body = (b'{"code": 20001, "message": "Bad request", "status": 400, '
            b'"more_info": "https://www.twilio.com/docs/errors/20001", "details": {"foo": "bar"}}')
    parsed = parse_error(body, None)
    assert parsed is not None and parsed.detail == '{"foo": "bar"}'
