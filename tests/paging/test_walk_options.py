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


@pytest.mark.parametrize(("given", "python", "magic"), [
    ({"parquet": "m.parquet", "limit": 5}, "parquet writes every record: leave limit out",
     "--parquet writes every record: leave --limit out"),
    ({"parquet": "m.parquet", "every": True, "limit": 0}, "leave limit out",
     "leave --limit out"),
    ({"concurrency": 4}, "concurrency applies to a walk",
     "--concurrency applies to --all, --limit N or --parquet PATH: add one of them"),
    ({"since": "2025-02-01"}, "since applies to a walk",
     "--since applies to --all, --limit N or --parquet PATH"),
    ({"until": "2025-02-01", "page_size": 5}, "until applies to a walk",
     "--until applies to --all"),
    ({"overwrite": True}, "overwrite applies to parquet: add it",
     "--overwrite applies to --parquet PATH: add it, or leave --overwrite out"),
    ({"every": True, "overwrite": True}, "overwrite applies to parquet",
     "--overwrite applies to --parquet"),
])
def test_options_without_what_they_apply_to_are_refused(given: dict[str, Any], python: str,
                                                        magic: str, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch
                                                        ) -> None:
    monkeypatch.chdir(tmp_path)  # a relative parquet path that can be written
    with pytest.raises(ConfigurationError, match=python):
        WalkOptions(**given)
    with pytest.raises(ConfigurationError, match=magic):
        WalkOptions(flags=True, **given)


def test_options_with_what_they_apply_to_are_taken(tmp_path: Path) -> None:
    target = tmp_path / "m.parquet"
    assert WalkOptions(limit=5, concurrency=4, since="2025-02-01").sliced
    assert WalkOptions(parquet=target, until="2025-02-01", overwrite=True).sliced
    assert WalkOptions(every=True, limit=5).walks  # r.all(limit=5)
    assert not WalkOptions(concurrency=1).walks  # the default said again
