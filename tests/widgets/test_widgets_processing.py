"""The form's Processing tab: every field changes the request the core builds, as the
adapter's field would (Basic and Advanced)."""

from __future__ import annotations

import json
from urllib.parse import parse_qsl, urlsplit

import ipywidgets as widgets
from guide import CONFERENCE_PARTICIPANT_JSON, SEND_MESSAGE_FORM, SEND_MESSAGE_JSON
from widget_helpers import (
    GUIDE_ADVANCED,
    GUIDE_SEND,
)

from twilio_nb import sandbox
from twilio_nb.widgets.form import TwilioForm

ACCOUNT = sandbox.ACCOUNT_SID
CALL = "CA" + "a" * 32


def query_of(url: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(url).query, keep_blank_values=True)


def test_labels_are_the_adapters(form: TwilioForm) -> None:
    p = form.processing
    assert p.config_type.description == "Configuration Type"
    assert list(p.config_type.options) == ["Basic", "Advanced"]
    assert [w.description for w in (p.entity, p.operation, p.next_page_uri, p.query,
                                    p.response_format, p.request_headers,
                                    p.response_headers, p.body)] == [
        "Entity", "Operation", "Next Page URI", "Query", "Response Format", "Request Headers",
        "Response Headers", "Body"]
    assert [label for label, _ in p.response_format.options] == [
        "Application/XML", "Application/JSON", "Text/CSV"]
    assert [w.description for w in (p.method, p.relative_url, p.send_body)] == [
        "HTTP Method", "Relative URL", "Send Body"]
    assert list(p.method.options) == ["DELETE", "GET", "PATCH", "POST", "PUT"]
    assert p.response_headers.value == "*"
    assert isinstance(p.operation, widgets.Combobox)
    assert (p.entity.value, p.operation.value) == (
        "Message", "Send Message (/Accounts/:AccountSid/Messages)")


def test_the_parameter_table_comes_from_the_catalog(form: TwilioForm) -> None:
    p = form.processing
    p.select("Call", "List Calls")
    rows = p.params.rows
    assert next(iter(rows)) == "AccountSid"
    assert rows["AccountSid"].control.value == ACCOUNT  # prefilled from the connection
    assert "*" in rows["AccountSid"].label.value and "*" not in rows["To"].label.value
    assert isinstance(rows["To"].control, widgets.Text)
    assert isinstance(rows["PageSize"].control, widgets.Text)
    status = rows["Status"].control
    assert isinstance(status, widgets.Dropdown)
    assert [value for _, value in status.options][:3] == [None, "queued", "ringing"]
    p.select("Recording", "Get Recording")
    assert isinstance(p.params.rows["IncludeSoftDeleted"].control, widgets.Checkbox)
    assert "Sid" in p.params.rows and p.params.rows["Sid"].param.required
    assert p.body.layout.display == "none"  # a GET takes no body: the editor is hidden


def test_every_basic_field_changes_the_request(form: TwilioForm) -> None:
    p = form.processing
    p.select("Call", "List Calls")
    base = form.build()
    assert base.method == "GET"
    assert base.url.endswith(f"/2010-04-01/Accounts/{ACCOUNT}/Calls.json")  # nothing empty sent
    rows = p.params.rows
    rows["To"].control.value = "+14155552671"
    rows["Status"].control.value = "completed"
    rows["PageSize"].control.value = "20"
    assert dict(query_of(form.build().url)) == {"To": "+14155552671", "Status": "completed",
                                                 "PageSize": "20"}
    rows["PageSize"].send.value = False  # unticked: not sent
    rows["To"].control.value = ""  # emptied: not sent
    assert dict(query_of(form.build().url)) == {"Status": "completed"}
    p.query.value = "StartTime>=2025-05-06"
    assert ("StartTime>", "2025-05-06") in query_of(form.build().url)
    p.response_format.value = "xml"
    assert urlsplit(form.build().url).path.endswith("/Calls.xml")
    p.response_format.value = "csv"
    assert urlsplit(form.build().url).path.endswith("/Calls.csv")
    p.response_format.value = "json"
    other = "AC" + "b" * 32
    rows["AccountSid"].control.value = other
    assert f"/Accounts/{other}/Calls.json" in form.build().url
    p.next_page_uri.value = f"/2010-04-01/Accounts/{ACCOUNT}/Calls.json?PageSize=2&Page=1"
    built = form.build()
    assert built.url.endswith("/Calls.json?PageSize=2&Page=1")
    assert built.next_page_uri is not None


