"""The form's "For each row of": a dry-run preview of the first rows, Send batch, and Copy as
SAP settings with the iFlow's placeholders."""

from __future__ import annotations

import json
from pathlib import Path

from batch_rows import customers
from widget_helpers import make_form

from twilio_nb import sandbox
from twilio_nb.widgets.batch_panel import NONE, PREVIEW_ROWS
from twilio_nb.widgets.form import TwilioForm

TEMPLATE = {"From": "+14155550100", "To": "{phone}", "Body": "Hi {name}"}


def _form(tmp_path: Path, ns: dict[str, object]) -> tuple[TwilioForm, sandbox.Sandbox]:
    return make_form(tmp_path, messages=0, namespace=ns)


def test_for_each_row_previews_the_first_rows_and_sends_nothing(tmp_path: Path) -> None:
    ns: dict[str, object] = {"customers": customers(8), "n": 3}
    form, box = _form(tmp_path, ns)
    panel = form.batch_panel
    assert list(panel.rows.options) == [NONE, "customers"]
    assert panel.extra.layout.display == "none"
    panel.rows.value = "customers"
    assert panel.extra.layout.display is None
    form.processing.body.value = json.dumps(TEMPLATE)
    panel.preview_button.click()
    assert box.stats.total_requests == 0
    html = panel.output.value
    assert "dry run" in html and "Hi Customer 0" in html
    assert f"Hi Customer {PREVIEW_ROWS - 1}" in html and f"Hi Customer {PREVIEW_ROWS}" not in html
    assert "and 3 more rows" in html


def test_send_batch_sends_every_row_and_shows_the_outcomes(tmp_path: Path) -> None:
    rows = customers(4, bad={3: "+15005550001"})
    form, _box = _form(tmp_path, {"customers": rows})
    panel = form.batch_panel
    panel.rows.value = "customers"
    form.processing.body.value = json.dumps(TEMPLATE)
    panel.concurrency.value = 2
    panel.send_button.click()
    assert panel.batch is not None
    assert list(panel.batch.df["outcome"]) == ["sent", "sent", "sent", "failed"]
    assert "3 sent, 1 failed" in panel.output.value and "21211" in panel.output.value


def test_a_row_that_does_not_fill_is_said_in_the_panel(tmp_path: Path) -> None:
    form, box = _form(tmp_path, {"customers": customers(2)})
    panel = form.batch_panel
    panel.rows.value = "customers"
    form.processing.body.value = json.dumps({**TEMPLATE, "Body": "Hi {nickname}"})
    panel.preview_button.click()
    assert "nickname" in panel.output.value and box.stats.total_requests == 0


def test_copy_as_sap_settings_writes_the_iflows_placeholders(tmp_path: Path) -> None:
    form, _box = _form(tmp_path, {"customers": customers(2)})
    panel = form.batch_panel
    panel.rows.value = "customers"
    form.processing.body.value = json.dumps(TEMPLATE)
    panel.sap_button.click()
    text = panel.sap_text.value
    assert '"To": "${property.phone}"' in text and "Hi ${property.name}" in text
    assert "splitter" in text and "Configuration Type: Basic" in text
    assert panel.sap_text.layout.display is None
