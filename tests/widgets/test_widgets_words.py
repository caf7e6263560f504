"""The form explains itself: it opens on an operation, each parameter's control carries
Twilio's words as its tooltip (read at run time from ../shared/twilio-oai), deprecated
parameters are marked, the operation's summary stands under the picker, enums are
dropdowns, and a body parameter's button adds it to the Body."""

from __future__ import annotations

import json
from pathlib import Path

import ipywidgets as widgets
import oai_oracle
import pytest

import twilio_nb as tw
from twilio_nb.sandbox import Sandbox
from twilio_nb.session.credentials import CredentialStore
from twilio_nb.widgets.form import TwilioForm


def opened(tmp_path: Path, entity: str, operation: str) -> TwilioForm:
    return tw.form(tw.Connection(sandbox=Sandbox(messages=5)), entity=entity,
                   operation=operation,
                   store=CredentialStore(tmp_path / "c.json", use_keyring=False), environ={})


@oai_oracle.needs_specs()
def test_the_form_opened_on_send_message_gives_to_its_words(tmp_path: Path) -> None:
    form = opened(tmp_path, "Message", "Send Message")
    p = form.processing
    op = tw.catalog.find("Message", "Send Message")
    assert p.operation_ is op and form.tabs.selected_index == 1
    texts = oai_oracle.param_texts(op)
    assert p.body_fields.widget_for("To").tooltip == oai_oracle.as_text(texts["To"])
    summary = oai_oracle.as_text(oai_oracle.op_doc(op)["summary"])
    assert summary in p.picker.summary.value and p.picker.summary in p.basic_box.children
    max_price = p.body_fields.widget_for("MaxPrice")
    assert "deprecated" in max_price.description


@oai_oracle.needs_specs()
def test_parameter_rows_carry_tooltips_and_enums_are_dropdowns(tmp_path: Path) -> None:
    form = opened(tmp_path, "Call", "List Calls")
    rows = form.processing.params.rows
    texts = oai_oracle.param_texts(tw.catalog.find("Call", "List Calls"))
    assert rows["To"].control.tooltip == oai_oracle.as_text(texts["To"])
    assert isinstance(rows["Status"].control, widgets.Dropdown)
    assert "completed" in [v for _, v in rows["Status"].control.options]
    assert rows["Status"].control.tooltip  # an enum's dropdown explains itself too
    form.processing.select("Message", "List Messages")
    assert form.processing.picker.summary.value


def test_a_body_parameters_button_adds_it_to_the_body(tmp_path: Path) -> None:
    form = opened(tmp_path, "Message", "Send Message")
    p = form.processing
    assert json.loads(p.body.value) == {"From": "", "To": "", "Body": ""}
    p.body_fields.widget_for("StatusCallback").click()
    assert "StatusCallback" in json.loads(p.body.value)
    p.body_fields.widget_for("StatusCallback").click()  # once is enough
    assert list(json.loads(p.body.value)).count("StatusCallback") == 1


def test_opening_on_an_operation_needs_both_names(tmp_path: Path) -> None:
    with pytest.raises(tw.ConfigurationError, match="operation="):
        tw.form(tw.Connection(sandbox=Sandbox(messages=0)), entity="Message")
    with pytest.raises(tw.ConfigurationError, match="Unknown operation"):
        opened(tmp_path, "Message", "Teleport Message")
