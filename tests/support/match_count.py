"""How many times replay compares a request with a recorded one: the measure of the tests that
replay is linear, not a comparison of every pair."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from twilio_nb.cassette.match import Recorded


def count_matches(monkeypatch: pytest.MonkeyPatch) -> Callable[[], int]:
    """Count every ``Recorded.match`` from now on; the returned function says how many."""
    compared = 0
    original = Recorded.match

    def counted(self: Recorded, *args: Any) -> Any:
        nonlocal compared
        compared += 1
        return original(self, *args)

    monkeypatch.setattr(Recorded, "match", counted)
    return lambda: compared
