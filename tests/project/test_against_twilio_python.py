"""The requests twilio_nb builds equal the ones twilio-python sends for the same call:
method, host, path, query and form fields (as multisets). twilio-python runs with a
recording HttpClient: nothing leaves the machine."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from _twilio_recorder import ACCOUNT, Recorder, built, canned, client, sent
from twilio.rest import Client

from twilio_nb import catalog
from twilio_nb.request.build import build_basic

SM = "SM" + "0123456789abcdef" * 2
MM = "MM" + "fedcba9876543210" * 2
ME = "ME" + "0123456789abcdef" * 2
CA = "CA" + "0123456789abcdef" * 2
CF = "CF" + "0123456789abcdef" * 2
RE = "RE" + "0123456789abcdef" * 2
CH = "CH" + "0123456789abcdef" * 2
IS = "IS" + "0123456789abcdef" * 2


@dataclass
class Case:
    op_id: str
    twilio_python: Callable[[Client], Any]
    params: dict[str, Any] = field(default_factory=dict)
    body: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)


def acct(c: Client) -> Any:
    return c.api.v2010.accounts(ACCOUNT)


CASES = {
    "send message": Case(
        "api_v2010.CreateMessage",
        lambda c: acct(c).messages.create(
            from_="+14155552671", to="+919876543210", body="Hi John, it's shipped & on its way",
            media_url=["https://demo.twilio.com/owl.png", "https://demo.twilio.com/cat.png"],
            status_callback="https://api.example.com/twilio/status", send_as_mms=True),
        body={"From": "+14155552671", "To": "+919876543210",
              "Body": "Hi John, it's shipped & on its way",
              "MediaUrl": ["https://demo.twilio.com/owl.png", "https://demo.twilio.com/cat.png"],
              "StatusCallback": "https://api.example.com/twilio/status", "SendAsMms": True}),
    "list messages": Case(
        "api_v2010.ListMessage",
        lambda c: acct(c).messages.page(to="+14155552671", date_sent_after="2025-05-01",
                                        page_size=50),
        params={"To": "+14155552671", "DateSent>": "2025-05-01", "PageSize": 50}),
    "get message": Case("api_v2010.FetchMessage", lambda c: acct(c).messages(SM).fetch(),
                        params={"Sid": SM}),
    "redact message": Case("api_v2010.UpdateMessage",
                           lambda c: acct(c).messages(SM).update(body=""),
                           params={"Sid": SM}, body={"Body": ""}),
    "delete message": Case("api_v2010.DeleteMessage", lambda c: acct(c).messages(SM).delete(),
                           params={"Sid": SM}),
    "create call": Case(
        "api_v2010.CreateCall",
        lambda c: acct(c).calls.create(
            to="+14155552671", from_="+14155550100", url="https://example.com/twiml",
            status_callback_event=["initiated", "answered"], timeout=30, record=False),
        body={"To": "+14155552671", "From": "+14155550100", "Url": "https://example.com/twiml",
              "StatusCallbackEvent": ["initiated", "answered"], "Timeout": 30,
              "Record": False}),
    "list calls": Case(
        "api_v2010.ListCall",
        lambda c: acct(c).calls.page(to="+919552344600", status="completed",
                                     start_time_before="2025-05-06", page_size=20),
        params={"To": "+919552344600", "Status": "completed", "StartTime<": "2025-05-06",
                "PageSize": 20}),
    "list call events": Case("api_v2010.ListCallEvent", lambda c: acct(c).calls(CA).events.page(),
                             params={"CallSid": CA}),
    "get recording": Case(
        "api_v2010.FetchRecording",
        lambda c: acct(c).recordings(RE).fetch(include_soft_deleted=True),
        params={"Sid": RE, "IncludeSoftDeleted": True}),
    "list recordings": Case(
        "api_v2010.ListRecording",
        lambda c: acct(c).recordings.page(call_sid=CA, date_created="2025-05-06"),
        params={"CallSid": CA, "DateCreated": "2025-05-06"}),
    "get message media": Case("api_v2010.FetchMedia",
                              lambda c: acct(c).messages(MM).media(ME).fetch(),
                              params={"MessageSid": MM, "Sid": ME}),
    "list message media": Case("api_v2010.ListMedia",
                               lambda c: acct(c).messages(MM).media.page(page_size=5),
                               params={"MessageSid": MM, "PageSize": 5}),
    "create conference participant": Case(
        "api_v2010.CreateParticipant",
        lambda c: acct(c).conferences(CF).participants.create(
            from_="+14155552671", to="+919876543210", label="customer", early_media=True,
            beep="onEnter", muted=False, start_conference_on_enter=True,
            status_callback_event=["ringing answered completed"], timeout=60, time_limit=3600),
        params={"ConferenceSid": CF},
        body={"From": "+14155552671", "To": "+919876543210", "Label": "customer",
              "EarlyMedia": True, "Beep": "onEnter", "Muted": False,
              "StartConferenceOnEnter": True, "StatusCallbackEvent": "ringing answered completed",
              "Timeout": 60, "TimeLimit": 3600}),
    "hold conference participant": Case(
        "api_v2010.UpdateParticipant",
        lambda c: acct(c).conferences(CF).participants(CA).update(hold=True, muted=True),
        params={"ConferenceSid": CF, "CallSid": CA}, body={"Hold": True, "Muted": True}),
    "balance": Case("api_v2010.FetchBalance", lambda c: acct(c).balance.fetch()),
    "buy a number": Case(
        "api_v2010.CreateIncomingPhoneNumber",
        lambda c: acct(c).incoming_phone_numbers.create(
            phone_number="+14155552671", friendly_name="Support line",
            sms_url="https://example.com/sms", voice_caller_id_lookup=True),
        body={"PhoneNumber": "+14155552671", "FriendlyName": "Support line",
              "SmsUrl": "https://example.com/sms", "VoiceCallerIdLookup": True}),
    "list incoming numbers": Case(
        "api_v2010.ListIncomingPhoneNumber",
        lambda c: acct(c).incoming_phone_numbers.page(phone_number="+1415", beta=False),
        params={"PhoneNumber": "+1415", "Beta": False}),
    "available US local": Case(
        "api_v2010.ListAvailablePhoneNumberLocal",
        lambda c: acct(c).available_phone_numbers("US").local.page(area_code=415,
                                                                   sms_enabled=True),
        params={"CountryCode": "US", "AreaCode": 415, "SmsEnabled": True}),
    "available GB mobile": Case(
        "api_v2010.ListAvailablePhoneNumberMobile",
        lambda c: acct(c).available_phone_numbers("GB").mobile.page(contains="7700"),
        params={"CountryCode": "GB", "Contains": "7700"}),
    "available DE local": Case(
        "api_v2010.ListAvailablePhoneNumberLocal",
        lambda c: acct(c).available_phone_numbers("DE").local.page(contains="+4930",
                                                                   voice_enabled=True),
        params={"CountryCode": "DE", "Contains": "+4930", "VoiceEnabled": True}),
    "available IN toll free": Case(
        "api_v2010.ListAvailablePhoneNumberTollFree",
        lambda c: acct(c).available_phone_numbers("IN").toll_free.page(page_size=10),
        params={"CountryCode": "IN", "PageSize": 10}),
    "create conversation": Case(
        "conversations_v1.CreateConversation",
        lambda c: c.conversations.v1.conversations.create(
            friendly_name="Order 78456", attributes='{"order_id": "ORD-78456"}',
            timers_inactive="PT1H", x_twilio_webhook_enabled="true"),
        body={"FriendlyName": "Order 78456", "Attributes": '{"order_id": "ORD-78456"}',
              "Timers.Inactive": "PT1H", "X-Twilio-Webhook-Enabled": "true"}),
    "list conversations": Case(
        "conversations_v1.ListConversation",
        lambda c: c.conversations.v1.conversations.page(state="active", page_size=50),
        params={"State": "active", "PageSize": 50}),
    "add conversation participant": Case(
        "conversations_v1.CreateConversationParticipant",
        lambda c: c.conversations.v1.conversations(CH).participants.create(
            messaging_binding_address="+919876543210",
            messaging_binding_proxy_address="+14155552671"),
        params={"ConversationSid": CH},
        body={"MessagingBinding.Address": "+919876543210",
              "MessagingBinding.ProxyAddress": "+14155552671"}),
    "list conversation participants": Case(
        "conversations_v1.ListConversationParticipant",
        lambda c: c.conversations.v1.conversations(CH).participants.page(),
        params={"ConversationSid": CH}),
    "create notify service": Case(
        "notify_v1.CreateService",
        lambda c: c.notify.v1.services.create(friendly_name="Alerts", log_enabled=True),
        body={"FriendlyName": "Alerts", "LogEnabled": True}),
    "get notify service": Case("notify_v1.FetchService",
                               lambda c: c.notify.v1.services(IS).fetch(), params={"Sid": IS}),
    "create binding": Case(
        "notify_v1.CreateBinding",
        lambda c: c.notify.v1.services(IS).bindings.create(
            identity="user-1", binding_type="sms", address="+14155552671",
            tag=["vip", "eu"]),
        params={"ServiceSid": IS},
        body={"Identity": "user-1", "BindingType": "sms", "Address": "+14155552671",
              "Tag": ["vip", "eu"]}),
    "list bindings": Case(
        "notify_v1.ListBinding",
        lambda c: c.notify.v1.services(IS).bindings.page(tag=["vip", "eu"],
                                                         identity=["user-1"]),
        params={"ServiceSid": IS, "Tag": ["vip", "eu"], "Identity": ["user-1"]}),
    "send notification": Case(
        "notify_v1.CreateNotification",
        lambda c: c.notify.v1.services(IS).notifications.create(
            body="Your order shipped", identity=["user-1", "user-2"], ttl=3600,
            data={"order": "ORD-78456"}),
        params={"ServiceSid": IS},
        body={"Body": "Your order shipped", "Identity": ["user-1", "user-2"], "Ttl": 3600,
              "Data": {"order": "ORD-78456"}}),
}


@pytest.mark.parametrize("name", list(CASES))
def test_request_equals_twilio_python(name: str) -> None:
    case = CASES[name]
    op = catalog.by_id(case.op_id)
    recorder = Recorder(canned(op.kind, op.list_key))
    case.twilio_python(client(recorder))
    assert len(recorder.calls) == 1
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # every parameter above is one the catalog knows
        req = build_basic(op, account_sid=ACCOUNT, params=case.params, body=case.body)
    assert built(req) == sent(recorder.calls[0])
    theirs = recorder.calls[0]["headers"]
    for header, value in req.headers:
        assert theirs[header] == value


def test_the_cases_cover_the_issue_s_entities() -> None:
    entities = {catalog.by_id(c.op_id).entity for c in CASES.values()}
    assert {"Message", "Call", "Event", "Recording", "Media", "Participant", "Balance",
            "IncomingPhoneNumber", "AvailablePhoneNumber", "Conversation", "Service",
            "Binding", "Notification"} <= entities
    countries = {c.params.get("CountryCode") for c in CASES.values()}
    assert {"US", "GB", "DE", "IN"} <= countries
    assert len(CASES) >= 20


def test_region_and_edge_hosts_match_twilio_python() -> None:
    op = catalog.by_id("conversations_v1.ListConversation")
    recorder = Recorder(canned(op.kind, op.list_key))
    client(recorder, region="au1", edge="sydney").conversations.v1.conversations.page()
    req = build_basic(op, region="au1", edge="sydney")
    assert built(req)["host"] == sent(recorder.calls[0])["host"] == \
        "conversations.sydney.au1.twilio.com"