def test_request_and_response_headers(form: TwilioForm) -> None:
    p = form.processing
    p.select("Message", "List Messages")
    p.header_values.value = "X-Custom: one\nX-Other: two"
    assert dict(form.build().headers) == {"X-Custom": "one", "X-Other": "two"}  # * = all
    p.request_headers.value = "X-Other"
    assert dict(form.build().headers) == {"X-Other": "two"}
    p.request_headers.value = ""
    assert form.build().headers == ()
    p.response_headers.value = "X-Twilio-Sandbox|Content-Type"
    result = form.execute()
    assert result is not None
    assert {k.lower() for k in result.headers} == {"x-twilio-sandbox", "content-type"}
    p.header_values.value = "no colon here"
    assert form.execute() is None
    assert "#d32f2f" in (p.header_values.layout.border or "")


def test_the_basic_body_is_the_guides_json(form: TwilioForm) -> None:
    p = form.processing
    assert json.loads(p.body.value) == {"From": "", "To": "", "Body": ""}  # what Twilio needs
    assert "MediaUrl" in p.body_fields.buttons  # a button per body parameter
    p.body.value = json.dumps(GUIDE_SEND, indent=2)
    built = form.build()
    assert built.method == "POST" and built.content_type == "application/x-www-form-urlencoded"
    assert ("MediaUrl", "https://demo.twilio.com/owl.png") in built.form
    assert ("To", "+919876543210") in built.form
    assert any("Tags" in w for w in built.warnings)  # not in the catalog: sent, with a warning
    result = form.execute()
    assert result is not None and result.status_code == 201
    assert "Tags" in form.result_area.warnings.value
    p.select("Participant", "Create Conference Participant")
    assert json.loads(p.body.value) == GUIDE_SEND  # what the user wrote stays
    p.body.value = ""
    p.select("Message", "Send Message")
    p.select("Participant", "Create Conference Participant")
    assert json.loads(p.body.value) == {"From": "", "To": ""}  # an empty body takes the template
    assert "EarlyMedia" in p.body_fields.buttons
    assert "ConferenceSid" in p.params.rows


def test_the_body_is_not_sent_with_an_operation_that_takes_none(form: TwilioForm) -> None:
    p = form.processing
    p.body.value = json.dumps(GUIDE_SEND)
    p.select("Call", "List Calls")
    built = form.build()
    assert built.body is None and "Body=" not in built.url


def test_operation_filter_and_search_over_all_entities(form: TwilioForm) -> None:
    p = form.processing
    p.entity.value = "Call"
    assert "List Calls (/Accounts/:AccountSid/Calls)" in p.operation.options
    assert p.operation.value == ""
    p.operation.value = "List Calls"  # a name without the path is resolved too
    assert p.operation_ is not None and p.operation_.label.startswith("List Calls (")
    assert "To" in p.params.rows
    p.picker.search.value = "recording get"
    hits = list(p.picker.search.options)
    assert "Recording: Get Recording (/Accounts/:AccountSid/Recordings/:Sid)" in hits
    p.picker.search.value = "Recording: Get Recording (/Accounts/:AccountSid/Recordings/:Sid)"
    assert (p.entity.value, p.operation.value) == (
        "Recording", "Get Recording (/Accounts/:AccountSid/Recordings/:Sid)")


def test_every_advanced_field_changes_the_request(form: TwilioForm) -> None:
    p = form.processing
    p.config_type.value = "Advanced"
    assert p.advanced_box.layout.display is None and p.basic_box.layout.display == "none"
    p.method.value = "GET"
    assert p.send_body.value is False  # off by default for GET
    p.relative_url.value = f"/2010-04-01/Accounts/{ACCOUNT}/Calls"
    p.query.value = "To=+9195523446XX"
    built = form.build()
    assert (built.method, built.configuration) == ("GET", "advanced")
    assert built.url.endswith("/Calls.json?To=%2B9195523446XX")
    p.advanced_body.value = "Foo=bar"
    assert form.build().body is None  # Send Body off
    p.send_body.value = True
    assert form.build().body == b"Foo=bar"
    p.query.value = ""
    p.method.value = "POST"
    assert p.send_body.value is True  # on by default for POST
    p.relative_url.value = "/2010-04-01/Accounts/:AccountSid/Messages"
    p.advanced_body.value = GUIDE_ADVANCED
    built = form.build()
    assert built.url.endswith(f"/Accounts/{ACCOUNT}/Messages.json")
    assert dict(built.form)["To"] == "+919458204599"
    result = form.execute()
    assert result is not None and result.status_code == 201
    assert result.df["to"].iloc[0] == "+919458204599"
    p.method.value = "DELETE"
    p.relative_url.value = "no-slash"
    assert form.execute() is None
    assert "#d32f2f" in (p.relative_url.layout.border or "")


