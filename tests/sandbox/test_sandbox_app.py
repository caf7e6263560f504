"""The sandbox's core through the in-process httpx transport: auth, state, errors, formats,
filters, routing, magic numbers."""

from __future__ import annotations

import csv
import io
from datetime import date
from email.utils import parsedate_to_datetime

import httpx
import pytest
from lxml import etree
from sandbox_http import in_process

from twilio_nb.errors import ConfigurationError
from twilio_nb.sandbox import (
    ACCOUNT_SID,
    API_KEY_SECRET,
    API_KEY_SID,
    AUTH_TOKEN,
    SANDBOX_HOST_HEADER,
    Sandbox,
)

A = f"/2010-04-01/Accounts/{ACCOUNT_SID}"


def send(api: httpx.Client, **fields: str | list[str]) -> httpx.Response:
    data = {"To": "+14155550199", "From": "+14155550100", "Body": "Hello from a test"}
    data.update(fields)  # type: ignore[arg-type]
    return api.post(f"{A}/Messages.json", data={k: v for k, v in data.items() if v != ""})


# -- auth --

@pytest.mark.parametrize("user,password", [(ACCOUNT_SID, AUTH_TOKEN),
                                           (API_KEY_SID, API_KEY_SECRET)])
def test_auth_token_and_api_key_both_open_the_sandbox(sandbox: Sandbox, user: str,
                                                      password: str) -> None:
    with httpx.Client(transport=sandbox.transport(), auth=(user, password)) as c:
        r = c.get(f"https://api.twilio.com{A}/Messages.json?PageSize=1")
    assert r.status_code == 200
    assert r.headers[SANDBOX_HOST_HEADER] == "twilio_nb sandbox"


@pytest.mark.parametrize("auth", [(ACCOUNT_SID, "wrong"), (API_KEY_SID, AUTH_TOKEN), None])
def test_wrong_or_missing_credentials_get_401_code_20003_in_json(sandbox: Sandbox,
                                                                 auth: tuple[str, str] | None
                                                                 ) -> None:
    with httpx.Client(transport=sandbox.transport(), auth=auth) as c:
        r = c.get(f"https://api.twilio.com{A}/Messages.json")
    assert r.status_code == 401
    body = r.json()
    assert body["code"] == 20003 and body["status"] == 401
    assert body["more_info"] == "https://www.twilio.com/docs/errors/20003"
    assert "Basic" in r.headers["www-authenticate"]


def test_401_in_xml_for_an_xml_path(sandbox: Sandbox) -> None:
    with httpx.Client(transport=sandbox.transport(), auth=(ACCOUNT_SID, "nope")) as c:
        r = c.get(f"https://api.twilio.com{A}/Messages.xml")
    assert r.status_code == 401
    root = etree.fromstring(r.content)
    assert root.tag == "TwilioResponse"
    assert root.findtext("RestException/Code") == "20003"
    assert root.findtext("RestException/Status") == "401"


def test_stats_record_the_auth_user_but_never_the_password(sandbox: Sandbox,
                                                           api: httpx.Client) -> None:
    sandbox.stats.clear()
    api.get(f"{A}/Balance.json")
    seen = sandbox.stats.auth
    assert seen[-1].present and seen[-1].user == ACCOUNT_SID
    assert AUTH_TOKEN not in repr(seen) and AUTH_TOKEN not in repr(sandbox.stats)
    assert sandbox.stats.requests[("GET", f"{A}/Balance.json")] == 1


def test_reprs_mask_the_credentials(sandbox: Sandbox) -> None:
    text = repr(sandbox) + repr(sandbox.transport())
    assert ACCOUNT_SID not in text and AUTH_TOKEN not in text
    assert f"ACxx…{ACCOUNT_SID[-4:]}" in text


# -- state: send, list, get, delete --

