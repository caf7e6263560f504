"""Fixtures of the widget tests (the form and displays); their helpers are in
widget_helpers.py beside this file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import ipywidgets as widgets
import pytest
from widget_helpers import make_form

from twilio_nb.widgets.form import TwilioForm


@pytest.fixture(autouse=True)
def close_widgets() -> Iterator[None]:
    """Close every widget a test made."""
    yield
    widgets.Widget.close_all()


@pytest.fixture
def form(tmp_path: Path) -> TwilioForm:
    """A form over a fresh sandbox of 60 messages (``widget_helpers.make_form``)."""
    return make_form(tmp_path)[0]
