"""An incoming message posts Twilio's webhook to the number's SmsUrl; the TwiML answer's
<Message> becomes a reply that lives and calls back; a broken answer creates nothing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import twilio_nb as tw
from twilio_nb import ConfigurationError
from twilio_nb.sandbox import Sandbox

OURS = "+14155550100"
CUSTOMER = "+14155550199"


@pytest.fixture
def conn() -> Iterator[tw.Connection]:
    with tw.Connection(sandbox=Sandbox(messages=0)) as c:
        yield c


@pytest.fixture
def inbox(conn: tw.Connection) -> Iterator[tw.Inbox]:
    with tw.inbox(connection=conn) as box:
        numbers = conn.basic("IncomingPhoneNumber", "List Incoming Phone Numbers",
                             query=f"PhoneNumber={OURS}").df
        conn.basic("IncomingPhoneNumber", "Update Incoming Phone Number",
                   params={"Sid": numbers["sid"][0]}, body={"SmsUrl": box.url + "sms"})
        yield box


def test_incoming_message_and_its_twiml_reply(conn: tw.Connection, inbox: tw.Inbox) -> None:
    assert conn.sandbox is not None
    inbox.reply(lambda req: f'<Response><Message statusCallback="{inbox.url}status">'
                            f'You said: {req["Body"]}</Message></Response>')
    got = conn.sandbox.receive_message(from_=CUSTOMER, to=OURS, body="hello",
                                       media_urls=["https://example.com/cat.jpg"])
    assert got.status == 200 and got.error is None and len(got.replies) == 1
    hook = inbox.df.iloc[0]
    assert (hook["path"], hook["signature_valid"], hook["Body"], hook["From"], hook["To"],
            hook["SmsStatus"], hook["NumMedia"], hook["MediaContentType0"]) == (
        "/sms", True, "hello", CUSTOMER, OURS, "received", "1", "image/jpeg")
    assert hook["MessageSid"] == got.message_sid
    incoming = conn.basic("Message", "Get Message", params={"Sid": got.message_sid}).records[0]
    assert (incoming["direction"], incoming["status"]) == ("inbound", "received")
    conn.sandbox.advance(5)
    reply = conn.basic("Message", "Get Message", params={"Sid": got.replies[0]}).records[0]
    assert (reply["from"], reply["to"], reply["body"], reply["status"]) == (
        OURS, CUSTOMER, "You said: hello", "delivered")
    status = inbox.wait(5, timeout=5)
    assert list(status["MessageStatus"].iloc[1:]) == ["queued", "sending", "sent", "delivered"]
    assert status["signature_valid"].all()


def test_a_twiml_answer_that_is_not_xml_creates_nothing(conn: tw.Connection,
                                                        inbox: tw.Inbox) -> None:
    assert conn.sandbox is not None
    inbox.reply(lambda req: "<Response><Message>broken")
    before = len(conn.basic("Message", "List Messages").df)
    got = conn.sandbox.receive_message(from_=CUSTOMER, to=OURS, body="hi")
    assert got.replies == [] and got.error is not None and got.error.startswith("12100")
    assert len(conn.basic("Message", "List Messages").df) == before + 1  # the incoming one
    assert "not well-formed" in inbox.df["error"].iloc[0]


def test_an_endpoint_that_refuses_is_reported_not_raised(conn: tw.Connection,
                                                         inbox: tw.Inbox) -> None:
    assert conn.sandbox is not None
    inbox.close()
    got = conn.sandbox.receive_message(from_=CUSTOMER, to=OURS, body="hi")
    assert got.status is None and got.error is not None and got.error.startswith("11200")
    assert "11200" in repr(got)


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"from_": "me", "to": OURS, "body": "x"}, "from_ must be a phone number"),
    ({"from_": CUSTOMER, "to": "+14155550000", "body": "x"}, "not a number of the sandbox"),
    ({"from_": CUSTOMER, "to": OURS, "body": "x", "media_urls": "http://x/a.png"},
     "list of URLs"),
    ({"from_": CUSTOMER, "to": OURS, "body": "x", "media_urls": ["file:///etc/passwd"]},
     "http"),
    ({"from_": CUSTOMER, "to": "+14155550101", "body": "x"}, "SmsUrl"),
])
def test_bad_input_is_refused_before_anything_is_sent(kwargs: dict[str, object],
                                                      match: str) -> None:
    sandbox = Sandbox(messages=0)
    with tw.Connection(sandbox=sandbox) as conn:
        sid = conn.basic("IncomingPhoneNumber", "List Incoming Phone Numbers",
                         query="PhoneNumber=+14155550101").df["sid"][0]
        conn.basic("IncomingPhoneNumber", "Update Incoming Phone Number", params={"Sid": sid},
                   body={"SmsUrl": "mailto:x@example.com"})
    with pytest.raises(ConfigurationError, match=match):
        sandbox.receive_message(**kwargs)  # type: ignore[arg-type]
    assert sandbox.deliveries == []