def test_a_sent_message_shows_up_in_list_and_get_and_is_gone_after_delete(
        api: httpx.Client) -> None:
    r = send(api, Body="Hi John, your order has shipped.")
    assert r.status_code == 201
    msg = r.json()
    assert msg["sid"].startswith("SM") and len(msg["sid"]) == 34
    assert msg["status"] == "queued" and msg["direction"] == "outbound-api"
    assert msg["num_segments"] == "1" and msg["num_media"] == "0"
    assert msg["uri"] == f"{A}/Messages/{msg['sid']}.json"
    assert msg["account_sid"] == ACCOUNT_SID
    listed = api.get(f"{A}/Messages.json", params={"PageSize": 5}).json()["messages"]
    assert listed[0]["sid"] == msg["sid"]  # newest first
    got = api.get(f"{A}/Messages/{msg['sid']}.json")
    assert got.status_code == 200 and got.json()["body"] == "Hi John, your order has shipped."
    assert api.delete(f"{A}/Messages/{msg['sid']}.json").status_code == 204
    gone = api.get(f"{A}/Messages/{msg['sid']}.json")
    assert gone.status_code == 404 and gone.json()["code"] == 20404
    listed = api.get(f"{A}/Messages.json", params={"PageSize": 5}).json()["messages"]
    assert msg["sid"] not in {m["sid"] for m in listed}


def test_a_message_with_media_gets_an_mm_sid_and_media_records(api: httpx.Client) -> None:
    msg = send(api, MediaUrl=["https://demo.twilio.com/owl.png",
                                 "https://demo.twilio.com/cat.png"]).json()
    assert msg["sid"].startswith("MM") and msg["num_media"] == "2"
    media = api.get(f"{A}/Messages/{msg['sid']}/Media.json").json()["media_list"]
    assert len(media) == 2 and all(m["parent_sid"] == msg["sid"] for m in media)
    assert all(m["sid"].startswith("ME") for m in media)


def test_update_and_stats_count_the_creating_posts(sandbox: Sandbox,
                                                   api: httpx.Client) -> None:
    before = len(sandbox.stats.created)
    sid = send(api).json()["sid"]
    assert sandbox.stats.created[-1] == (f"{A}/Messages", sid)
    assert len(sandbox.stats.created) == before + 1
    r = api.post(f"{A}/Messages/{sid}.json", data={"Body": ""})
    assert r.status_code == 200 and r.json()["body"] == ""
    assert len(sandbox.stats.created) == before + 1


def test_updating_a_seeded_message_keeps_it_listed_once(api: httpx.Client) -> None:
    first = api.get(f"{A}/Messages.json", params={"PageSize": 3}).json()["messages"][2]
    r = api.post(f"{A}/Messages/{first['sid']}.json", data={"Body": "redacted"})
    assert r.json()["body"] == "redacted" and r.json()["date_created"] == first["date_created"]
    again = api.get(f"{A}/Messages.json", params={"PageSize": 3}).json()["messages"]
    assert [m["sid"] for m in again].count(first["sid"]) == 1


def test_unknown_sid_gets_404_with_code_20404_in_json_and_xml(api: httpx.Client) -> None:
    bad = "SM" + "0" * 32
    r = api.get(f"{A}/Messages/{bad}.json")
    assert r.status_code == 404 and r.json()["code"] == 20404
    assert bad in r.json()["message"]
    x = etree.fromstring(api.get(f"{A}/Messages/{bad}.xml").content)
    assert x.findtext("RestException/Code") == "20404"


def test_unknown_account_and_unknown_parent_are_404(api: httpx.Client) -> None:
    other = "AC" + "1" * 32
    assert api.get(f"/2010-04-01/Accounts/{other}/Messages.json").status_code == 404
    assert api.get(f"{A}/Calls/CA{'2' * 32}/Events.json").status_code == 404
    assert api.get("/nothing/here").status_code == 404


def test_method_not_allowed_is_405(api: httpx.Client) -> None:
    r = api.put(f"{A}/Messages.json")
    assert r.status_code == 405 and r.json()["code"] == 20004


def test_reset_goes_back_to_the_seeded_state() -> None:
    sandbox = Sandbox(messages=30)
    with in_process(sandbox) as c:
        sid = send(c).json()["sid"]
        assert c.get(f"{A}/Messages/{sid}.json").status_code == 200
        sandbox.reset()
        assert c.get(f"{A}/Messages/{sid}.json").status_code == 404
        assert len(c.get(f"{A}/Messages.json").json()["messages"]) == 30


