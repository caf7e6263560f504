"""Building requests: every catalog operation, the guide's six scenarios (Basic and Advanced),
where each parameter goes, and a built request holds no credential. Hosts, the Next Page URI
and headers: test_request_addresses.py; Advanced's own rules: test_request_advanced.py."""

from __future__ import annotations

import json
import re
import warnings
from collections import Counter
from urllib.parse import parse_qsl, unquote, urlsplit

import pytest
from guide import CONFERENCE_PARTICIPANT_JSON, SEND_MESSAGE_FORM, SEND_MESSAGE_JSON
from request_samples import AC, CA, SANDBOX, quiet_basic

from twilio_nb import catalog
from twilio_nb.errors import ConfigurationError, TwilioWarning
from twilio_nb.request.build import build_advanced, build_basic
from twilio_nb.request.built import BuiltRequest
from twilio_nb.request.validate import example_value
from twilio_nb.vocabulary import FORMATS

CF = "CFa1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6"
RE = "RE" + "3d8f9a1b2c4e5f6a7d8c9b0e1f2a3b4c"
ME = "ME" + "3d8f9a1b2c4e5f6a7d8c9b0e1f2a3b4c"
SMA = "SMA1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6"  # the guide's MessageSid

# Tests that expect a warning catch it with pytest.warns; the rest need not show theirs.
pytestmark = pytest.mark.filterwarnings("ignore::twilio_nb.errors.TwilioWarning")

GUIDE_MESSAGE = SEND_MESSAGE_JSON
GUIDE_PARTICIPANT = json.loads(CONFERENCE_PARTICIPANT_JSON)
GUIDE_FORM = SEND_MESSAGE_FORM


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


def test_built_request_never_holds_credentials() -> None:
    fields = set(BuiltRequest.__dataclass_fields__)
    assert not {f for f in fields if re.search("auth|secret|token|password|user", f)}
