"""TwiML answers: <Message> verbs read, anything that is not a safe well-formed <Response>
refused in one line."""

from __future__ import annotations

import pytest

from twilio_nb.webhook_protocol.twiml import MessageVerb, TwimlError, check, messages


def test_message_verbs_with_body_media_and_attributes() -> None:
    doc = ('<?xml version="1.0" encoding="UTF-8"?><Response>'
           '<Message to="+14155550199" from="+14155550100" statusCallback="https://h/s">Hi '
           '<Media>https://h/a.png</Media></Message>'
           '<Message><Body>Second</Body></Message></Response>')
    assert messages(doc) == [
        MessageVerb("Hi", ("https://h/a.png",), "+14155550199", "+14155550100", "https://h/s"),
        MessageVerb("Second")]
    assert messages("") == [] and messages("<Response/>") == []


@pytest.mark.parametrize(("doc", "problem"), [
    ("<Response><Message>oops", "not well-formed"),
    ("Thanks!", "not well-formed"),
    ("<Reply><Message>x</Message></Reply>", "root"),
    ('<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><Response><Message>&x;</Message>'
     "</Response>", "DOCTYPE"),
])
def test_bad_twiml_is_refused_in_one_line(doc: str, problem: str) -> None:
    with pytest.raises(TwimlError, match=problem) as err:
        check(doc)
    assert "\n" not in str(err.value)
