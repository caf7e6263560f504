"""The form's concurrency choice beside Load all: the same records, in the same order, as a
Load all one page after the other; Cancel and Resume keep working."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from widget_helpers import make_form

from twilio_nb.paging import ConcurrentWalk


def _list(form: object, page_size: int = 5) -> None:
    form.processing.select("Message", "List Messages")  # type: ignore[attr-defined]
    form.processing.query.value = f"PageSize={page_size}"  # type: ignore[attr-defined]
    assert form.execute() is not None  # type: ignore[attr-defined]


def test_load_all_at_once_gives_the_sequential_records(tmp_path: Path) -> None:
    form, _ = make_form(tmp_path, messages=300)
    _list(form)
    area = form.result_area
    choice = area.paging.concurrency
    assert choice.value == 1 and not choice.disabled
    area.load_all_button.click()
    assert area.wait(20)
    sequential = form.df
    _list(form)
    choice.value = 8
    area.load_all_button.click()
    assert area.wait(20)
    walk = area.paging.walk
    assert walk is not None and isinstance(walk.walk, ConcurrentWalk)
    assert walk.outcome == "done" and "All 300 records" in area.progress_label.value
    assert sequential is not None and form.df is not None
    pd.testing.assert_frame_equal(form.df, sequential)
    assert not choice.disabled


def test_the_choice_is_hidden_without_pages(tmp_path: Path) -> None:
    form, _ = make_form(tmp_path, messages=3)
    _list(form, page_size=50)
    assert form.result_area.paging.concurrency.layout.display == "none"


def test_a_date_filter_in_the_query_narrows_the_load_all_at_once(tmp_path: Path) -> None:
    # the form has no since/until of its own: the list's date filter in the Query (or its
    # parameter rows) narrows the slices, as r.all(concurrency=N) narrows them
    form, _ = make_form(tmp_path, messages=300)
    query = "PageSize=5&DateSent>=2025-03-01&DateSent<=2025-04-30"
    form.processing.select("Message", "List Messages")
    form.processing.query.value = query
    assert form.execute() is not None
    area = form.result_area
    area.load_all_button.click()
    assert area.wait(20)
    sequential = form.df
    assert form.execute() is not None
    area.paging.concurrency.value = 4
    area.load_all_button.click()
    assert area.wait(20)
    walk = area.paging.walk
    assert walk is not None and isinstance(walk.walk, ConcurrentWalk)
    assert sequential is not None and form.df is not None and 0 < len(form.df) < 300
    assert form.df["date_sent"].min() >= pd.Timestamp("2025-03-01", tz="UTC")
    pd.testing.assert_frame_equal(form.df, sequential)
