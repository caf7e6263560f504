"""The result area: Next page, Load all (progress, Cancel); the "Next page" / "Load all"
buttons of a Result shown in IPython. (The media previews: test_widgets_media.py.)"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import ipywidgets as widgets
import pandas as pd
import pytest
from widget_helpers import make_form

import twilio_nb as tw
from twilio_nb import sandbox
from twilio_nb.widgets import NextPageButton
from twilio_nb.widgets.form import TwilioForm
from twilio_nb.widgets.paging_controls import BackgroundWalk


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


def loading(tmp_path: Path, delay: float, pages: int) -> tuple[TwilioForm, BackgroundWalk]:
    """A form whose Load all of List Messages (5 a page, ``delay`` s each) is running and has
    walked ``pages`` pages."""
    form, box = make_form(tmp_path)
    list_messages(form)
    box.faults.add("delay", path="/Messages.json", delay=delay)
    form.result_area.load_all_button.click()
    walk = form.result_area.walk
    assert walk is not None
    wait_for(lambda: walk.pages >= pages)
    return form, walk


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
    form, box = make_form(tmp_path, max_retries=0)
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
    form, walk = loading(tmp_path, delay=0.05, pages=1)
    area = form.result_area
    form.processing.select("Call", "List Calls")
    form.processing.query.value = "PageSize=3"
    assert form.execute() is not None
    assert walk.join(5) and walk.outcome == "cancelled"
    frame = form.df
    assert frame is not None and len(frame) == 3 and frame["sid"].str.startswith("CA").all()
    assert area.progress_label.value == ""  # the old walk's end is not shown


# -- the one walk under the controls (issue 14) -------------------------------------------


def test_the_status_line_says_what_the_table_holds_after_next_page_and_load_all(
        tmp_path: Path) -> None:
    form, box = make_form(tmp_path, messages=2500)
    form.processing.select("Message", "List Messages")  # Twilio's default page size
    assert form.execute() is not None
    area = form.result_area
    area.next_button.click()
    assert "page 1" in area.status.value and "more pages" in area.status.value
    box.stats.clear()
    area.load_all_button.click()
    assert area.wait(20)
    assert form.df is not None and len(form.df) == 2500 and form.df["sid"].is_unique
    status = area.status.value
    assert "2,500 records, all pages" in status
    assert "page 1" not in status and "more pages" not in status
    assert box.stats.count("GET", "/Messages") == 3  # the first page again at 1,000, then 2
    assert form.df.attrs["operation"].startswith("List Messages")


def _threads_of_changes(root: widgets.Widget) -> list[tuple[str, str, str]]:
    """Record (widget class, trait, thread) of every trait change under ``root`` from now."""
    seen: list[tuple[str, str, str]] = []
    stack = [root]
    while stack:
        w = stack.pop()
        w.observe(lambda c: seen.append((type(c["owner"]).__name__, c["name"],
                                         threading.current_thread().name)))
        stack.extend(getattr(w, "children", ()))
        layout = getattr(w, "layout", None)
        if isinstance(layout, widgets.Layout):
            layout.observe(lambda c: seen.append(("Layout", c["name"],
                                                  threading.current_thread().name)))
    return seen


def _no_output_widget(root: widgets.Widget) -> bool:
    stack = [root]
    while stack:
        w = stack.pop()
        if isinstance(w, widgets.Output):
            return False
        stack.extend(getattr(w, "children", ()))
    return True


@pytest.mark.parametrize("where", ["form", "shown result"])
def test_load_all_only_sets_values_from_its_thread(tmp_path: Path, where: str,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    entered: list[str] = []
    monkeypatch.setattr(widgets.Output, "__enter__",
                        lambda self: entered.append(threading.current_thread().name))
    form, _ = make_form(tmp_path)
    root: widgets.Widget
    if where == "form":
        list_messages(form)
        root = form.result_area
        start, wait = form.result_area.load_all_button, form.result_area.wait
    else:
        buttons = NextPageButton(form.connection.basic("Message", "List Messages",
                                                       query="PageSize=5"))
        root, start, wait = buttons, buttons.load_all, buttons.paging.wait
    changes = _threads_of_changes(root)
    start.click()
    assert wait(10)
    off_main = {(kind, name) for kind, name, thread in changes
                if thread != threading.main_thread().name}
    assert off_main, "the walk ran in its own thread"
    assert {name for _, name in off_main} <= {"value", "max", "bar_style", "description",
                                              "disabled", "display"}, off_main
    assert entered == [] and _no_output_widget(root)


def test_cancel_then_resume_in_the_form(tmp_path: Path) -> None:
    form, walk = loading(tmp_path, delay=0.03, pages=2)
    area = form.result_area
    area.cancel_button.click()
    assert area.wait(5) and walk.outcome == "cancelled"
    kept = form.df
    assert kept is not None and 10 <= len(kept) < 60
    assert area.load_all_button.description == "Resume"
    assert "cancelled" in area.status.value
    area.load_all_button.click()
    assert area.wait(10)
    assert area.walk is not None and area.walk is not walk and area.walk.outcome == "done"
    frame = form.df
    assert frame is not None and len(frame) == 60 and frame["sid"].is_unique
    assert frame["sid"].tolist()[: len(kept)] == kept["sid"].tolist()
    assert "60 records, all pages" in area.status.value
    assert area.load_all_button.description == "Load all"


def test_resume_after_a_failure_in_a_shown_result() -> None:
    box = sandbox.Sandbox(messages=30)
    conn = tw.Connection(sandbox=box, max_retries=0)
    buttons = NextPageButton(conn.basic("Message", "List Messages", query="PageSize=5"))
    box.faults.add("status", path="/Messages.json", status=500, after=2, count=1)
    buttons.load_all.click()
    assert buttons.paging.wait(5)
    assert buttons.walk is not None and buttons.walk.outcome == "failed"
    assert "HTTP 500" in buttons.error.value and buttons.load_all.description == "Resume"
    assert buttons.frame is not None and len(buttons.frame) == 15
    buttons.load_all.click()
    assert buttons.paging.wait(5) and buttons.walk.outcome == "done"
    assert buttons.frame is not None and len(buttons.frame) == 30
    assert "30 records, all pages" in buttons.view.value and buttons.error.value == ""


def test_no_paging_controls_under_a_single_get(tmp_path: Path) -> None:
    form, _ = make_form(tmp_path)
    form.processing.select("Balance", "Get Balance")
    assert form.execute() is not None
    area = form.result_area
    assert area.controls.layout.display == "none"
    assert area.next_button.layout.display == "none"
    assert area.load_all_button.layout.display == "none"
    list_messages(form)
    assert area.next_button.layout.display is None and area.controls.layout.display is None


def test_the_paging_widget_only_where_widgets_render(monkeypatch: pytest.MonkeyPatch) -> None:
    from twilio_nb.widgets import result_display

    conn = tw.Connection(sandbox=sandbox.Sandbox(messages=10))
    listed = conn.basic("Message", "List Messages", query="PageSize=3")
    single = conn.basic("Balance", "Get Balance")
    view = "application/vnd.jupyter.widget-view+json"
    assert set(result_display.result_bundle(listed)) == {"text/plain", "text/html"}
    monkeypatch.setattr(result_display, "widgets_render", lambda: True)
    bundle = result_display.result_bundle(listed)
    assert view in bundle and bundle["text/plain"].startswith("HTTP 200")
    assert view not in result_display.result_bundle(single)
    uri = str(conn.basic("Media", "List Message Media", params={
        "MessageSid": _message_with_media(conn)}).df["uri"].iloc[0])
    image = conn.fetch_content(uri.removesuffix(".json"))
    assert image.is_binary
    assert any(k.startswith("image/") for k in result_display.result_bundle(image))


def _message_with_media(conn: tw.Connection) -> str:
    frame = conn.basic("Message", "List Messages", query="PageSize=1000").df
    return str(frame[frame["num_media"] > 0]["sid"].iloc[0])
