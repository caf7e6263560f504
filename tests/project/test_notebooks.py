"""Every notebook runs top to bottom, headless, on the sandbox, twice in a row (Restart and Run
All) and leaving no file behind; none is committed with outputs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks_for_every_scenario() -> None:
    names = {p.stem for p in NOTEBOOKS}
    assert {"quickstart", "01_send_message", "02_list_calls", "03_get_recording",
            "04_message_media", "05_conference_participant", "06_paging_and_export",
            "07_errors_and_rate_limits", "08_other_entities", "09_real_account",
            "10_webhooks"} <= names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_is_committed_without_outputs(path: Path) -> None:
    nb = json.loads(path.read_text())
    assert all(not c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code")
    assert "widgets" not in nb.get("metadata", {})


def _files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def _run(path: Path, folder: Path) -> list[dict[str, Any]]:
    """``path`` run top to bottom in a new kernel (Restart and Run All) in ``folder``; its
    outputs."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(folder)}})
    try:
        client.execute()
    except CellExecutionError as exc:  # pragma: no cover - the message is the point
        pytest.fail(f"{path.name} failed:\n{str(exc)[-3000:]}")
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_headless_on_the_sandbox_twice_and_leaves_nothing(
        path: Path, tmp_path: Path) -> None:
    """Restart and Run All, twice in a row in a copy of notebooks/: the second run finds the
    first run's files, if it left any; it must leave none (nothing ``git status`` would
    show: checkpoints and cassettes go to a temporary folder)."""
    for data in (ROOT / "notebooks").glob("*.csv"):  # the data a notebook reads beside it
        shutil.copy(data, tmp_path)
    if (ROOT / "notebooks" / "cassettes").is_dir():  # beside the notebooks, as on Binder
        shutil.copytree(ROOT / "notebooks" / "cassettes", tmp_path / "cassettes")
    before = _files(tmp_path)
    for _ in range(2):
        outputs = _run(path, tmp_path)
        assert not [o for o in outputs if o.get("output_type") == "error"]
        text = json.dumps(outputs)
        assert "Traceback" not in text
        if path.stem != "09_real_account":
            assert "dataframe" in text, "a notebook of this tool shows DataFrames"
        if path.stem == "04_message_media":
            assert any("image/png" in o.get("data", {}) for o in outputs), "the image shows"
        if path.stem == "03_get_recording":
            assert "audio/wav" in text and "<audio" in text, "the recording plays"
        assert _files(tmp_path) == before, f"{path.name} left files beside itself"
