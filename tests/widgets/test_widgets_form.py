"""The form end to end on the sandbox: Execute, the error card, Copy as, Show code, and
``tw.form()`` / ``%twilio form``."""

from __future__ import annotations

import json
import re
from pathlib import Path

import ipywidgets as widgets
import pandas as pd
import pytest
from IPython.core.interactiveshell import InteractiveShell
from widget_helpers import (
    GUIDE_SEND,
    all_html,
    make_form,
    widget_state_text,
)

import twilio_nb as tw
from twilio_nb import sandbox
from twilio_nb.copy_as.styles import STYLES, copy_as
from twilio_nb.magics.parse import parse_line
from twilio_nb.session.default import set_default_connection
from twilio_nb.widgets.form import TwilioForm


def a_number_called(messages: int = 60) -> str:
    """A To number of the sandbox's seeded calls (the same seed gives the same data)."""
    conn = tw.Connection(sandbox=sandbox.Sandbox(messages=messages))
    return str(conn.basic("Call", "List Calls").df["to"].iloc[0])


def test_list_calls_with_a_query_shows_the_table(form: TwilioForm) -> None:
    number = a_number_called()
    p = form.processing
    p.select("Call", "List Calls")
    p.query.value = f"To={number}"
    form.execute_button.click()
    frame = form.df
    assert isinstance(frame, pd.DataFrame) and len(frame) > 0
    assert set(frame["to"]) == {number}
    area = form.result_area
    assert "HTTP 200" in area.status.value and "SANDBOX" in area.status.value
    assert "<table" in area.table.value and number in area.table.value
    assert area.error.value == ""


def test_send_message_with_the_guides_body(form: TwilioForm) -> None:
    form.processing.body.value = json.dumps(GUIDE_SEND, indent=2)
    form.execute_button.click()
    frame = form.df
    assert frame is not None and len(frame) == 1
    row = frame.iloc[0]
    assert (row["to"], row["from"], row["num_media"]) == ("+919876543210", "+14155552671", 1)
    assert "HTTP 201" in form.result_area.status.value


def test_a_validation_error_marks_the_field_and_sends_nothing(tmp_path: Path) -> None:
    form, box = make_form(tmp_path)
    p = form.processing
    p.select("Recording", "Get Recording")
    p.params.rows["Sid"].control.value = "XX123"
    before = box.stats.total_requests
    form.execute_button.click()
    assert box.stats.total_requests == before
    card = form.result_area.error.value
    assert "Check Sid" in card and "nothing was sent" in card and "RE followed by 32" in card
    assert "#d32f2f" in (p.params.rows["Sid"].control.layout.border or "")
    assert form.tabs.selected_index == 1
    p.params.rows["Sid"].control.value = "RE" + "0" * 32
    form.execute_button.click()  # the mark goes with the next Execute
    assert p.params.rows["Sid"].control.layout.border is None


def test_bad_json_marks_the_body(form: TwilioForm) -> None:
    form.processing.body.value = '{"To": "+14155552671",}'
    assert form.execute() is None
    assert "#d32f2f" in (form.processing.body.layout.border or "")
    assert "line 1, column" in form.result_area.error.value


def test_an_api_error_shows_the_card(form: TwilioForm) -> None:
    p = form.processing
    p.select("Recording", "List Recordings")
    assert form.execute() is not None and form.df is not None
    p.select("Recording", "Get Recording")
    p.params.rows["Sid"].control.value = "RE" + "0" * 32
    form.execute_button.click()
    card = form.result_area.error.value
    assert "HTTP 404 · Twilio error 20404" in card
    assert "href='https://www.twilio.com/docs/errors/20404'" in card
    assert "was not found" in card
    assert form.df is None and form.result is None  # the earlier answer is gone
    assert "Traceback" not in all_html(form)


def test_a_transport_error_shows_the_card(tmp_path: Path) -> None:
    form, box = make_form(tmp_path, max_retries=0)
    box.faults.add("reset", path="/Calls", count=10)
    form.processing.select("Call", "List Calls")
    assert form.execute() is None
    card = form.result_area.error.value
    assert "TransportError" in card and "Traceback" not in card


@pytest.mark.parametrize("style", STYLES)
def test_copy_as_every_style(form: TwilioForm, style: str) -> None:
    p = form.processing
    p.select("Call", "List Calls")
    p.query.value = "To=+14155552671"
    form.copy_panel.choice.value = style
    text = form.copy_panel.text.value
    assert text == copy_as(form.build(), style, auth="api_key")
    assert form.copy_panel.text.layout.display is None
    assert sandbox.API_KEY_SECRET not in text and sandbox.AUTH_TOKEN not in text
    p.query.value = "To=+447700900104"  # the text follows the form
    assert "447700900104" in form.copy_panel.text.value


