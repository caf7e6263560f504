"""What a person sees in JupyterLab 4 (headless Chromium, 1400 × 1000, the file browser
open): nothing cut, nothing stale (issue 32).

One JupyterLab start for all of it: a notebook that loads the extension, shows a Result with
its paging buttons, shows the form, and then defines a DataFrame. Checks that

* the Result's status line is no wider than the notebook's visible width;
* no row of the Processing tab (List Messages: its ``To`` and ``From`` rows) scrolls
  sideways;
* "For each row of" offers the DataFrame defined after the form once the list is opened;
* with that DataFrame chosen, no button of the form has a cut label;
* after List Messages and then a failing Send Message, the earlier table no longer shows;
* at a 1,000 px window, no row scrolls sideways and no button is cut.

Skipped when Chromium (/usr/bin/chromium), playwright or jupyterlab are missing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from browser_lab import (
    ARTIFACTS,
    LAB_READY,
    Lab,
    chromium,
    missing,
    notebook,
    run_all,
    start_lab,
)
from test_form_browser import field, param_input, pick_operation

REASON = missing()
pytestmark = pytest.mark.skipif(REASON is not None, reason=f"browser test: {REASON}")

CELLS = ["%load_ext twilio_nb\nimport pandas as pd\nimport twilio_nb as tw\n"
         "conn = tw.connect(sandbox=True)",
         "r = conn.basic('Message', 'List Messages')\nr",
         "form = tw.form(conn)\nform",
         "later = pd.DataFrame({'phone': ['+14155550101', '+14155550102'],\n"
         "                      'name': ['Ada', 'Grace']})"]
FAILING_SEND = json.dumps({"From": "+14155550100", "To": "+15005550001", "Body": "Hi"})

# Every visible box of the form whose content is wider than the box (it scrolls or cuts).
SIDEWAYS = """form => [...form.querySelectorAll('.widget-hbox, .widget-vbox, .widget-html-content')]
  .filter(e => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1
               && !e.closest('.twilio-nb-table'))
  .map(e => [e.className, e.scrollWidth, e.clientWidth, e.innerText.slice(0, 60)])"""
CUT_BUTTONS = """form => [...form.querySelectorAll('button')]
  .filter(b => b.offsetParent !== null && b.scrollWidth > b.clientWidth + 1)
  .map(b => [b.innerText, b.scrollWidth, b.clientWidth])"""


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    root = tmp_path_factory.mktemp("notebooks")
    (root / "layout.ipynb").write_text(json.dumps(notebook(CELLS), indent=1), encoding="utf-8")
    server = start_lab(root, tmp_path_factory.mktemp("lab-state"))
    yield server
    server.stop()


def status_line_fits(page: Any) -> None:
    from playwright.sync_api import expect

    status = page.locator(".jp-CodeCell").nth(1).locator(  # the innermost div of that text
        "xpath=.//div[contains(., 'not Twilio)') and not(.//div[contains(., 'not Twilio)')])]"
    ).first
    expect(status).to_contain_text("SANDBOX (offline, not Twilio)")
    area = page.locator(".jp-NotebookPanel-notebook:visible").first
    visible = area.evaluate("n => { const r = n.getBoundingClientRect();"
                            " return [r.left, r.left + n.clientWidth]; }")
    box = status.bounding_box()
    assert box["x"] >= visible[0] - 1 and box["x"] + box["width"] <= visible[1] + 1, \
        (box, visible)
    assert status.evaluate("s => s.scrollWidth <= s.clientWidth + 1")


def processing_rows_fit(page: Any) -> None:
    from playwright.sync_api import expect

    pick_operation(page, "Message", "List Messages (/Accounts/:AccountSid/Messages)")
    expect(param_input(page, "To")).to_be_visible()
    form = page.locator(".twilio-nb-form").first
    assert form.evaluate(SIDEWAYS) == []


def list_is_current_and_buttons_whole(page: Any) -> None:
    from playwright.sync_api import expect

    rows = field(page, "dropdown", "For each row of", "select")
    rows.click()  # opened: the DataFrame defined after the form is there
    expect(rows.locator("option:text-is('later')")).to_have_count(1)
    page.keyboard.press("Escape")
    rows.select_option("later")
    expect(page.locator(".twilio-nb-form button:has-text('Copy as SAP settings')")
           ).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "layout-batch-panel.png"), full_page=True)
    assert page.locator(".twilio-nb-form").first.evaluate(CUT_BUTTONS) == []


def one_answer_at_a_time(page: Any) -> None:
    from playwright.sync_api import expect

    form = page.locator(".twilio-nb-form").first
    pick_operation(page, "Message", "List Messages (/Accounts/:AccountSid/Messages)")
    form.locator("button:has-text('Execute')").click()
    table = form.locator(".twilio-nb-table")
    expect(table.first.locator("tbody tr").first).to_be_visible()
    pick_operation(page, "Message", "Send Message (/Accounts/:AccountSid/Messages)")
    body = field(page, "textarea", "Body", "textarea")
    body.fill(FAILING_SEND)
    body.blur()
    form.locator("button:has-text('Execute')").click()
    expect(form.locator(".twilio-nb-error").first).to_contain_text("21211")
    expect(table).to_have_count(0)  # the List Messages table is gone (into the history)
    expect(form.locator("summary:has-text('Earlier answers')")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "layout-error.png"), full_page=True)


def narrower_still_fits(page: Any) -> None:
    """At a 1,000 px window (the file browser open: a notebook about 700 px wide) the
    Processing rows and the buttons still fit."""
    from playwright.sync_api import expect

    page.set_viewport_size({"width": 1000, "height": 1000})
    pick_operation(page, "Message", "List Messages (/Accounts/:AccountSid/Messages)")
    expect(param_input(page, "To")).to_be_visible()
    page.locator(LAB_READY).first.wait_for(state="attached")  # (hidden in a narrow toolbar)
    param_input(page, "To").scroll_into_view_if_needed()
    form = page.locator(".twilio-nb-form").first
    page.screenshot(path=str(ARTIFACTS / "layout-1000px.png"), full_page=True)
    found = form.evaluate(SIDEWAYS)
    assert found == [], json.dumps(found, indent=1)
    assert form.evaluate(CUT_BUTTONS) == []


def test_nothing_cut_nothing_stale_in_jupyterlab(lab: Lab) -> None:
    with chromium(width=1400, height=1000) as page:
        try:
            page.goto(f"{lab.url}/lab/tree/layout.ipynb")
            run_all(page)
            status_line_fits(page)
            processing_rows_fit(page)
            list_is_current_and_buttons_whole(page)
            one_answer_at_a_time(page)
            narrower_still_fits(page)
        except Exception:
            page.screenshot(path=str(ARTIFACTS / "layout-failure.png"), full_page=True)
            raise
