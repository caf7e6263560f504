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
    assert "first 5 of 8 rows" in html and "the batch's <code>.requests</code>" in html


def test_send_batch_sends_every_row_and_shows_the_outcomes(tmp_path: Path) -> None:
    rows = customers(4, bad={3: "+15005550001"})
    form, box = _form(tmp_path, {"customers": rows})
    panel = form.batch_panel
    panel.rows.value = "customers"
    form.processing.body.value = json.dumps(TEMPLATE)
    panel.concurrency.value = 2
    panel.send_button.click()  # the first click says what will be sent, and sends nothing
    assert panel.batch is None and box.stats.total_requests == 0
    said = panel.output.value
    assert "Send 4 rows of customers as Message · Send Message" in said
    assert "offline sandbox" in said and panel.send_button.description == "Confirm: send"
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


def test_a_change_after_the_first_click_asks_again(tmp_path: Path) -> None:
    form, box = _form(tmp_path, {"customers": customers(3)})
    panel = form.batch_panel
    panel.rows.value = "customers"
    form.processing.body.value = json.dumps(TEMPLATE)
    panel.send_button.click()
    form.processing.body.value = json.dumps({**TEMPLATE, "Body": "Bye {name}"})
    assert panel.send_button.description == "Send batch"
    panel.send_button.click()
    assert panel.batch is None and box.stats.total_requests == 0


def test_a_batch_answer_replaces_the_forms_last_answer(tmp_path: Path) -> None:
    """One answer at a time: the batch preview takes the place of the list shown before it
    (which goes into the history); the next Execute takes the place of the preview."""
    form, _box = make_form(tmp_path, messages=30, namespace={"customers": customers(3)})
    form.processing.select("Message", "List Messages")
    form.execute()
    assert form.result_area.table.value
    panel = form.batch_panel
    panel.rows.value = "customers"
    form.processing.select("Message", "Send Message")
    form.processing.body.value = json.dumps(TEMPLATE)
    panel.preview_button.click()
    assert "Hi Customer 0" in panel.output.value
    assert not form.result_area.table.value and not form.result_area.status.value
    assert "List Messages" in form.result_area.history_view.value or \
        "Messages.json" in form.result_area.history_view.value
    form.processing.select("Message", "List Messages")
    form.execute()
    assert panel.output.value == "" and form.result_area.table.value


def test_the_list_of_dataframes_follows_the_notebook(tmp_path: Path) -> None:
    """A DataFrame defined after the form is offered once a cell has run (IPython's
    post_run_cell), without the refresh button; the button is labelled."""
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()  # the one shell of the test run (the ip fixture's too)
    shell.user_ns.pop("later_rows", None)
    form, _box = make_form(tmp_path, messages=0, namespace=None)
    panel = form.batch_panel
    assert panel.refresh_button.description == "Refresh list"
    assert "later_rows" not in panel.rows.options
    shell.run_cell("import pandas as pd\nlater_rows = pd.DataFrame({'phone': ['+14155550101']})")
    try:
        assert "later_rows" in panel.rows.options
    finally:
        shell.user_ns.pop("later_rows", None)
        form.close()
    shell.run_cell("x = 1")  # a closed form stops listening (no error)


def test_batch_tables_show_missing_values_as_empty_cells(tmp_path: Path) -> None:
    """Sent rows have no error code, the failed row no SID: empty cells, never <NA> or None;
    a Batch's own display says how many rows it does not show."""
    form, _box = _form(tmp_path, {"customers": customers(12, bad={1: "+15005550001"})})
    panel = form.batch_panel
    panel.rows.value = "customers"
    form.processing.body.value = json.dumps(TEMPLATE)
    panel.send_button.click()
    panel.send_button.click()
    html = panel.output.value
    assert "21211" in html
    for raw in ("&lt;NA&gt;", ">None<", ">nan<", ">NaT<"):
        assert raw not in html
    assert panel.batch is not None
    shown = panel.batch._repr_mimebundle_()
    assert "first 10 of 12 rows" in shown["text/plain"]
    assert "first 10 of 12 rows" in shown["text/html"] and "&lt;NA&gt;" not in shown["text/html"]