def test_the_advanced_body_template_and_the_switch_from_basic(form: TwilioForm) -> None:
    p = form.processing
    p.select("Call", "List Calls")
    p.params.rows["To"].control.value = "+14155552671"
    p.config_type.value = "Advanced"  # starts from the Basic request
    assert (p.method.value, p.relative_url.value) == (
        "GET", f"/2010-04-01/Accounts/{ACCOUNT}/Calls")
    p.relative_url.value = ""
    p.method.value = "POST"
    p.relative_url.value = "/2010-04-01/Accounts/:AccountSid/Messages"
    assert p.advanced_body.value == "From=&To=&Body="  # the fields Twilio needs


def test_send_message_templates_twilio_accepts(form: TwilioForm) -> None:
    """Body template: the fields Twilio needs (filled in, Twilio takes them), the guide's
    payloads verbatim; picking one writes it into the Body."""
    p = form.processing
    p.select("Message", "Send Message")
    assert list(p.template.options) == ["Required fields", "Guide 5.1: Send Message"]
    assert p.template.value == "Required fields" and p.template.layout.display is None
    needed = json.loads(p.body.value)
    assert list(needed) == ["From", "To", "Body"]
    needed.update({"From": "+14155552671", "To": "+919876543210", "Body": "Hi"})
    p.body.value = json.dumps(needed)
    assert p.template.value is None  # edited: no template named
    result = form.execute()
    assert result is not None and result.status_code == 201
    p.template.value = "Guide 5.1: Send Message"
    assert p.body.value == SEND_MESSAGE_JSON
    p.template.value = "Required fields"
    assert json.loads(p.body.value) == {"From": "", "To": "", "Body": ""}
    p.select("Participant", "Create Conference Participant")
    assert "Guide 5.5: Create Conference Participant" in p.template.options
    p.template.value = "Guide 5.5: Create Conference Participant"
    assert p.body.value == CONFERENCE_PARTICIPANT_JSON
    p.select("Call", "List Calls")  # no body: no template
    assert p.template.layout.display == "none"


def test_the_guides_advanced_send_message_is_a_template(form: TwilioForm) -> None:
    p = form.processing
    p.config_type.value = "Advanced"
    p.method.value = "POST"
    p.relative_url.value = "/2010-04-01/Accounts/:AccountSid/Messages"
    assert p.advanced_body.value == "From=&To=&Body="
    assert p.template.layout.display is None
    p.template.value = "Guide 5.1: Send Message (Advanced)"
    assert p.advanced_body.value == SEND_MESSAGE_FORM
    result = form.execute()
    assert result is not None and result.df["to"].iloc[0] == "+919458204599"


def test_unticked_number_rows_are_empty(form: TwilioForm) -> None:
    p = form.processing
    p.select("Message", "List Messages")
    rows = p.params.rows
    for name in ("PageSize", "Page"):
        assert rows[name].control.value == "" and not rows[name].send.value
    assert rows["PageSize"].control.placeholder == "whole number ≥ 1 ≤ 1000"
    assert "PageSize" not in form.build().url
    rows["PageSize"].control.value = "7"
    assert rows["PageSize"].send.value and "PageSize=7" in form.build().url
    rows["PageSize"].control.value = "seven"
    assert form.execute() is None  # the core says what is wrong, and marks the row
    assert "#d32f2f" in (rows["PageSize"].control.layout.border or "")
    assert "whole number" in form.result_area.error.value


def test_the_next_page_placeholder_fits_the_operation(form: TwilioForm) -> None:
    p = form.processing
    p.select("Call", "List Calls")
    assert p.next_page_uri.placeholder == (
        "/2010-04-01/Accounts/AC.../Calls.json?PageSize=50&Page=1&PageToken=PA...")
    p.select("Media", "List Message Media")
    assert p.next_page_uri.placeholder.startswith(
        "/2010-04-01/Accounts/AC.../Messages/SM.../Media.json?")
    p.select("Recording", "Get Recording")
    assert p.next_page_uri.placeholder == ""
    p.select("Conversation", "List Conversations")
    assert p.next_page_uri.placeholder.startswith(
        "https://conversations.twilio.com/v1/Conversations?PageSize=50")
