"""Fixtures of the widget tests (the form and displays); their helpers are in
widget_helpers.py beside this file."""

from __future__ import annotations

from collections.abc import Iterator

import ipywidgets as widgets
import pytest


@pytest.fixture(autouse=True)
def close_widgets() -> Iterator[None]:
    """Close every widget a test made."""
    yield
    widgets.Widget.close_all()
