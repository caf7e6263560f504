"""twilio-python pointed at the sandbox's port parses every answer into its typed objects:
messages, calls, call events, recordings, media, conference participants, conversations and
their participants, Notify services, bindings and notifications, balance, incoming and
available numbers (list, fetch and create)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from twilio.base.exceptions import TwilioRestException
from twilio.http import HttpClient
from twilio.http.response import Response
from twilio.rest import Client

from twilio_nb.sandbox import ACCOUNT_SID, API_KEY_SECRET, API_KEY_SID, Sandbox


class SandboxHttpClient(HttpClient):
    """Sends twilio-python's requests for ``https://<product>.twilio.com`` to the sandbox's
    port, keeping the original Host header (so the sandbox knows the product)."""

    def __init__(self, base_url: str) -> None:
        super().__init__(logger=logging.getLogger("sandbox-test"), is_async=False)
        self.base_url = base_url
        self.hosts: list[str] = []
        self._client = httpx.Client(timeout=10)

    def request(self, method: str, url: str, params: Any = None, data: Any = None,
                headers: Any = None, auth: Any = None, timeout: Any = None,
                allow_redirects: bool = False) -> Response:
        parts = urlsplit(url)
        assert parts.hostname and parts.hostname.endswith(".twilio.com")
        self.hosts.append(parts.hostname)
        target = self.base_url + parts.path + (f"?{parts.query}" if parts.query else "")
        r = self._client.request(method, target, params=params, data=data, auth=auth,
                                 headers={**(headers or {}), "Host": parts.netloc})
        return Response(r.status_code, r.text, r.headers)

    def close(self) -> None:
        self._client.close()


@pytest.fixture(scope="module")
def tw(sandbox: Sandbox) -> Iterator[Client]:
    with sandbox.serve() as server:
        http = SandboxHttpClient(server.url)
        yield Client(API_KEY_SID, API_KEY_SECRET, ACCOUNT_SID, http_client=http)
        http.close()


def test_messages_list_fetch_create_delete(tw: Client) -> None:
    msgs = tw.messages.list(limit=120, page_size=50)
    assert len(msgs) == 120 and len({m.sid for m in msgs}) == 120
    assert isinstance(msgs[0].date_created, dt.datetime) and msgs[0].date_created.tzinfo
    assert {m.status for m in tw.messages.list(limit=500)} >= {"delivered", "failed",
                                                               "undelivered", "received"}
    assert any(m.to.startswith("whatsapp:") for m in tw.messages.list(limit=200))
    sent = tw.messages.create(to="+919876543210", from_="+14155552671",
                              body="Hi John, your order has been shipped.",
                              media_url=["https://demo.twilio.com/owl.png"],
                              status_callback="https://api.example.com/twilio/status")
    assert sent.sid.startswith("MM") and sent.status == "queued" and sent.num_media == "1"
    fetched = tw.messages(sent.sid).fetch()
    assert fetched.body == "Hi John, your order has been shipped."
    assert sent.sid in {m.sid for m in tw.messages.list(to="+919876543210", limit=20)}
    media = tw.messages(sent.sid).media.list()
    assert len(media) == 1 and media[0].content_type == "image/png"
    assert tw.messages(sent.sid).media(media[0].sid).fetch().parent_sid == sent.sid
    assert tw.messages(sent.sid).delete() is True
    with pytest.raises(TwilioRestException) as err:
        tw.messages(sent.sid).fetch()
    assert (err.value.status, err.value.code) == (404, 20404)


def test_message_filters_through_twilio_python(tw: Client) -> None:
    since = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
    recent = tw.messages.list(date_sent_after=since, limit=300)
    assert recent and all(m.date_sent is None or m.date_sent >= since for m in recent)


def test_magic_number_error_reaches_twilio_python(tw: Client) -> None:
    with pytest.raises(TwilioRestException) as err:
        tw.messages.create(to="+15005550001", from_="+15005550006", body="x")
    assert (err.value.status, err.value.code) == (400, 21211)


def test_calls_events_and_recordings(tw: Client) -> None:
    calls = tw.calls.list(status="completed", limit=20)
    assert len(calls) == 20 and all(c.status == "completed" for c in calls)
    assert isinstance(calls[0].start_time, dt.datetime)
    events = tw.calls(calls[0].sid).events.list()
    assert len(events) == 2 and events[0].request["method"] == "POST"
    recs = tw.recordings.list(limit=10)
    assert recs and recs[0].sid.startswith("RE") and isinstance(recs[0].channels, int)
    rec = tw.recordings(recs[0].sid).fetch()
    assert rec.call_sid and rec.media_url.startswith("https://api.twilio.com/")
    assert recs[0].sid in {r.sid for r in tw.calls(rec.call_sid).recordings.list()}
    call = tw.calls.create(to="+14155550199", from_="+15005550006",
                           url="https://demo.twilio.com/welcome/voice/")
    assert call.status == "queued" and tw.calls(call.sid).fetch().to == "+14155550199"


def test_conference_participants(tw: Client) -> None:
    live = tw.conferences.list(status="in-progress")
    assert len(live) == 10
    parts = tw.conferences(live[0].sid).participants.list()
    assert 2 <= len(parts) <= 5 and all(p.conference_sid == live[0].sid for p in parts)
    new = tw.conferences(live[0].sid).participants.create(
        from_="+14155552671", to="+919876543210", label="customer", early_media=True,
        beep="onEnter", muted=False, start_conference_on_enter=True,
        end_conference_on_exit=False, record=False,
        status_callback="https://api.example.com/twilio/status", status_callback_method="POST",
        status_callback_event=["ringing", "answered", "completed"], timeout=60,
        time_limit=3600)
    assert new.call_sid.startswith("CA") and new.label == "customer" and new.muted is False
    again = tw.conferences(live[0].sid).participants(new.call_sid).fetch()
    assert again.call_sid == new.call_sid


def test_conversations_and_participants(tw: Client) -> None:
    convs = tw.conversations.v1.conversations.list(page_size=15)
    assert len(convs) == 40 and isinstance(convs[0].date_created, dt.datetime)
    parts = tw.conversations.v1.conversations(convs[0].sid).participants.list()
    assert 2 <= len(parts) <= 3
    created = tw.conversations.v1.conversations.create(friendly_name="Sandbox test")
    assert created.sid.startswith("CH") and created.state == "active"
    p = tw.conversations.v1.conversations(created.sid).participants.create(identity="alice")
    assert p.sid.startswith("MB") and p.identity == "alice"
    assert tw.conversations.v1.conversations(created.sid).participants(p.sid).fetch().identity \
        == "alice"
    assert tw.conversations.v1.conversations(created.sid).fetch().friendly_name == "Sandbox test"


def test_notify_services_bindings_and_notifications(tw: Client) -> None:
    services = tw.notify.v1.services.list()
    assert {s.friendly_name for s in services} == {"Order updates (sandbox)",
                                                   "Marketing (sandbox)"}
    bindings = tw.notify.v1.services(services[0].sid).bindings.list()
    assert len(bindings) == 12 and {b.binding_type for b in bindings} == {"apn", "fcm", "sms"}
    b = tw.notify.v1.services(services[0].sid).bindings.create(
        identity="user-42", binding_type="sms", address="+14155550123", tag=["vip", "new"])
    assert b.sid.startswith("BS") and b.tags == ["vip", "new"]
    n = tw.notify.v1.services(services[0].sid).notifications.create(
        identity=["user-42"], body="Your order shipped")
    assert n.sid.startswith("NT") and n.identities == ["user-42"] and n.body == \
        "Your order shipped"
    created = tw.notify.v1.services.create(friendly_name="From a test")
    assert tw.notify.v1.services(created.sid).fetch().friendly_name == "From a test"


def test_balance_and_numbers(tw: Client) -> None:
    balance = tw.balance.fetch()
    assert balance.currency == "USD" and Decimal(balance.balance) > 0
    owned = tw.incoming_phone_numbers.list()
    assert len(owned) >= 7 and all(n.sid.startswith("PN") for n in owned)
    assert tw.incoming_phone_numbers(owned[0].sid).fetch().phone_number == owned[0].phone_number
    countries = {c.country_code for c in tw.available_phone_numbers.list()}
    assert countries >= {"US", "GB", "DE", "IN"}
    prefixes = {"US": "+1", "GB": "+44", "DE": "+49", "IN": "+91"}
    for code, prefix in prefixes.items():
        country = tw.available_phone_numbers(code)
        for kind in (country.local, country.mobile, country.toll_free):
            numbers = kind.list()
            assert numbers and all(n.phone_number.startswith(prefix) for n in numbers)
            assert all(n.iso_country == code for n in numbers)
    sf = tw.available_phone_numbers("US").local.list(area_code=415)
    assert sf and all(n.phone_number.startswith("+1415") for n in sf)
    bought = tw.incoming_phone_numbers.create(phone_number=sf[0].phone_number)
    assert bought.phone_number == sf[0].phone_number
    left = tw.available_phone_numbers("US").local.list(area_code=415)
    assert sf[0].phone_number not in {n.phone_number for n in left}


def test_twilio_python_kept_its_product_hosts(tw: Client) -> None:
    http = tw.http_client
    assert isinstance(http, SandboxHttpClient)
    assert {"api.twilio.com", "conversations.twilio.com", "notify.twilio.com"} <= set(http.hosts)
