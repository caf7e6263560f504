"""Every notebook runs top to bottom, headless, on the sandbox; none is committed with outputs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

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


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_headless_on_the_sandbox(path: Path, tmp_path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    for data in (ROOT / "notebooks").glob("*.csv"):  # the data a notebook reads beside it
        shutil.copy(data, tmp_path)
    if (ROOT / "notebooks" / "cassettes").is_dir():  # beside the notebooks, as on Binder
        shutil.copytree(ROOT / "notebooks" / "cassettes", tmp_path / "cassettes")
    client = NotebookClient(nb, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}})
    try:
        client.execute()
    except CellExecutionError as exc:  # pragma: no cover - the message is the point
        pytest.fail(f"{path.name} failed:\n{str(exc)[-3000:]}")
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    text = json.dumps(outputs)
    assert "Traceback" not in text
    if path.stem != "09_real_account":
        assert "dataframe" in text, "a notebook of this tool shows DataFrames"
    if path.stem == "04_message_media":
        assert any("image/png" in o.get("data", {}) for o in outputs), "the media image shows"
    if path.stem == "03_get_recording":
        assert "audio/wav" in text and "<audio" in text, "the recording plays"
