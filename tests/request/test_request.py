"""Building Basic and Advanced requests: every catalog operation, the guide's six
scenarios, routing, hosts, the Next Page URI, headers and the Relative URL rules."""

from __future__ import annotations

import json
import re
import warnings
from collections import Counter
from urllib.parse import parse_qsl, unquote, urlsplit

import pytest
from guide import SEND_MESSAGE_JSON

from twilio_nb import catalog
from twilio_nb.errors import ConfigurationError, TwilioWarning
from twilio_nb.request.build import (
    FORMATS,
    BuiltRequest,
    build_advanced,
    build_basic,
    is_twilio_address,
    normalize_format,
    twilio_host,
)
from twilio_nb.request.validate import example_value

AC = "AC" + "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6"
CA = "CA" + "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6"
CF = "CFa1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6"
RE = "RE" + "3d8f9a1b2c4e5f6a7d8c9b0e1f2a3b4c"
ME = "ME" + "3d8f9a1b2c4e5f6a7d8c9b0e1f2a3b4c"
SMA = "SMA1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6"  # the guide's MessageSid
SANDBOX = "http://127.0.0.1:4010"

# Tests that expect a warning catch it with pytest.warns; the rest need not show theirs.
pytestmark = pytest.mark.filterwarnings("ignore::twilio_nb.errors.TwilioWarning")

GUIDE_MESSAGE = SEND_MESSAGE_JSON
GUIDE_PARTICIPANT = {
    "From": "+14155552671", "To": "+919876543210", "Label": "customer", "EarlyMedia": True,
    "Beep": "onEnter", "Muted": False, "StartConferenceOnEnter": True,
    "EndConferenceOnExit": False, "Record": False,
    "StatusCallback": "https://api.example.com/twilio/status", "StatusCallbackMethod": "POST",
    "StatusCallbackEvent": "ringing answered completed", "Timeout": 60, "TimeLimit": 3600}
GUIDE_FORM = ("From=+11458725991&To=+919458204599&Body=Hi John, your order has been shipped "
              "and will arrive tomorrow.")


def quiet_basic(*args: object, **kwargs: object) -> BuiltRequest:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TwilioWarning)
        return build_basic(*args, **kwargs)  # type: ignore[arg-type]


def quiet_advanced(*args: object, **kwargs: object) -> BuiltRequest:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TwilioWarning)
        return build_advanced(*args, **kwargs)  # type: ignore[arg-type]


# -- every operation of the catalog ------------------------------------------------------------

def test_every_catalog_operation_builds_its_spec_path() -> None:
    ops = catalog.operations()
    assert len(ops) == 1447
    failures = []
    for op in ops:
        params = {p.name: example_value(p) for p in op.params_in("path")}
        required = {p.name: example_value(p) for p in op.params
                    if p.required and p.location in ("query", "body")}
        expected = op.path
        for name, value in params.items():
            expected = expected.replace("{" + name + "}", value)
        formats = FORMATS if op.is_v2010 else ("json",)
        for fmt in formats:
            want_path = expected[:-len(".json")] + "." + fmt if op.is_v2010 else expected
            for address, want_host in (("https://api.twilio.com", op.host),
                                       (SANDBOX, "127.0.0.1:4010")):
                req = quiet_basic(op, address=address, params=params, body=required,
                                  response_format=fmt)
                got = (req.method, urlsplit(req.url).netloc, unquote(urlsplit(req.url).path))
                if got != (op.method, want_host, want_path) or req.response_format != fmt:
                    failures.append((op.id, fmt, address, got))
    assert failures == []


# -- the guide's scenarios ---------------------------------------------------------------------