def test_copy_as_names_the_sap_fields(form: TwilioForm) -> None:
    form.processing.select("Call", "List Calls")
    form.processing.query.value = "To=+9195523446XX"
    form.processing.response_format.value = "xml"
    form.copy_panel.choice.value = "sap"
    text = form.copy_panel.text.value
    for line in ("Configuration Type: Basic", "Entity: Call",
                 "Operation: List Calls (/Accounts/:AccountSid/Calls)",
                 "Query: To=%2B9195523446XX", "Response Format: Application/XML"):
        assert line in text


def test_show_code_gives_the_magic_line_and_the_python_call(form: TwilioForm) -> None:
    p = form.processing
    p.select("Call", "List Calls")
    p.query.value = "To=+14155552671"
    form.show_code_button.value = True
    magic = form.code_view.magic.value.splitlines()
    assert magic[0] == "%twilio connect --sandbox"
    inv = parse_line(magic[1].removeprefix("%twilio "))
    assert (inv.kind, inv.entity, inv.operation) == (
        "basic", "Call", "List Calls (/Accounts/:AccountSid/Calls)")
    assert inv.options.query == "To=%2B14155552671"
    code = form.code_view.python.value
    assert "conn = tw.connect(sandbox=True)" in code and "r = conn.basic(" in code
    namespace: dict[str, object] = {}
    try:
        exec(code, namespace)  # the code does what the form does
    finally:
        set_default_connection(None)
    result = namespace["r"]
    assert isinstance(result, tw.Result)
    assert result.request.url == form.build().url.replace(
        form.connection.address, namespace["conn"].address)  # type: ignore[attr-defined]
    form.show_code_button.value = False
    assert form.code_view.layout.display == "none"


def test_show_code_says_when_the_request_cannot_be_built(form: TwilioForm) -> None:
    form.processing.body.value = "{not json"
    form.show_code_button.value = True
    assert form.code_view.magic.value.startswith("# The request cannot be built yet:")


def test_no_secret_in_any_widget_state_after_a_session(form: TwilioForm) -> None:
    form.processing.select("Message", "List Messages")
    form.execute()
    form.copy_panel.choice.value = "curl"
    form.show_code_button.value = True
    form.connection_tab.auth_type.value = "auth_token"
    form.execute()
    state = widget_state_text()
    for secret in (sandbox.API_KEY_SECRET, sandbox.AUTH_TOKEN):
        assert secret not in state


def test_tw_form_imports_ipywidgets_only_when_called() -> None:
    import subprocess
    import sys

    code = ("import sys, twilio_nb as tw; assert 'ipywidgets' not in sys.modules; "
            "f = tw.form(tw.Connection(sandbox=True)); assert 'ipywidgets' in sys.modules; "
            "print(type(f).__name__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "TwilioForm"


def test_the_twilio_form_magic(ip: InteractiveShell) -> None:
    form = ip.run_line_magic("twilio", "form")
    assert isinstance(form, TwilioForm)
    assert form.connection is tw.default_connection()
    # "Form" with more words is still the Verify entity Form, not the form
    inv = parse_line('Form "Get Form" FormType=form-push')
    assert (inv.kind, inv.entity) == ("basic", "Form")


def test_the_form_takes_the_notebooks_width(form: TwilioForm) -> None:
    """No 1,000 px cap: the form is as wide as the output area (the browser test measures
    it), and its table scrolls sideways when it is wider."""
    assert form.layout.max_width is None and form.layout.width == "100%"
    form.processing.select("Message", "List Messages")
    form.execute()
    assert "overflow-x:auto" in form.result_area.table.value


def test_the_readme_screenshot_is_the_form_and_small() -> None:
    """docs/images/form.png: the browser test's form-readme.png (a PNG under 200 KB)."""
    shot = Path(__file__).resolve().parents[2] / "docs" / "images" / "form.png"
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and 10_000 < len(data) < 200_000


def test_the_form_is_standard_ipywidgets_only(form: TwilioForm) -> None:
    """Nothing JupyterLab-only: every model is a standard ipywidgets 8 one (what VS Code,
    Colab, Notebook 7 and Voila render), and a JupyterLab CSS variable always has a
    fallback."""
    form.processing.select("Recording", "Get Recording")
    sid = str(form.connection.basic("Recording", "List Recordings").df["sid"].iloc[0])
    form.processing.params.rows["Sid"].control.value = sid
    form.execute()  # with its audio player
    state = widgets.Widget.get_manager_state(drop_defaults=False)["state"]
    modules = {entry["model_module"] for entry in state.values()}
    assert modules <= {"@jupyter-widgets/controls", "@jupyter-widgets/base",
                       "@jupyter-widgets/output"}, modules
    text = json.dumps(state)
    assert "Audio" in text
    assert re.findall(r"var\(--jp-[\w-]+\)", text) == []  # var(--jp-x) alone: no fallback
