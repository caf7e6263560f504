"""Every list the sandbox seeds gives one frame whatever the format, over the wire.

The 2010 lists are fetched as JSON, XML and CSV from the served sandbox and read with their
catalog operation: the frames are equal (names, order, dtypes, values). The product APIs'
lists (JSON only) keep the same columns whatever records a page holds. The sandbox writes
Twilio's shapes: list items named after the singular of their parent, URIs without extension
and the resource's element order in XML, bracketed list cells in CSV.
"""

from __future__ import annotations

import httpx
import pandas as pd
import pytest
from sandbox_lists import LISTS, A

import twilio_nb as tw
from twilio_nb import catalog
from twilio_nb.convert import parse
from twilio_nb.sandbox import ACCOUNT_SID, Sandbox, SandboxServer
from twilio_nb.sandbox.bodies import columns, csv_list, singular, xml_list, xml_order

MESSAGES = 60


@pytest.mark.parametrize("op_id,path", LISTS, ids=[p for _, p in LISTS])
def test_json_xml_and_csv_give_equal_frames(client: httpx.Client, sids: dict[str, str],
                                            op_id: str, path: str) -> None:
    op = catalog.by_id(op_id)
    url = A + path.format(**sids)
    frames = {}
    for fmt in ("json", "xml", "csv"):
        answer = client.get(f"{url}.{fmt}", params={"PageSize": 20})
        assert answer.status_code == 200, answer.text
        frames[fmt] = parse(answer.content, fmt, op).frame
    assert list(frames["json"].columns)  # the columns come from the resource, even when empty
    pd.testing.assert_frame_equal(frames["json"], frames["xml"])
    pd.testing.assert_frame_equal(frames["json"], frames["csv"])


def test_capabilities_have_one_name_in_every_format(client: httpx.Client) -> None:
    op = catalog.by_id("api_v2010.ListAvailablePhoneNumberLocal")
    url = f"{A}/AvailablePhoneNumbers/US/Local"
    for fmt in ("json", "xml", "csv"):
        frame = parse(client.get(f"{url}.{fmt}").content, fmt, op).frame
        assert {"capabilities.sms", "capabilities.mms", "capabilities.voice"} <= set(
            frame.columns), fmt
        assert frame["capabilities.sms"].dtype == "boolean"


def test_xml_is_written_as_twilio_writes_it(client: httpx.Client) -> None:
    body = client.get(f"{A}/Messages.xml", params={"PageSize": 2}).text
    assert ".json" not in body and ".xml?" not in body  # URIs and paging without extension
    assert "nextpageuri=\"/2010-04-01/Accounts/" in body
    message = body.split("<Message>", 2)[1]
    order = [tag.split(">", 1)[0].rstrip("/") for tag in message.split("<")[1:]
             if not tag.startswith("/") and tag.split(">", 1)[0].rstrip("/") in (
                 "Body", "Sid", "AccountSid", "DateCreated")]
    resource = [c for c in xml_order(columns(catalog.by_id("api_v2010.ListMessage").resource))
                if c in ("body", "sid", "account_sid", "date_created")]
    assert order == ["".join(p.title() for p in c.split("_")) for c in resource]
    assert order != sorted(order)


def test_lists_in_xml_and_csv_as_twilio_writes_them() -> None:
    rec = {"sid": "CN1", "permissions": ["get-all", "post-all"], "flags": ["outbound"],
           "tags": []}
    cols = ("sid", "permissions", "flags", "tags")
    xml = xml_list([rec], cols, "ConnectApps", "ConnectApp", {"page": 0}, "").decode()
    assert "<Permissions><Permission>get-all</Permission><Permission>post-all</Permission>" \
           "</Permissions>" in xml
    assert "<Flags><Flag>outbound</Flag></Flags>" in xml and "<Tags></Tags>" in xml
    assert csv_list([rec], cols, "").decode().splitlines()[1] == \
        "CN1,\"[get-all,post-all]\",[outbound],[]"
    assert [singular(t) for t in ("Capabilities", "MediaList", "Addresses", "Flags")] == [
        "Capability", "Media", "Address", "Flag"]


@pytest.mark.parametrize("op_id,url", [
    ("conversations_v1.ListConversation", "/v1/Conversations"),
    ("notify_v1.ListBinding", "/v1/Services/{service}/Bindings"),
])
def test_product_lists_keep_their_columns_whatever_the_page_holds(
        served: SandboxServer, box: Sandbox, op_id: str, url: str) -> None:
    op = catalog.by_id(op_id)
    host = f"{op.product}.twilio.com"
    with httpx.Client(base_url=served.url, auth=box.auth(), timeout=10,
                      headers={"Host": host}) as c:
        if "{service}" in url:
            service = c.get("/v1/Services").json()["services"][0]["sid"]
            url = url.format(service=service)
        one = parse(c.get(url, params={"PageSize": 1}).content, "json", op).frame
        many = parse(c.get(url, params={"PageSize": 30}).content, "json", op).frame
    assert len(one) == 1 and len(many) > 1
    assert list(one.columns) == list(many.columns)
    assert one.dtypes.equals(many.dtypes)


def test_capabilities_elements_are_written_as_twilio_writes_them(client: httpx.Client) -> None:
    body = client.get(f"{A}/IncomingPhoneNumbers.xml", params={"PageSize": 1}).text
    assert "<Capabilities><Voice>true</Voice><SMS>" in body and "<MMS>" in body


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_wrong_token_gets_twilios_detail(served: SandboxServer, fmt: str) -> None:
    conn = tw.Connection(served.url, credential=tw.UserCredentials(ACCOUNT_SID, "0" * 32),
                         auth_type="auth_token", max_retries=0)
    with pytest.raises(tw.TwilioApiError) as err:
        conn.basic("Message", "List Messages", response_format=fmt)
    conn.close()
    assert err.value.code == 20003
    assert err.value.detail == "Your AccountSid or AuthToken was incorrect."
    assert "Detail: Your AccountSid or AuthToken was incorrect." in str(err.value)
