"""Free-form objects keep their values as Twilio sent them (issue 24, point 4): a call
event's ``request.parameters`` are the parameters of a webhook request, text in Twilio's body
and in twilio-python (``"timeout": "55"``), so they stay text in the frame; the event's
``response`` fields Twilio sends as JSON numbers stay numbers."""

from __future__ import annotations

import json
from pathlib import Path

from twilio_nb import catalog
from twilio_nb.convert import read_page

# twilio-python's test body for ListCallEvent (tests/convert/twilio_bodies/SOURCES)
BODY = Path(__file__).resolve().parent / "twilio_bodies" / "json" / "api_v2010.ListCallEvent.json"


def _operation() -> catalog.Operation:
    return next(o for o in catalog.operations() if o.operation_id.endswith("ListCallEvent"))


def test_call_event_parameters_stay_the_text_twilio_sent() -> None:
    content = BODY.read_bytes()
    sent = json.loads(content)["events"][0]["request"]["parameters"]
    frame = read_page(content, "json", _operation()).parse().frame
    row = frame.iloc[0]
    assert row["request.parameters.timeout"] == "55" == sent["timeout"]
    assert row["request.parameters.machine_detection_timeout"] == "0"
    for key, value in sent.items():
        assert row[f"request.parameters.{key}"] == value, key


def test_numbers_twilio_sends_as_numbers_stay_numbers() -> None:
    frame = read_page(BODY.read_bytes(), "json", _operation()).parse().frame
    assert str(frame["response.response_code"].dtype) == "Int64"
    assert frame["response.response_code"].tolist() == [201]
    assert frame["response.request_duration"].tolist() == [50]


def test_the_same_parameters_in_xml_give_the_same_text() -> None:
    xml = (b"<TwilioResponse><Events page='0' pagesize='50' nextpageuri=''><Event><Request>"
           b"<Method>POST</Method><Parameters><Timeout>55</Timeout><Trim>trim-silence</Trim>"
           b"</Parameters></Request><Response><ResponseCode>201</ResponseCode></Response>"
           b"</Event></Events></TwilioResponse>")
    frame = read_page(xml, "xml", _operation()).parse().frame
    assert frame["request.parameters.timeout"].tolist() == ["55"]
    assert frame["response.response_code"].tolist() == [201]