def test_guide_send_message_basic() -> None:
    op = catalog.find("Message", "Send Message (/Accounts/:AccountSid/Messages)")
    with pytest.warns(TwilioWarning, match="Tags is not a parameter"):
        req = build_basic(op, params={"AccountSid": AC}, body=GUIDE_MESSAGE,
                          response_format="Application/JSON")
    assert req.method == "POST"
    assert req.url == f"https://api.twilio.com/2010-04-01/Accounts/{AC}/Messages.json"
    tags = ('{"order_id":"ORD-78456", "channel":"whatsapp", '
            '"notification_type":"shipping_update"}')
    expected = Counter([
        ("From", "+14155552671"), ("To", "+919876543210"),
        ("Body", "Hi John, your order has been shipped and will arrive tomorrow."),
        ("MediaUrl", "https://demo.twilio.com/owl.png"),
        ("StatusCallback", "https://api.example.com/twilio/status"), ("Tags", tags)])
    assert Counter(req.form) == expected
    assert req.body is not None
    assert Counter(parse_qsl(req.body.decode(), keep_blank_values=True)) == expected
    assert req.body.startswith(
        b"From=%2B14155552671&To=%2B919876543210&Body=Hi+John%2C+your+order+has+been+shipped+"
        b"and+will+arrive+tomorrow.&MediaUrl=https%3A%2F%2Fdemo.twilio.com%2Fowl.png&")
    assert req.content_type == "application/x-www-form-urlencoded"
    assert req.operation is op and req.configuration == "basic"


def test_guide_send_message_advanced_sends_the_form_text_as_meant() -> None:
    with pytest.warns(TwilioWarning) as record:
        req = build_advanced("POST", "/2010-04-01/Accounts/:AccountSid/Messages",
                             account_sid=AC, body=GUIDE_FORM, response_format="Application/JSON")
    texts = [str(w.message) for w in record]
    assert any("before a phone number in the body was sent as %2B" in t for t in texts)
    assert req.url == f"https://api.twilio.com/2010-04-01/Accounts/{AC}/Messages.json"
    assert req.body == GUIDE_FORM.replace("=+", "=%2B").encode()
    assert req.content_type == "application/x-www-form-urlencoded"
    assert req.operation is not None and req.operation.id == "api_v2010.CreateMessage"
    # what Twilio reads from that text: the numbers keep their plus, the body its spaces
    assert dict(req.form)["From"] == "+11458725991"
    assert dict(req.form)["To"] == "+919458204599"
    assert dict(req.form)["Body"].startswith("Hi John, your order")


def test_advanced_raw_plus_elsewhere_keeps_its_form_meaning_with_a_warning() -> None:
    with pytest.warns(TwilioWarning, match="raw '\\+' reads as a space"):
        req = build_advanced("POST", f"/2010-04-01/Accounts/{AC}/Messages",
                             body="To=%2B14155550100&Body=1+1")
    assert dict(req.form)["Body"] == "1 1"


def test_advanced_plus_written_as_2b_reaches_twilio_as_a_plus() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", TwilioWarning)
        req = build_advanced("POST", f"/2010-04-01/Accounts/{AC}/Messages",
                             body="From=%2B11458725991&To=%2B919458204599&Body=Hi")
    assert dict(req.form) == {"From": "+11458725991", "To": "+919458204599", "Body": "Hi"}


def test_guide_list_calls_query_plus_is_sent_as_2b() -> None:
    op = catalog.find("Call", "List Calls (/Accounts/:AccountSid/Calls)")
    req = quiet_basic(op, params={"AccountSid": AC}, query="To=+9195523446XX",
                      response_format="Application/XML")
    assert req.method == "GET"
    assert req.url == (f"https://api.twilio.com/2010-04-01/Accounts/{AC}/Calls.xml"
                       "?To=%2B9195523446XX")
    assert req.query == "To=%2B9195523446XX"
    assert parse_qsl(req.query) == [("To", "+9195523446XX")]
    assert req.response_format == "xml" and req.body is None


def test_guide_list_call_events() -> None:
    op = catalog.find("Event", "List Call Events (/Accounts/:AccountSid/Calls/:CallSid/Events)")
    req = build_basic(op, params={"CallSid": CA, "AccountSid": AC}, response_format="xml")
    assert req.url == f"https://api.twilio.com/2010-04-01/Accounts/{AC}/Calls/{CA}/Events.xml"
    assert dict(req.path_params) == {"CallSid": CA, "AccountSid": AC}


