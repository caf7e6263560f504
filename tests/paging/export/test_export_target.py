"""An export's checkpoint follows the target rule of every resumable file: an unfinished
export fetched from one sandbox (or account) is not resumed from another; the same sandbox
through a new connection goes on from it."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pandas as pd
import pytest

import twilio_nb as tw
from twilio_nb.errors import ConfigurationError
from twilio_nb.paging import Progress
from twilio_nb.paging.export._parquet import export_parquet
from twilio_nb.paging.slices import _slice_plan as bulk
from twilio_nb.sandbox import Sandbox


def _stopped_export(box: Sandbox, path: Path) -> None:
    """An export of ``box``'s messages stopped after its first pages."""
    first = tw.Connection(sandbox=box).basic("Message", "List Messages")
    cancel = threading.Event()

    def stop(p: Progress) -> None:
        if p.pages >= 2:
            cancel.set()

    export_parquet(first, path, concurrency=2, progress=False, on_progress=stop, cancel=cancel)
    assert path.with_name(path.name + ".partial").is_dir()


def test_an_unfinished_export_of_another_sandbox_is_refused_unless_overwrite(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bulk, "PAGE_SIZE", 100)
    path, first_box, other_box = tmp_path / "m.parquet", Sandbox(messages=800), \
        Sandbox(messages=800, seed=8)
    _stopped_export(first_box, path)
    saved = json.loads((tmp_path / "m.parquet.partial" / "checkpoint.json").read_text())
    assert saved["target"]["sandbox"] == first_box.identity
    other = tw.Connection(sandbox=other_box).basic("Message", "List Messages")
    with pytest.raises(ConfigurationError, match="another target") as err:
        other.to_parquet(path, concurrency=2, progress=False)
    assert first_box.identity in str(err.value) and other_box.identity in str(err.value)
    assert not path.exists()
    done = other.to_parquet(path, concurrency=2, progress=False, overwrite=True)
    assert not done.resumed
    pd.testing.assert_frame_equal(pd.read_parquet(path), other.all(progress=False))


def test_the_same_sandbox_through_a_new_connection_goes_on(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bulk, "PAGE_SIZE", 100)
    path, box = tmp_path / "m.parquet", Sandbox(messages=800)
    _stopped_export(box, path)
    again = tw.Connection(sandbox=box).basic("Message", "List Messages")
    done = again.to_parquet(path, concurrency=2, progress=False)
    assert done.resumed
    pd.testing.assert_frame_equal(pd.read_parquet(path), again.all(progress=False))
