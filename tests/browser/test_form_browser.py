"""The widget form in a real browser: JupyterLab in headless Chromium, on the sandbox.

Opens a notebook that shows ``tw.form()``, does the guide's List Calls with a Query, clicks
Next page, does Send Message with the guide's JSON body, adds a credential through "Add
credential…", reads the tables from the page, saves the notebook (widget state included)
and checks that the saved file holds no secret. Screenshots go to ``test-artifacts/``.

Skipped when Chromium (/usr/bin/chromium), playwright or jupyterlab are missing.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from browser_lab import CHROMIUM, CHROMIUM_ARGS, Lab, missing, notebook, start_lab
from guide import SEND_MESSAGE_JSON

from twilio_nb import sandbox

REASON = missing()
pytestmark = pytest.mark.skipif(REASON is not None, reason=f"browser test: {REASON}")

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
ADDED_SECRET = "browser-added-secret-9f8e7d6c5b4a"
GUIDE_SEND = SEND_MESSAGE_JSON
CELLS = ["import twilio_nb as tw\nconn = tw.connect(sandbox=True)\nconn",
         "form = tw.form()\nform"]


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    root = tmp_path_factory.mktemp("notebooks")
    (root / "form.ipynb").write_text(json.dumps(notebook(CELLS), indent=1), encoding="utf-8")
    server = start_lab(root, tmp_path_factory.mktemp("lab-state"))
    yield server
    server.stop()


def a_called_number() -> str:
    """A number with more than one page of calls in the kernel's sandbox: the same seed
    gives the same data here and there."""
    import twilio_nb as tw

    conn = tw.Connection(sandbox=sandbox.Sandbox())
    counts = conn.basic("Call", "List Calls", query="PageSize=1000").df["to"].value_counts()
    return str(counts.index[0])


def field(page: Any, kind: str, label: str, tag: str) -> Any:
    """The visible input of the ``.widget-KIND`` widget labelled ``label``."""
    return page.locator(f".widget-{kind}:visible:has(> label:text-is('{label}')) {tag}")


def table_text(page: Any) -> str:
    """The text of the form's result table."""
    from playwright.sync_api import expect

    table = page.locator(".jp-OutputArea-output .twilio-nb-table table").first
    expect(table).to_be_visible()
    return str(table.inner_text())


def run_all(page: Any) -> None:
    """Run → Run All Cells, again if the first click ran nothing (BROWSER-TESTING.md)."""
    page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for()
    page.wait_for_timeout(1000)
    if page.locator(".jp-Dialog").count():  # none expected; never let one block the menu
        page.keyboard.press("Escape")
    for _ in range(3):
        page.locator(".lm-MenuBar-itemLabel:text-is('Run')").click()
        page.locator(".lm-Menu-itemLabel:text-is('Run All Cells')").click()
        try:
            page.locator("label:text-is('Configuration Type')").wait_for(timeout=15_000)
            return
        except Exception:
            page.keyboard.press("Escape")
    raise AssertionError("the form did not show after Run All Cells")


def pick_operation(page: Any, entity: str, label: str) -> None:
    """Entity, then Operation (once the kernel has emptied it for the new entity)."""
    from playwright.sync_api import expect

    field(page, "dropdown", "Entity", "select").select_option(entity)
    operation = field(page, "text", "Operation", "input")
    expect(operation).to_have_value("")
    operation.fill(label)
    operation.press("Enter")
    expect(operation).to_have_value(label)


def drive(page: Any, lab: Lab, number: str) -> None:
    """What a person does in the form; asserts what they see."""
    from playwright.sync_api import expect

    page.goto(f"{lab.url}/lab/tree/form.ipynb")
    run_all(page)
    page.locator(".lm-MenuBar-itemLabel:text-is('View')").click()
    page.locator(".lm-Menu-itemLabel:text-is('File Browser')").click()  # more room
    expect(page.locator(".jp-OutputArea-output").first).to_contain_text("sandbox")

    # The guide's List Calls with a Query
    pick_operation(page, "Call", "List Calls (/Accounts/:AccountSid/Calls)")
    expect(page.locator(".jp-OutputArea-output code:text-is('To')")).to_be_visible()
    query = field(page, "text", "Query", "input")
    query.fill(f"To={number}&PageSize=5")
    query.press("Enter")
    page.locator("button:has-text('Execute')").click()
    expect(page.locator(".jp-OutputArea-output").filter(has_text="HTTP 200").first
           ).to_be_visible()
    first = table_text(page)
    assert number in first

    # Next page
    page.locator("button:has-text('Next page')").click()
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
    expect(body).to_have_value('{\n  "To": ""\n}')  # the template of the required fields
    body.fill(GUIDE_SEND)
    page.locator("button:has-text('Execute')").click()
    expect(page.locator(".jp-OutputArea-output").filter(has_text="HTTP 201").first
           ).to_be_visible()
    sent = table_text(page)
    assert "+919876543210" in sent and "Hi John" in sent
    page.screenshot(path=str(ARTIFACTS / "form-send-message.png"), full_page=True)

    # Add credential…: the secret goes to the store, nowhere else
    page.locator(".widget-tab .lm-TabBar-tab:has-text('Connection')").first.click()
    credential = field(page, "dropdown", "Credential Name", "select")
    credential.select_option(index=credential.locator("option").count() - 1)  # Add credential…
    field(page, "text", "Name", "input").fill("browser")
    field(page, "text", "User", "input").fill("SK" + "3" * 32)
    secret = field(page, "text", "Secret", "input[type='password']")
    secret.fill(ADDED_SECRET)
    secret.press("Enter")
    page.locator("button:has-text('Save credential')").click()
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
    from playwright.sync_api import sync_playwright

    started = time.monotonic()
    number = a_called_number()
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                    headless=True)
        context = browser.new_context(viewport={"width": 1280, "height": 2000})
        context.route("**/*", lambda route: route.continue_()
                      if urlsplit(route.request.url).hostname == "127.0.0.1"
                      else route.abort())
        page = context.new_page()
        page.set_default_timeout(20_000)
        try:
            drive(page, lab, number)
        except Exception:
            page.screenshot(path=str(ARTIFACTS / "form-failure.png"), full_page=True)
            raise
        finally:
            browser.close()

    text = (lab.root / "form.ipynb").read_text(encoding="utf-8")
    nb = json.loads(text)
    state = nb["metadata"]["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    assert len(state) > 50  # the form's widgets were saved
    assert "Send Message (/Accounts/:AccountSid/Messages)" in text
    for secret in (ADDED_SECRET, sandbox.AUTH_TOKEN, sandbox.API_KEY_SECRET):
        assert secret not in text
    assert (ARTIFACTS / "form.png").stat().st_size > 10_000
    assert time.monotonic() - started < 60