def test_guide_get_recording_with_a_query_the_spec_does_not_list() -> None:
    op = catalog.find("Recording", "Get Recording (/Accounts/:AccountSid/Recordings/:Sid)")
    with pytest.warns(TwilioWarning, match="StartTime is not a parameter of Get Recording"):
        req = build_basic(op, params={"Sid": RE, "AccountSid": AC}, query="StartTime=2025-05-06")
    assert req.url == (f"https://api.twilio.com/2010-04-01/Accounts/{AC}/Recordings/{RE}.json"
                       "?StartTime=2025-05-06")
    adv = build_advanced("GET", f"/2010-04-01/Accounts/{AC}/Recordings/{RE}")
    assert adv.url == req.url.split("?")[0] and adv.operation is op and adv.body is None


def test_guide_get_message_media() -> None:
    op = catalog.find("Media", "Get Message Media")
    req = build_basic(op, params={"MessageSid": SMA, "Sid": ME, "AccountSid": AC},
                      response_format="Application/XML")
    assert req.url == (f"https://api.twilio.com/2010-04-01/Accounts/{AC}/Messages/{SMA}/Media/"
                       f"{ME}.xml")


def test_guide_sample_sids_are_rejected_with_what_to_change() -> None:
    # The guide's screenshots carry SIDs of 32 and 33 characters; Twilio's are 34.
    op = catalog.find("Recording", "Get Recording")
    with pytest.raises(ConfigurationError, match=r"34 characters.*32 characters") as err:
        build_basic(op, params={"Sid": "RE3d8f9a1b2c4e5f6a7d8c9b0e1f2a3b",
                                "AccountSid": "AC2f6c8e9a1b4d5e6f7a8b9c0d1e2f3a"})
    assert err.value.field == "AccountSid"
    assert "Sid (an operation parameter" in str(err.value)


def test_guide_create_conference_participant() -> None:
    op = catalog.find("Participant", "Create Conference Participant")
    req = build_basic(op, params={"ConferenceSid": CF, "AccountSid": AC}, body=GUIDE_PARTICIPANT)
    assert req.url == (f"https://api.twilio.com/2010-04-01/Accounts/{AC}/Conferences/{CF}/"
                       "Participants.json")
    assert Counter(req.form) == Counter([
        ("From", "+14155552671"), ("To", "+919876543210"), ("Label", "customer"),
        ("EarlyMedia", "true"), ("Beep", "onEnter"), ("Muted", "false"),
        ("StartConferenceOnEnter", "true"), ("EndConferenceOnExit", "false"),
        ("Record", "false"), ("StatusCallback", "https://api.example.com/twilio/status"),
        ("StatusCallbackMethod", "POST"), ("StatusCallbackEvent", "ringing answered completed"),
        ("Timeout", "60"), ("TimeLimit", "3600")])


# -- routing ------------------------------------------------------------------------------------

def test_params_are_routed_where_the_catalog_says() -> None:
    op = catalog.find("Call", "List Calls")
    req = build_basic(op, account_sid=AC, params={"To": "+14155552671", "Status": "completed"},
                      body={"PageSize": 20})
    assert parse_qsl(req.query) == [("To", "+14155552671"), ("Status", "completed"),
                                    ("PageSize", "20")]
    assert req.body is None and dict(req.path_params) == {"AccountSid": AC}


def test_unknown_names_go_to_the_query_of_a_get_and_the_body_of_a_post() -> None:
    with pytest.warns(TwilioWarning, match="Colour is not a parameter.*in the Query"):
        req = build_basic(catalog.find("Call", "List Calls"), account_sid=AC,
                          params={"Colour": "blue"})
    assert req.query == "Colour=blue"
    with pytest.warns(TwilioWarning, match="Colour is not a parameter.*in the Body"):
        req = build_basic(catalog.find("Message", "Send Message"), account_sid=AC,
                          params={"Colour": "blue"}, body={"To": "+14155552671"})
    assert ("Colour", "blue") in req.form and req.query == ""