def test_same_seed_same_data_other_seed_other_data() -> None:
    def sids(sb: Sandbox) -> list[str]:
        with httpx.Client(transport=sb.transport(), auth=sb.auth()) as c:
            r = c.get(f"https://api.twilio.com{A}/Messages.json?PageSize=20")
        return [m["sid"] for m in r.json()["messages"]]

    assert sids(Sandbox(messages=40, seed=3)) == sids(Sandbox(messages=40, seed=3))
    assert sids(Sandbox(messages=40, seed=3)) != sids(Sandbox(messages=40, seed=4))


# -- required parameters and magic numbers --

@pytest.mark.parametrize("fields,code", [
    ({"To": ""}, 21604), ({"From": ""}, 21603), ({"Body": ""}, 21602),
    ({"To": "12345"}, 21211), ({"From": "+1-not-a-number!"}, 21212),
    ({"To": "whatsapp:+14155550199"}, 21910), ({"Body": "x" * 1601}, 21617),
])
def test_missing_or_bad_message_fields_get_twilios_codes(api: httpx.Client,
                                                         fields: dict[str, str],
                                                         code: int) -> None:
    r = send(api, **fields)
    assert r.status_code == 400 and r.json()["code"] == code


@pytest.mark.parametrize("to,code", [("+15005550001", 21211), ("+15005550002", 21612),
                                     ("+15005550003", 21408), ("+15005550004", 21610),
                                     ("+15005550009", 21614)])
def test_magic_to_numbers_for_messages(api: httpx.Client, to: str, code: int) -> None:
    r = send(api, To=to)
    assert (r.status_code, r.json()["code"]) == (400, code)


@pytest.mark.parametrize("frm,code", [("+15005550001", 21212), ("+15005550007", 21606),
                                      ("+15005550008", 21611), ("+15005550009", 21606)])
def test_magic_from_numbers_for_messages(api: httpx.Client, frm: str, code: int) -> None:
    r = send(api, From=frm)
    assert (r.status_code, r.json()["code"]) == (400, code)


def test_magic_valid_from_sends(api: httpx.Client) -> None:
    assert send(api, From="+15005550006").status_code == 201


@pytest.mark.parametrize("fields,code", [
    ({"To": ""}, 21201), ({"From": ""}, 21213), ({"Url": ""}, 21205),
    ({"From": "+15005550001"}, 21212), ({"To": "+15005550001"}, 21217),
    ({"To": "+15005550002"}, 21214), ({"To": "+15005550003"}, 21215),
    ({"To": "+15005550004"}, 21216)])
def test_call_fields_and_magic_numbers(api: httpx.Client, fields: dict[str, str],
                                       code: int) -> None:
    data = {"To": "+14155550199", "From": "+15005550006", "Url": "https://demo.twilio.com/x"}
    data.update(fields)
    r = api.post(f"{A}/Calls.json", data={k: v for k, v in data.items() if v})
    assert (r.status_code, r.json()["code"]) == (400, code)


def test_a_created_call_is_queued_and_listed() -> None:
    # a manual clock: on real time the call rings 0.6 s after create, maybe before the list
    with in_process(Sandbox(messages=0, clock="manual")) as api:
        r = api.post(f"{A}/Calls.json", data={"To": "+14155550199", "From": "+15005550006",
                                                 "Url": "https://demo.twilio.com/welcome/voice/"})
        assert r.status_code == 201
        call = r.json()
        assert call["sid"].startswith("CA") and call["status"] == "queued"
        assert call["to_formatted"] == "(415) 555-0199"
        listed = api.get(f"{A}/Calls.json", params={"Status": "queued"}).json()["calls"]
    assert call["sid"] in {c["sid"] for c in listed}


@pytest.mark.parametrize("fields,code", [({"PhoneNumber": "+15005550000"}, 21422),
                                         ({"PhoneNumber": "+15005550001"}, 21421),
                                         ({"AreaCode": "533"}, 21452),
                                         ({"PhoneNumber": "+14155559999"}, 21422),
                                         ({}, 20001)])
def test_buying_numbers_magic_and_errors(api: httpx.Client, fields: dict[str, str],
                                         code: int) -> None:
    r = api.post(f"{A}/IncomingPhoneNumbers.json", data=fields)
    assert (r.status_code, r.json()["code"]) == (400, code)


