"""notebooks/13_share_a_session.ipynb replays its shipped cassette with no account, no
network and no sandbox, as a Binder visitor would run it; the shipped cassette holds no
secret and no account of the sandbox it was recorded on.

The cells tagged ``record`` (part 2: record your own session) need the sandbox or an account,
so they are left out here; tests/test_notebooks.py runs the whole notebook on the sandbox.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import yaml
from cassette_offline import offline_env
from nbclient import NotebookClient

from twilio_nb import sandbox

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "notebooks" / "13_share_a_session.ipynb"
TOUR = ROOT / "notebooks" / "cassettes" / "tour.yaml"


def test_the_notebook_replays_the_tour_with_no_account_network_or_sandbox(
        tmp_path: Path) -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    tagged = [c for c in nb.cells if "record" in c.metadata.get("tags", [])]
    assert tagged, "part 2 is tagged"
    nb.cells = [c for c in nb.cells if c not in tagged]
    nb.cells.append(nbformat.v4.new_code_cell(  # type: ignore[no-untyped-call]
        "import sys, socket\n"
        "try:\n    import twilio_nb.sandbox\n    print('SANDBOX AVAILABLE')\n"
        "except ImportError:\n    print('no sandbox here')\n"
        "try:\n    socket.create_connection(('93.184.216.34', 80), timeout=2)\n"
        "    print('NETWORK AVAILABLE')\nexcept OSError:\n    print('no network here')\n"
        "print(sorted(k for k in __import__('os').environ if k.startswith('TWILIO')))"))
    shutil.copytree(TOUR.parent, tmp_path / "cassettes")
    client = NotebookClient(nb, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}})
    client.execute(env=offline_env(tmp_path, allow_loopback=True))
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    text = json.dumps(outputs)
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert "no sandbox here" in text and "no network here" in text and "[]" in text
    assert "REPLAY of cassettes/tour.yaml" in text and "dataframe" in text
    assert "holds no answer" in text  # the ReplayError cell
    assert "Traceback" not in text


def test_the_shipped_cassette_holds_no_secret_and_no_real_account() -> None:
    data = TOUR.read_text(encoding="utf-8")
    for secret in (sandbox.API_KEY_SECRET, sandbox.AUTH_TOKEN, "Authorization",
                   sandbox.ACCOUNT_SID):
        assert secret not in data
    loaded = yaml.safe_load(data)
    assert loaded["version"] == 1 and len(loaded["interactions"]) >= 7