def test_header_parameters_go_in_the_headers() -> None:
    op = catalog.by_id("conversations_v1.CreateConversation")
    req = build_basic(op, body={"FriendlyName": "x", "X-Twilio-Webhook-Enabled": "true"})
    assert req.headers == (("X-Twilio-Webhook-Enabled", "true"),)
    assert req.form == (("FriendlyName", "x"),)


def test_account_sid_defaults_to_the_connection_s_and_params_win() -> None:
    op = catalog.find("Message", "List Messages")
    assert quiet_basic(op, account_sid=AC).path.startswith(f"/2010-04-01/Accounts/{AC}/")
    other = "AC" + "f" * 32
    assert quiet_basic(op, account_sid=AC, params={"AccountSid": other}).path.startswith(
        f"/2010-04-01/Accounts/{other}/")


def test_a_mapping_query_is_encoded_and_joined_with_routed_params() -> None:
    op = catalog.find("Message", "List Messages")
    req = build_basic(op, account_sid=AC, query={"To": "+14155552671"}, params={"PageSize": 5})
    assert req.query == "To=%2B14155552671&PageSize=5"


def test_path_values_cannot_change_the_path() -> None:
    op = catalog.by_id("numbers_v1.FetchPortingPortability")
    req = quiet_basic(op, params={"PhoneNumber": "+1 415/555?x"})
    assert req.path == "/v1/Porting/Portability/PhoneNumber/+1%20415%2F555%3Fx"
    with pytest.raises(ConfigurationError, match="PhoneNumber must be a value") as err:
        quiet_basic(op, params={"PhoneNumber": ".."})
    assert err.value.field == "PhoneNumber"


def test_a_json_operation_gets_a_json_body() -> None:
    op = catalog.by_id("monitor_v2.CreateAlarm")
    body = {p.name: example_value(p) for p in op.params_in("body") if p.required}
    req = quiet_basic(op, body={**body, "triggerValue": 5})
    assert req.content_type == "application/json"
    assert req.body is not None and json.loads(req.body)["triggerValue"] == 5


def test_bad_json_body_says_where() -> None:
    op = catalog.find("Message", "Send Message")
    with pytest.raises(ConfigurationError, match="line 3, column 1") as err:
        build_basic(op, account_sid=AC, body='{"To": "+14155552671",\n "Body": "Hi",\n}')
    assert err.value.field == "Body"
    with pytest.raises(ConfigurationError, match="JSON object"):
        build_basic(op, account_sid=AC, body='["To"]')


# -- formats, hosts, the address -----------------------------------------------------------------

@pytest.mark.parametrize(("given", "want"), [
    (None, "json"), ("json", "json"), ("Application/JSON", "json"), ("application/xml", "xml"),
    ("XML", "xml"), ("Text/CSV", "csv"), ("csv", "csv")])
def test_normalize_format(given: str | None, want: str) -> None:
    assert normalize_format(given) == want


def test_an_unknown_format_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="Application/JSON") as err:
        normalize_format("yaml")
    assert err.value.field == "Response Format"


def test_twilio_host_follows_twilio_python() -> None:
    assert twilio_host("api.twilio.com", "au1", "sydney") == "api.sydney.au1.twilio.com"
    assert twilio_host("api.twilio.com", "au1") == "api.au1.twilio.com"
    assert twilio_host("api.twilio.com", edge="dublin") == "api.dublin.us1.twilio.com"
    assert twilio_host("api.twilio.com") == "api.twilio.com"
    assert twilio_host("api.dublin.ie1.twilio.com", edge="sydney") == "api.sydney.ie1.twilio.com"
    with pytest.raises(ConfigurationError):
        twilio_host("api.twilio.com", "au1/evil")


