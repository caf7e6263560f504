"""Body templates: the fields Twilio needs for each operation that takes a body, the guide's
payloads verbatim, and the sandbox takes the guide's as sent."""

from __future__ import annotations

import json

import pytest
from guide import CONFERENCE_PARTICIPANT_JSON, SEND_MESSAGE_FORM, SEND_MESSAGE_JSON

import twilio_nb as tw
from twilio_nb import catalog
from twilio_nb.errors import TwilioWarning
from twilio_nb.request.body_templates import (
    REQUIRED,
    form_templates,
    json_templates,
    required_fields,
)


def test_send_message_needs_from_to_and_body() -> None:
    op = catalog.find("Message", "Send Message")
    assert required_fields(op) == {"From": "", "To": "", "Body": ""}  # not {"To": ""}: 21603
    assert json.loads(json_templates(op)[REQUIRED]) == {"From": "", "To": "", "Body": ""}
    assert form_templates(op)[REQUIRED] == "From=&To=&Body="
    assert list(required_fields(catalog.find("Call", "Create Call"))) == ["From", "To", "Url"]


def test_the_guides_payloads_are_templates_verbatim() -> None:
    send = catalog.find("Message", "Send Message")
    part = catalog.find("Participant", "Create Conference Participant")
    assert json_templates(send)["Guide 5.1: Send Message"] == SEND_MESSAGE_JSON
    assert form_templates(send)["Guide 5.1: Send Message (Advanced)"] == SEND_MESSAGE_FORM
    assert (json_templates(part)["Guide 5.5: Create Conference Participant"]
            == CONFERENCE_PARTICIPANT_JSON)
    assert json.loads(json_templates(part)[REQUIRED]) == {"From": "", "To": ""}


def test_no_body_no_template() -> None:
    op = catalog.find("Call", "List Calls")
    assert json_templates(op) == {} and form_templates(op) == {} and required_fields(op) == {}
    assert json_templates(None) == {}


def test_every_guide_template_is_accepted_as_sent() -> None:
    conn = tw.Connection(sandbox=True)
    with pytest.warns(TwilioWarning, match="Tags is not a parameter"):  # as in the guide
        send = conn.basic("Message", "Send Message", body=SEND_MESSAGE_JSON)
    assert send.status_code == 201
    conf = str(conn.basic("Conference", "List Conferences").df["sid"].iloc[0])
    joined = conn.basic("Participant", "Create Conference Participant",
                        params={"ConferenceSid": conf}, body=CONFERENCE_PARTICIPANT_JSON)
    assert joined.status_code == 201
    with pytest.warns(TwilioWarning, match="sent as %2B"):  # the guide's raw '+'
        advanced = conn.advanced("POST", "/2010-04-01/Accounts/:AccountSid/Messages",
                                 body=SEND_MESSAGE_FORM)
    assert advanced.status_code == 201