def test_buying_an_available_number_moves_it_to_incoming(api: httpx.Client) -> None:
    local = f"{A}/AvailablePhoneNumbers/GB/Local.json"
    offered = api.get(local).json()["available_phone_numbers"]
    number = offered[0]["phone_number"]
    r = api.post(f"{A}/IncomingPhoneNumbers.json", data={"PhoneNumber": number})
    assert r.status_code == 201 and r.json()["phone_number"] == number
    assert r.json()["sid"].startswith("PN")
    left = api.get(local).json()["available_phone_numbers"]
    assert number not in {n["phone_number"] for n in left} and len(left) == len(offered) - 1
    owned = api.get(f"{A}/IncomingPhoneNumbers.json").json()["incoming_phone_numbers"]
    assert number in {n["phone_number"] for n in owned}
    magic = api.post(f"{A}/IncomingPhoneNumbers.json", data={"AreaCode": "500"})
    assert magic.json()["phone_number"] == "+15005550006"


def test_generic_missing_required_parameter_is_400_20001(api: httpx.Client) -> None:
    services = api.get("https://notify.twilio.com/v1/Services").json()["services"]
    r = api.post(f"https://notify.twilio.com/v1/Services/{services[0]['sid']}/Bindings",
                    data={"Identity": "u1"})
    assert r.status_code == 400 and r.json()["code"] == 20001
    assert "BindingType" in r.json()["message"] or "Address" in r.json()["message"]


# -- formats, filters, routing --

def test_instance_in_xml_and_csv(api: httpx.Client) -> None:
    sid = api.get(f"{A}/Calls.json?PageSize=1").json()["calls"][0]["sid"]
    root = etree.fromstring(api.get(f"{A}/Calls/{sid}.xml").content)
    assert root.tag == "TwilioResponse" and root.findtext("Call/Sid") == sid
    assert root.find("Call/SubresourceUris/Events") is not None
    no_suffix = etree.fromstring(api.get(f"{A}/Calls/{sid}").content)
    assert no_suffix.findtext("Call/Sid") == sid
    rows = list(csv.DictReader(io.StringIO(api.get(f"{A}/Calls/{sid}.csv").text)))
    assert len(rows) == 1 and rows[0]["Sid"] == sid


def test_filters_to_from_status_and_dates(api: httpx.Client) -> None:
    url = f"{A}/Messages.json"
    some = api.get(url, params={"PageSize": 200}).json()["messages"][150]
    by_to = api.get(url, params={"To": some["to"], "PageSize": 1000}).json()["messages"]
    assert by_to and all(m["to"] == some["to"] for m in by_to)
    by_from = api.get(url, params={"From": some["from"], "PageSize": 1000}).json()["messages"]
    assert by_from and all(m["from"] == some["from"] for m in by_from)
    failed = api.get(url, params={"Status": "failed", "PageSize": 1000}).json()["messages"]
    assert failed and all(m["status"] == "failed" and m["error_code"] for m in failed)
    after = api.get(url, params={"DateSent>": "2025-06-01", "PageSize": 1000}).json()
    before = api.get(url, params={"DateSent<": "2025-05-31", "PageSize": 1000}).json()
    assert after["messages"] and before["messages"]
    # on or after the bound (messages sent by earlier tests live on and are dated today)
    assert all(parsedate_to_datetime(m["date_sent"]).date() >= date(2025, 6, 1)
               for m in after["messages"] if m["date_sent"])
    assert "DateSent%3E=2025-06-01" in after["first_page_uri"]
    day = api.get(url, params={"DateSent": "2025-06-15", "PageSize": 1000}).json()["messages"]
    assert day and all("15 Jun 2025" in m["date_sent"] for m in day)
    bad = api.get(url, params={"DateSent>": "yesterday"})
    assert bad.status_code == 400 and bad.json()["code"] == 20001


def test_call_start_time_filter(api: httpx.Client) -> None:
    r = api.get(f"{A}/Calls.json", params={"StartTime>": "2025-06-20T00:00:00Z",
                                               "PageSize": 1000}).json()["calls"]
    assert r and all(" Jun 2025 " in c["start_time"] for c in r)