def test_is_twilio_address() -> None:
    assert is_twilio_address("https://api.twilio.com")
    assert is_twilio_address("https://conversations.sydney.au1.twilio.com/v1")
    assert not is_twilio_address("http://api.twilio.com")
    assert not is_twilio_address("https://api.twilio.com.evil.example")
    assert not is_twilio_address(SANDBOX)


def test_product_operations_go_to_their_host_and_the_sandbox_serves_all() -> None:
    op = catalog.find("Participant", "List Conversation Participants")
    params = {"ConversationSid": "CH" + "0" * 32}
    assert build_basic(op, params=params).host == "conversations.twilio.com"
    assert build_basic(op, params=params, address=SANDBOX + "/").url == (
        f"{SANDBOX}/v1/Conversations/{params['ConversationSid']}/Participants")
    regional = build_basic(op, params=params, address="https://api.sydney.au1.twilio.com")
    assert regional.host == "conversations.sydney.au1.twilio.com"


def test_a_product_api_answers_json_whatever_the_format_says() -> None:
    op = catalog.find("Participant", "List Conversation Participants")
    with pytest.warns(TwilioWarning, match="JSON only"):
        req = build_basic(op, params={"ConversationSid": "CH" + "0" * 32},
                          response_format="Application/XML")
    assert req.response_format == "json"


@pytest.mark.parametrize("address", ["ftp://api.twilio.com", "api.twilio.com",
                                     "https://user:secret-token@api.twilio.com",
                                     "https://api.twilio.com/2010-04-01", "http://[::1"])
def test_bad_addresses(address: str) -> None:
    with pytest.raises(ConfigurationError) as err:
        build_basic(catalog.find("Balance", "Get Balance"), account_sid=AC, address=address)
    assert err.value.field == "Address"
    assert "secret-token" not in str(err.value)


# -- Next Page URI -----------------------------------------------------------------------------

def test_a_relative_next_page_uri_replaces_path_and_query() -> None:
    op = catalog.find("Message", "List Messages")
    uri = f"/2010-04-01/Accounts/{AC}/Messages.json?PageSize=50&PageToken=PASM123&Page=1"
    with pytest.warns(TwilioWarning, match="not used with a Next Page URI"):
        req = build_basic(op, account_sid=AC, next_page_uri=uri, query="To=+1415")
    assert req.url == "https://api.twilio.com" + uri
    assert req.query == "PageSize=50&PageToken=PASM123&Page=1"
    assert req.next_page_uri == uri
    assert quiet_basic(op, next_page_uri=uri, address=SANDBOX).url == SANDBOX + uri


def test_a_2010_next_page_uri_without_suffix_takes_the_format_s() -> None:
    op = catalog.find("Message", "List Messages")
    uri = f"/2010-04-01/Accounts/{AC}/Messages?Page=1&PageSize=50&PageToken=PA1"
    req = build_basic(op, account_sid=AC, next_page_uri=uri, response_format="csv")
    assert req.path.endswith("/Messages.csv") and req.query == "Page=1&PageSize=50&PageToken=PA1"
    with pytest.warns(TwilioWarning, match="ends in .json"):
        req = build_basic(op, account_sid=AC, response_format="xml",
                          next_page_uri=f"https://api.twilio.com/2010-04-01/Accounts/{AC}/"
                                        "Messages.json?Page=1")
    assert req.response_format == "json"


def test_an_absolute_next_page_url_is_kept() -> None:
    op = catalog.find("Conversation", "List Conversations")
    url = "https://conversations.twilio.com/v1/Conversations?PageSize=50&Page=1&PageToken=PT1"
    assert build_basic(op, next_page_uri=url).url == url


@pytest.mark.parametrize("uri", ["//evil.example/x", "Messages.json?Page=2", "ftp://x/y"])
def test_bad_next_page_uris(uri: str) -> None:
    with pytest.raises(ConfigurationError) as err:
        build_basic(catalog.find("Message", "List Messages"), account_sid=AC, next_page_uri=uri)
    assert err.value.field == "Next Page URI"


