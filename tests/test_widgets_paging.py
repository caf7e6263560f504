"""The result area: Next page, Load all (progress, Cancel); the "Next page" / "Load all"
buttons of a Result shown in IPython. (The media previews: test_widgets_media.py.)"""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd
import pytest
from widget_helpers import (
    close_widgets,  # noqa: F401 - closes each test's widgets
    make_form,
)

import twilio_nb as tw
from twilio_nb import sandbox
from twilio_nb.widgets import NextPageButton
from twilio_nb.widgets.form import TwilioForm


def list_messages(form: TwilioForm, page_size: int = 5) -> None:
    form.processing.select("Message", "List Messages")
    form.processing.query.value = f"PageSize={page_size}"
    assert form.execute() is not None


def wait_for(condition: object, timeout: float = 5.0) -> None:
    end = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if time.monotonic() > end:
            raise AssertionError("timed out")
        time.sleep(0.005)


def test_next_page_follows_the_cursor(tmp_path: Path) -> None:
    form, _ = make_form(tmp_path)
    list_messages(form)
    area = form.result_area
    first = form.df
    assert first is not None and len(first) == 5
    assert area.next_button.disabled is False and area.controls.layout.display is None
    area.next_button.click()
    second = form.df
    assert second is not None and len(second) == 5
    assert set(second["sid"]).isdisjoint(set(first["sid"]))
    assert form.result is not None and "Page=1" in form.result.request.url
    assert "page 1" in area.status.value


def test_next_page_stops_at_the_last_page(tmp_path: Path) -> None:
    form, _ = make_form(tmp_path, messages=8)
    list_messages(form)
    area = form.result_area
    area.next_button.click()
    assert len(form.df) == 3  # type: ignore[arg-type]
    assert area.next_button.disabled is True


def test_load_all_fetches_every_page(tmp_path: Path) -> None:
    form, _ = make_form(tmp_path)
    list_messages(form)
    area = form.result_area
    area.load_all_button.click()
    assert area.wait(10)
    frame = form.df
    assert frame is not None and len(frame) == 60 and frame["sid"].is_unique
    assert area.progress.value == 60 and area.progress.bar_style == "success"
    assert "All 60 records, 12 pages" in area.progress_label.value
    assert area.cancel_button.layout.display == "none"
    assert "first 20 of 60 rows" in area.table.value
    assert form.result is not None  # the frame r.all() gives: the same typing, once
    pd.testing.assert_frame_equal(frame, form.result.all(progress=False))


def test_cancel_stops_load_all_and_keeps_the_records(tmp_path: Path) -> None:
    form, box = make_form(tmp_path)
    list_messages(form)
    box.faults.add("delay", path="/Messages.json", delay=0.05)  # 50 ms a page
    area = form.result_area
    area.load_all_button.click()
    assert area.cancel_button.layout.display is None
    assert area.load_all_button.disabled and area.next_button.disabled
    walk = area.walk
    assert walk is not None
    wait_for(lambda: walk.pages >= 2)
    area.cancel_button.click()
    assert area.wait(5)
    assert walk.outcome == "cancelled"
    assert 2 <= walk.pages < 12
    frame = form.df
    assert frame is not None and len(frame) == walk.records == 5 * walk.pages
    assert frame["sid"].is_unique
    assert area.progress.bar_style == "warning"
    assert f"kept the {len(frame)} records" in area.progress_label.value
    assert area.load_all_button.disabled is False  # may be started again


def test_a_failure_during_load_all_keeps_the_records(tmp_path: Path) -> None:
    form, box = make_form(tmp_path)
    form.connection.retry_policy = type(form.connection.retry_policy)(0, 0.0, 0.0)
    list_messages(form)
    box.faults.add("status", path="/Messages.json", status=500, after=2)
    area = form.result_area
    area.load_all_button.click()
    assert area.wait(5)
    assert area.walk is not None and area.walk.outcome == "failed"
    assert len(form.df) == 15  # type: ignore[arg-type]
    assert "HTTP 500" in area.error.value
    assert area.progress.bar_style == "danger"


def test_the_buttons_under_a_result(tmp_path: Path) -> None:
    box = sandbox.Sandbox(messages=30)
    box.faults.add("delay", path="/Messages.json", delay=0.03)
    conn = tw.Connection(sandbox=box)
    result = conn.basic("Message", "List Messages", query="PageSize=5")
    buttons = NextPageButton(result)
    buttons.button.click()
    assert buttons.result.request.url.endswith("Page=1&PageToken=PA" + buttons.result.request
                                               .url.rsplit("PA", 1)[1])
    buttons.load_all.click()
    assert buttons.walk is not None and buttons.walk.join(5)
    assert buttons.frame is not None and len(buttons.frame) == 30
    buttons.load_all.click()
    walk = buttons.walk
    wait_for(lambda: walk.pages >= 1)
    buttons.cancel.click()
    assert walk.join(5) and walk.outcome == "cancelled"
    assert "Cancelled: kept" in buttons.status.value


@pytest.mark.parametrize("rows", [3])
def test_display_rows_limit_the_table(tmp_path: Path, rows: int) -> None:
    form, _ = make_form(tmp_path)
    form.connection.display_rows = rows
    list_messages(form)
    assert form.result_area.table.value.count("<tr") == rows + 1  # the header row too


def test_a_new_execute_stops_a_running_load_all(tmp_path: Path) -> None:
    form, box = make_form(tmp_path)
    list_messages(form)
    box.faults.add("delay", path="/Messages.json", delay=0.05)
    area = form.result_area
    area.load_all_button.click()
    walk = area.walk
    assert walk is not None
    wait_for(lambda: walk.pages >= 1)
    form.processing.select("Call", "List Calls")
    form.processing.query.value = "PageSize=3"
    assert form.execute() is not None
    assert walk.join(5) and walk.outcome == "cancelled"
    frame = form.df
    assert frame is not None and len(frame) == 3 and frame["sid"].str.startswith("CA").all()
    assert area.progress_label.value == ""  # the old walk's end is not shown