@pytest.mark.parametrize("size", ["0", "1001", "x"])
def test_bad_page_size_is_400(api: httpx.Client, size: str) -> None:
    r = api.get(f"{A}/Messages.json", params={"PageSize": size})
    assert r.status_code == 400 and r.json()["code"] == 20001


def test_bad_page_token_is_400(api: httpx.Client) -> None:
    r = api.get(f"{A}/Messages.json", params={"PageToken": "PAxyz"})
    assert r.status_code == 400


def test_product_api_paging_with_meta(api: httpx.Client) -> None:
    url: str | None = "https://conversations.twilio.com/v1/Conversations?PageSize=7"
    seen: list[str] = []
    while url:
        body = api.get(url).json()
        meta = body["meta"]
        assert meta["key"] == "conversations" and meta["page_size"] == 7
        assert meta["url"].startswith("https://conversations.twilio.com/v1/Conversations?")
        seen += [c["sid"] for c in body["conversations"]]
        url = meta["next_page_url"]
    assert len(seen) == len(set(seen)) == 40


def test_colliding_product_paths_follow_the_host_then_the_priority(
        api: httpx.Client) -> None:
    notify = api.get("https://notify.twilio.com/v1/Services").json()["services"]
    conv = api.get("https://conversations.twilio.com/v1/Services").json()["services"]
    plain = api.get("http://127.0.0.1:9/v1/Services").json()
    assert {s["friendly_name"] for s in notify} == {"Order updates (sandbox)",
                                                    "Marketing (sandbox)"}
    assert [s["sid"] for s in plain["services"]] == [s["sid"] for s in notify]
    assert plain["meta"]["url"].startswith("http://127.0.0.1:9/v1/Services")
    # an instance path finds the conversations service even without its host
    r = api.get(f"http://127.0.0.1:9/v1/Services/{conv[0]['sid']}")
    assert r.status_code == 200 and r.json()["sid"] == conv[0]["sid"]


def test_conference_participant_by_friendly_name_creates_the_conference(
        api: httpx.Client) -> None:
    r = api.post(f"{A}/Conferences/Room%20Blue/Participants.json",
                    data={"From": "+14155550100", "To": "+14155550111", "Label": "customer",
                          "Muted": "false", "EarlyMedia": "true"})
    assert r.status_code == 201
    part = r.json()
    assert part["call_sid"].startswith("CA") and part["label"] == "customer"
    assert part["muted"] is False
    conf = api.get(f"{A}/Conferences.json", params={"FriendlyName": "Room Blue"}).json()
    assert conf["conferences"][0]["sid"] == part["conference_sid"]
    call = api.get(f"{A}/Calls/{part['call_sid']}.json")
    assert call.status_code == 200


def test_recordings_are_listed_under_the_call_and_the_account(api: httpx.Client) -> None:
    rec = api.get(f"{A}/Recordings.json", params={"PageSize": 1}).json()["recordings"][0]
    under_call = api.get(f"{A}/Calls/{rec['call_sid']}/Recordings.json").json()
    assert rec["sid"] in {r["sid"] for r in under_call["recordings"]}
    assert api.delete(f"{A}/Recordings/{rec['sid']}.json").status_code == 204
    under_call = api.get(f"{A}/Calls/{rec['call_sid']}/Recordings.json").json()
    assert rec["sid"] not in {r["sid"] for r in under_call["recordings"]}


def test_every_answer_says_it_is_the_sandbox(api: httpx.Client) -> None:
    for r in (api.get(f"{A}/Balance.json"), api.get("/nope"),
              api.get(f"{A}/Messages.csv?PageSize=1")):
        assert r.headers[SANDBOX_HOST_HEADER] == "twilio_nb sandbox"
    account = api.get(f"{A}.json").json()
    assert "sandbox" in account["friendly_name"] and account["auth_token"] == "****"


def test_bad_sandbox_arguments_are_configuration_errors() -> None:
    with pytest.raises(ConfigurationError, match="messages"):
        Sandbox(messages=-1)
    with pytest.raises(ConfigurationError, match="rate_limit"):
        Sandbox(retry_after=1.0)
    with pytest.raises(ConfigurationError, match="port"):
        Sandbox(messages=0).serve(port=70000)