# -- request headers ---------------------------------------------------------------------------

def test_request_headers_takes_the_named_ones_in_any_case() -> None:
    op = catalog.find("Balance", "Get Balance")
    given = {"X-Trace": "1", "X-Other": "2"}
    assert build_basic(op, account_sid=AC, headers=given,
                       request_headers="x-trace").headers == (("X-Trace", "1"),)
    assert build_basic(op, account_sid=AC, headers=given, request_headers="*").headers == (
        ("X-Trace", "1"), ("X-Other", "2"))
    assert build_basic(op, account_sid=AC, headers=given).headers == (
        ("X-Trace", "1"), ("X-Other", "2"))


def test_protocol_and_credential_headers_are_never_taken() -> None:
    op = catalog.find("Balance", "Get Balance")
    given = {"Authorization": "Basic c2VjcmV0", "Host": "evil.example", "Content-Length": "9",
             "Cookie": "a=b", "Connection": "close", "CamelHttpUri": "x", "X-Ok": "yes"}
    with pytest.warns(TwilioWarning, match="Header Authorization is not sent"):
        req = build_basic(op, account_sid=AC, headers=given)
    assert req.headers == (("X-Ok", "yes"),)
    sent = req.to_httpx()
    assert "authorization" not in sent.headers and sent.headers["host"] == "api.twilio.com"


def test_header_values_are_one_line() -> None:
    with pytest.raises(ConfigurationError) as err:
        build_basic(catalog.find("Balance", "Get Balance"), account_sid=AC,
                    headers={"X-A": "1\r\nX-Injected: 2"})
    assert err.value.field == "Request Headers"


def test_to_httpx() -> None:
    req = build_basic(catalog.find("Message", "Send Message"), account_sid=AC,
                      body={"To": "+14155552671", "Body": "Hi there"}, response_format="xml",
                      headers={"X-Trace": "7"})
    sent = req.to_httpx()
    assert sent.method == "POST"
    assert str(sent.url) == f"https://api.twilio.com/2010-04-01/Accounts/{AC}/Messages.xml"
    assert sent.headers["content-type"] == "application/x-www-form-urlencoded"
    assert sent.headers["accept"] == "application/xml"
    assert sent.headers["x-trace"] == "7"
    assert sent.content == b"To=%2B14155552671&Body=Hi+there"


# -- Advanced ------------------------------------------------------------------------------------

@pytest.mark.parametrize("method", ["get", "Get", "GET"])
def test_advanced_method_any_case(method: str) -> None:
    assert build_advanced(method, f"/2010-04-01/Accounts/{AC}/Balance").method == "GET"


def test_advanced_bad_method() -> None:
    with pytest.raises(ConfigurationError, match="DELETE, GET, PATCH, POST, PUT") as err:
        build_advanced("FETCH", "/v1/Conversations")
    assert err.value.field == "HTTP Method"


@pytest.mark.parametrize("url", ["//evil.example/x", "http://evil.example/x",
                                 "https://api.twilio.com/2010-04-01/Accounts",
                                 "evil.example/x", "", "/v1/x#frag", "/\\evil.example/x"])
def test_a_relative_url_names_no_host(url: str) -> None:
    with pytest.raises(ConfigurationError) as err:
        build_advanced("GET", url)
    assert err.value.field == "Relative URL"


def test_advanced_placeholders_are_filled() -> None:
    req = build_advanced("GET", "/2010-04-01/Accounts/:AccountSid/Calls/{CallSid}/Events",
                         account_sid=AC, params={"CallSid": CA}, response_format="csv")
    assert req.url == f"https://api.twilio.com/2010-04-01/Accounts/{AC}/Calls/{CA}/Events.csv"
    assert req.operation is not None and req.operation.id == "api_v2010.ListCallEvent"
    assert dict(req.path_params) == {"AccountSid": AC, "CallSid": CA}
    with pytest.raises(ConfigurationError, match="placeholder :CallSid") as err:
        build_advanced("GET", "/2010-04-01/Accounts/:AccountSid/Calls/:CallSid", account_sid=AC)
    assert err.value.field == "CallSid"


