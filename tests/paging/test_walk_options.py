"""``WalkOptions``: every option of a walk checked in one place, when the options are made
(before anything is sent), its messages naming the option the way the user wrote it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from twilio_nb.errors import ConfigurationError
from twilio_nb.paging import WalkOptions


@pytest.mark.parametrize(("given", "python", "magic"), [
    ({"concurrency": 0}, "concurrency must be an integer from 1 to 32",
     "--concurrency must be an integer from 1 to 32, got 0: e.g. --concurrency 8"),
    ({"concurrency": True}, "from 1 to 32, got True", "from 1 to 32, got True"),
    ({"limit": -1}, "limit must be a number of records", "--limit must be a number"),
    ({"since": "soon"}, "since='soon' is not a date", "--since='soon' is not a date"),
    ({"until": 20250101}, "until must be a date", "--until must be a date"),
    ({"page_size": 0}, "page_size must be between 1 and 1000",
     "--page-size must be between 1 and 1000"),
    ({"page_size": 1001}, "page_size must be between 1 and 1000",
     "--page-size must be between 1 and 1000"),
])
def test_a_bad_value_says_the_fix_in_the_users_words(given: dict[str, Any], python: str,
                                                     magic: str) -> None:
    with pytest.raises(ConfigurationError, match=python.replace("(", r"\(")):
        WalkOptions(every=True, **given)
    with pytest.raises(ConfigurationError, match=magic):
        WalkOptions(every=True, flags=True, **given)


def test_the_parquet_target_is_checked_with_the_options(tmp_path: Path) -> None:
    there = tmp_path / "there.parquet"
    there.write_bytes(b"")
    with pytest.raises(ConfigurationError, match="exists already: give overwrite=True"):
        WalkOptions(parquet=there)
    with pytest.raises(ConfigurationError, match="exists already: add --overwrite"):
        WalkOptions(parquet=there, flags=True)
    with pytest.raises(ConfigurationError, match="is a directory"):
        WalkOptions(parquet=tmp_path)
    with pytest.raises(ConfigurationError, match="does not exist: create it first"):
        WalkOptions(parquet=tmp_path / "missing" / "m.parquet")
    assert WalkOptions(parquet=there, overwrite=True).walks


def test_what_the_options_ask_for() -> None:
    assert not WalkOptions().walks and not WalkOptions(page_size=5).walks
    assert WalkOptions(every=True).walks and WalkOptions(limit=0).walks
    assert not WalkOptions(every=True).sliced
    assert WalkOptions(every=True, concurrency=2).sliced
    assert WalkOptions(every=True, since="2025-01-01").sliced
