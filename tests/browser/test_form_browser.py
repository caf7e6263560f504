"""The widget form in a real browser: JupyterLab 4 in headless Chromium, on the sandbox.

Opens a notebook that shows a ``%twilio`` magic's table and ``tw.form()``; does List Messages
(the form as wide as the notebook, its table scrolling sideways; the README's screenshot is
taken here), the guide's List Calls with a Query, Next page, Send Message with the guide's
template, Get Recording (the player comes with the result and lasts the recording), adds a
credential through "Add credential…", saves the notebook (widget state included) and checks
that the saved file holds no secret. Screenshots go to ``test-artifacts/``.

Skipped when Chromium (/usr/bin/chromium), playwright or jupyterlab are missing.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from browser_lab import ARTIFACTS, Lab, chromium, missing, notebook, run_all, start_lab
from guide import SEND_MESSAGE_JSON

from twilio_nb import sandbox

REASON = missing()
pytestmark = pytest.mark.skipif(REASON is not None, reason=f"browser test: {REASON}")

ADDED_SECRET = "browser-added-secret-9f8e7d6c5b4a"
GUIDE_SEND = SEND_MESSAGE_JSON
CELLS = ["import twilio_nb as tw\nconn = tw.connect(sandbox=True)\nconn",
         "%load_ext twilio_nb\n%twilio Message.list --page-size 5",
         "form = tw.form()\nform"]
README_SHOT = ARTIFACTS / "form-readme.png"  # copied to docs/images/form.png


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    root = tmp_path_factory.mktemp("notebooks")
    (root / "form.ipynb").write_text(json.dumps(notebook(CELLS), indent=1), encoding="utf-8")
    server = start_lab(root, tmp_path_factory.mktemp("lab-state"))
    yield server
    server.stop()


def kernel_data() -> tuple[str, str, int]:
    """From a sandbox like the kernel's (the same seed gives the same data here and there):
    a number with more than one page of calls, the longest recording and its duration."""
    import twilio_nb as tw

    conn = tw.Connection(sandbox=sandbox.Sandbox())
    counts = conn.basic("Call", "List Calls", query="PageSize=1000").df["to"].value_counts()
    recs = conn.basic("Recording", "List Recordings", query="PageSize=1000").df
    longest = recs.loc[recs["duration"].astype(int).idxmax()]
    return str(counts.index[0]), str(longest["sid"]), int(longest["duration"])


def field(page: Any, kind: str, label: str, tag: str) -> Any:
    """The visible input of the ``.widget-KIND`` widget labelled ``label``."""
    return page.locator(f".widget-{kind}:visible:has(> label:text-is('{label}')) {tag}")


def table_text(page: Any) -> str:
    """The text of the form's result table."""
    from playwright.sync_api import expect

    table = page.locator(".twilio-nb-form .twilio-nb-table table").first
    expect(table).to_be_visible()
    return str(table.inner_text())


def pick_operation(page: Any, entity: str, label: str) -> None:
    """Entity, then Operation (once the kernel has emptied it for the new entity)."""
    from playwright.sync_api import expect

    select = field(page, "dropdown", "Entity", "select")
    operation = field(page, "text", "Operation", "input")
    if select.input_value() != entity:
        select.select_option(entity)
        expect(operation).to_have_value("")
    operation.fill(label)
    operation.press("Enter")
    expect(operation).to_have_value(label)


def param_input(page: Any, name: str) -> Any:
    """The value input of the Operation Parameters row ``name``."""
    return page.locator(f".widget-hbox:has(> .widget-html code:text-is('{name}')) "
                        ".widget-text input")


def list_messages(page: Any) -> None:
    """List Messages in the form; the form and its table span the output area (the table
    scrolls sideways); the README's screenshot."""
    from playwright.sync_api import expect

    pick_operation(page, "Message", "List Messages (/Accounts/:AccountSid/Messages)")
    for name, value in (("From", "+14155550100"), ("PageSize", "8")):  # (Latin bodies: the
        param_input(page, name).fill(value)  # browser here has no Devanagari font)
        param_input(page, name).press("Enter")
    page.locator(".twilio-nb-form button:has-text('Execute')").click()
    expect(page.locator(".twilio-nb-form").filter(has_text="HTTP 200")).to_be_visible()
    table = page.locator(".twilio-nb-form .twilio-nb-table").first
    expect(table.locator("tbody tr")).to_have_count(8)
    form_width = page.locator(".twilio-nb-form").bounding_box()["width"]
    output_width = page.locator(".jp-OutputArea-output:has(.twilio-nb-form)"
                                ).bounding_box()["width"]
    assert form_width > 1000 and form_width > 0.95 * output_width  # no 1,000 px cap
    scroll, client = table.evaluate("t => [t.scrollWidth, t.clientWidth]")
    assert scroll > client  # the wide table scrolls inside the form
    page.locator(".twilio-nb-form").scroll_into_view_if_needed()
    box = page.locator(".twilio-nb-form").bounding_box()
    page.screenshot(path=str(README_SHOT), clip={
        "x": box["x"], "y": box["y"], "width": box["width"], "height": box["height"]})


def get_recording(page: Any, sid: str, seconds: int) -> None:
    """Get Recording: the player comes with the result, as long as the recording."""
    pick_operation(page, "Recording", "Get Recording (/Accounts/:AccountSid/Recordings/:Sid)")
    param_input(page, "Sid").fill(sid)
    param_input(page, "Sid").press("Enter")
    page.locator(".twilio-nb-form button:has-text('Execute')").click()
    page.wait_for_function(
        "() => { const a = document.querySelector('.twilio-nb-form audio');"
        " return a && a.duration > 0; }")
    played = page.locator(".twilio-nb-form audio").evaluate("a => a.duration")
    assert abs(played - seconds) < 1, (played, seconds)
    page.screenshot(path=str(ARTIFACTS / "form-get-recording.png"), full_page=True)