def test_advanced_suffix_written_in_the_url_decides_the_format() -> None:
    with pytest.warns(TwilioWarning, match=r"Calls.xml ends in .xml"):
        req = build_advanced("GET", f"/2010-04-01/Accounts/{AC}/Calls.xml")
    assert req.response_format == "xml" and req.path.endswith("/Calls.xml")


def test_advanced_send_body_defaults() -> None:
    url = f"/2010-04-01/Accounts/{AC}/Messages"
    with pytest.warns(TwilioWarning, match="Send Body is off"):
        req = build_advanced("GET", url, body="To=x")
    assert req.body is None
    assert build_advanced("GET", url, body="PageSize=5", send_body=True).body == b"PageSize=5"
    assert build_advanced("POST", url + "/SM" + "0" * 32, send_body=None).body == b""
    req = quiet_advanced("POST", url, body={"To": "+14155552671", "Body": "a b"})
    assert req.body == b"To=%2B14155552671&Body=a+b"


def test_advanced_product_url_goes_to_the_product_host() -> None:
    req = build_advanced("get", "/v1/Conversations/CH" + "0" * 32 + "/Participants",
                         query="PageSize=5")
    assert req.url.startswith("https://conversations.twilio.com/v1/Conversations/")
    assert req.url.endswith("/Participants?PageSize=5")
    sandbox = build_advanced("GET", "/v1/Conversations", address=SANDBOX)
    assert sandbox.host == "127.0.0.1:4010" and sandbox.operation is not None


def test_advanced_ambiguous_path_uses_the_address_host_to_choose() -> None:
    path = "/v1/Services/IS" + "0" * 32 + "/Bindings"
    with pytest.warns(TwilioWarning, match="several products"):
        req = build_advanced("GET", path)
    assert req.operation is None and req.host == "api.twilio.com"
    req = build_advanced("GET", path, address="https://notify.twilio.com")
    assert req.operation is not None and req.operation.id == "notify_v1.ListBinding"


def test_advanced_checks_only_warn() -> None:
    # the guide's own Advanced example: an AP... account SID with letters past f
    with pytest.warns(TwilioWarning, match="AccountSid .* must be a SID"):
        req = build_advanced("POST", "/2010-04-01/Accounts/AP1a2b3c4d5e6f7g8h9i0j1k2l3m4n5o/"
                             "Messages", body="To=%2B14155552671&Body=Hi")
    assert req.body == b"To=%2B14155552671&Body=Hi"


def test_advanced_json_text_body() -> None:
    with pytest.warns(TwilioWarning, match="looks like JSON"):
        req = build_advanced("POST", f"/2010-04-01/Accounts/{AC}/Messages", body='{"To": "x"}')
    assert req.content_type == "application/x-www-form-urlencoded"
    op = catalog.by_id("monitor_v2.CreateAlarm")
    req = quiet_advanced("POST", op.path, body='{"friendlyName": "a"}')
    assert req.operation is op and req.content_type == "application/json"


def test_advanced_query_in_the_url_and_the_query_field_are_joined() -> None:
    req = build_advanced("GET", f"/2010-04-01/Accounts/{AC}/Calls?Status=busy",
                         query="PageSize=5")
    assert req.query == "Status=busy&PageSize=5"


def test_advanced_unused_params_warn() -> None:
    with pytest.warns(TwilioWarning, match="Parameters Status are not used"):
        build_advanced("GET", f"/2010-04-01/Accounts/{AC}/Calls", params={"Status": "busy"})


def test_built_request_never_holds_credentials() -> None:
    fields = set(BuiltRequest.__dataclass_fields__)
    assert not {f for f in fields if re.search("auth|secret|token|password|user", f)}
