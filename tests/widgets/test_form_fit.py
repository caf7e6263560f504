"""What a person sees, kept within the notebook and current (issue 32): status lines that
wrap, rows that wrap instead of scrolling, buttons as wide as their labels, one answer at a
time in the form (earlier ones in a history), a progress bar that ends, words that name
what the reader has, a text note where an icon may have no glyph. (The same seen in a real
browser: tests/browser/test_layout_browser.py.)"""

from __future__ import annotations

from pathlib import Path

from widget_helpers import make_form

import twilio_nb as tw
from twilio_nb import sandbox
from twilio_nb.answers.tables import WRAP, table_html
from twilio_nb.widgets import NextPageButton
from twilio_nb.widgets.form import TwilioForm


def _list(form: TwilioForm, page_size: int = 5) -> None:
    form.processing.select("Message", "List Messages")
    form.processing.query.value = f"PageSize={page_size}"
    assert form.execute() is not None


def test_every_status_line_wraps(tmp_path: Path) -> None:
    form, _ = make_form(tmp_path)
    _list(form)
    assert WRAP in form.result_area.status.value
    r = tw.Connection(sandbox=sandbox.Sandbox(messages=30)).basic(
        "Message", "List Messages", query={"PageSize": 5})
    assert "overflow-wrap:anywhere" in r._repr_html_()  # static HTML (nbviewer, no widgets)
    shown = NextPageButton(r)
    assert "overflow-wrap:anywhere" in shown.view.value and "twilio-nb-fit" in shown._dom_classes


def test_the_status_line_names_no_variable(tmp_path: Path) -> None:
    """The Result may be held in ``calls`` (or nothing): neutral words, not ``r.``."""
    r = tw.Connection(sandbox=sandbox.Sandbox(messages=30)).basic(
        "Message", "List Messages", query={"PageSize": 5})
    line = r.status_line()
    assert "r.next_page()" not in line and ".next_page()" in line
    assert "the whole DataFrame is the answer's <code>.df</code>" in table_html(r.df, 2)
    form, _ = make_form(tmp_path)
    _list(form, page_size=30)  # more than the 20 rows shown
    assert "the form's <code>.df</code>" in form.result_area.table.value


def test_parameter_rows_and_button_rows_wrap(tmp_path: Path) -> None:
    form, _ = make_form(tmp_path)
    form.processing.select("Message", "List Messages")
    lines = form.processing.params.rows_box.children[1:]
    assert lines and all(line.layout.flex_flow == "row wrap" for line in lines)
    hint = form.processing.params.rows["To"].hint.value
    assert "nowrap" not in hint and "title=" in hint  # wraps, and its full text on hover
    assert form.result_area.controls.layout.flex_flow == "row wrap"
    panel = form.batch_panel
    for button in (panel.preview_button, panel.send_button, panel.sap_button,
                   panel.refresh_button):
        assert button.layout.width == "auto"  # never ipywidgets' 148 px that cut the label
    assert ".jupyter-button" in form.header.value  # and every other button of the form


def test_one_answer_at_a_time_with_a_history(tmp_path: Path) -> None:
    form, _ = make_form(tmp_path)
    _list(form)
    area = form.result_area
    assert area.table.value and area.history == []
    form.processing.select("Message", "Send Message")
    form.processing.body.value = '{"From": "+14155550100", "To": "+15005550001", "Body": "x"}'
    assert form.execute() is None
    assert "21211" in area.error.value and area.table.value == ""
    assert len(area.history) == 1 and "Messages.json" in area.history[0]
    _list(form)
    assert area.error.value == "" and len(area.history) == 2
    assert area.history[0].startswith("error: HTTP 400")  # newest first
    assert "Earlier answers (2)" in area.history_view.value


def test_the_progress_bar_ends_with_the_walk(tmp_path: Path) -> None:
    form, _ = make_form(tmp_path)
    _list(form)
    area = form.result_area
    area.load_all_button.click()
    assert area.wait(10)
    assert area.progress.description == "Loaded" and area.progress.bar_style == "success"


def test_the_notice_and_status_say_in_words(tmp_path: Path) -> None:
    """No glyph a notebook's fonts may lack (ⓘ showed as an empty box with DejaVu only)."""
    form, _ = make_form(tmp_path)
    form.notice = "started on the sandbox"
    form._header(form.connection)
    assert "ⓘ" not in form.header.value and "Note:" in form.header.value
    _list(form)
    assert "OK" in form.result_area.status.value