def drive(page: Any, lab: Lab, number: str, recording: tuple[str, int]) -> None:
    """What a person does in the form; asserts what they see."""
    from playwright.sync_api import expect

    page.goto(f"{lab.url}/lab/tree/form.ipynb")
    run_all(page)
    page.locator(".lm-MenuBar-itemLabel:text-is('View')").click()
    page.locator(".lm-Menu-itemLabel:text-is('File Browser')").click()  # more room
    expect(page.locator(".jp-OutputArea-output").first).to_contain_text("sandbox")
    magic = page.locator(".jp-CodeCell").nth(1).locator(".jp-OutputArea-output table")
    expect(magic.first.locator("tbody tr")).to_have_count(5)  # the magic's table

    list_messages(page)
    page.screenshot(path=str(ARTIFACTS / "jupyterlab.png"), full_page=True)

    # The guide's List Calls with a Query
    pick_operation(page, "Call", "List Calls (/Accounts/:AccountSid/Calls)")
    expect(page.locator(".jp-OutputArea-output code:text-is('To')")).to_be_visible()
    query = field(page, "text", "Query", "input")
    query.fill(f"To={number}&PageSize=5")
    query.press("Enter")
    page.locator(".twilio-nb-form button:has-text('Execute')").click()
    expect(page.locator(".jp-OutputArea-output").filter(has_text="HTTP 200").first
           ).to_be_visible()
    first = table_text(page)
    assert number in first

    # Next page
    page.locator(".twilio-nb-form button:has-text('Next page')").click()
    expect(page.locator(".jp-OutputArea-output").filter(has_text="Page=1").first
           ).to_be_visible()
    second = table_text(page)
    for _ in range(50):  # the status line comes last, but be patient with the browser
        if second != first:
            break
        page.wait_for_timeout(100)
        second = table_text(page)
    assert number in second and second != first
    page.screenshot(path=str(ARTIFACTS / "form.png"), full_page=True)

    # The guide's Send Message with its JSON body
    pick_operation(page, "Message", "Send Message (/Accounts/:AccountSid/Messages)")
    query.fill("")
    query.press("Enter")
    body = field(page, "textarea", "Body", "textarea")
    expect(body).to_have_value('{\n  "From": "",\n  "To": "",\n  "Body": ""\n}')  # needed
    field(page, "dropdown", "Body template", "select").select_option("Guide 5.1: Send Message")
    expect(body).to_have_value(GUIDE_SEND)
    page.locator(".twilio-nb-form button:has-text('Execute')").click()
    expect(page.locator(".jp-OutputArea-output").filter(has_text="HTTP 201").first
           ).to_be_visible()
    sent = table_text(page)
    assert "+919876543210" in sent and "Hi John" in sent
    page.screenshot(path=str(ARTIFACTS / "form-send-message.png"), full_page=True)

    get_recording(page, *recording)

    # Add credential…: the secret goes to the store, nowhere else
    page.locator(".widget-tab .lm-TabBar-tab:has-text('Connection')").first.click()
    credential = field(page, "dropdown", "Credential Name", "select")
    credential.select_option(index=credential.locator("option").count() - 1)  # Add credential…
    field(page, "text", "Name", "input").fill("browser")
    field(page, "text", "User", "input").fill("SK" + "3" * 32)
    secret = field(page, "text", "Secret", "input[type='password']")
    secret.fill(ADDED_SECRET)
    secret.press("Enter")
    page.locator(".twilio-nb-form button:has-text('Save credential')").click()
    expect(credential.locator("option:checked")).to_have_text("browser")
    expect(page.locator("input[type='password']")).to_have_value("")
    credential.select_option(index=0)  # back to Sandbox (offline)
    expect(page.locator(".jp-OutputArea-output").filter(has_text="offline: nothing is sent"
                                                        ).first).to_be_visible()

    # Save, widget state included
    saved = lab.root / "form.ipynb"
    page.locator(".lm-MenuBar-itemLabel:text-is('File')").click()
    page.locator(".lm-Menu-itemLabel:text-is('Save Notebook')").click()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if "widget-state" in saved.read_text(encoding="utf-8"):
            return
        page.wait_for_timeout(200)  # (not time.sleep: routed requests wait for playwright)
    meta = json.loads(saved.read_text(encoding="utf-8")).get("metadata")
    raise AssertionError(f"the notebook was not saved with its widget state: {meta}")


def test_the_form_in_jupyterlab(lab: Lab) -> None:
    number, recording, seconds = kernel_data()
    with chromium() as page:
        try:
            drive(page, lab, number, (recording, seconds))
        except Exception:
            page.screenshot(path=str(ARTIFACTS / "form-failure.png"), full_page=True)
            raise

    text = (lab.root / "form.ipynb").read_text(encoding="utf-8")
    nb = json.loads(text)
    state = nb["metadata"]["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    assert len(state) > 50  # the form's widgets were saved
    assert "Get Recording (/Accounts/:AccountSid/Recordings/:Sid)" in text  # the last one
    for secret in (ADDED_SECRET, sandbox.AUTH_TOKEN, sandbox.API_KEY_SECRET):
        assert secret not in text
    assert (ARTIFACTS / "form.png").stat().st_size > 10_000
    assert 10_000 < README_SHOT.stat().st_size < 200_000
