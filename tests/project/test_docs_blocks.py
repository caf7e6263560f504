"""Every code block of README.md and docs/*.md runs as written, in order, on a fresh kernel
with the sandbox (as sqlite-utils checks its docs): one kernel per document, in a temporary
working folder (what the blocks write goes there), with no TWILIO_* variable and an empty
credential store.

Which blocks run: ```` ```python ```` blocks, and unlabelled blocks of IPython magics (their
first line starts with ``%``). Shell, text and diagram blocks do not. A block right after
``<!-- needs-account -->`` (it needs a real Twilio account) or ``<!-- not-run: REASON -->``
(a signature, not a call) is skipped; README.md's "More" says so for writers.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```(?P<lang>[\w-]*)[ \t]*\n(?P<code>.*?)^```[ \t]*$", re.M | re.S)
SKIP = re.compile(r"<!--\s*(needs-account|not-run\b[^>]*?)\s*-->\s*$")


def blocks(text: str) -> list[tuple[str, bool]]:
    """Each runnable-looking block of ``text`` in order: (code, runs)."""
    out = []
    for m in FENCE.finditer(text):
        lang, code = m["lang"].lower(), m["code"]
        before = text[:m.start()].rstrip().rsplit("\n", 1)[-1]
        magic = lang == "" and code.lstrip().startswith("%")
        if lang in ("python", "py", "ipython") or magic:
            out.append((code, SKIP.search(before) is None))
    return out


def runnable(path: Path) -> list[str]:
    return [code for code, runs in blocks(path.read_text(encoding="utf-8")) if runs]


WITH_BLOCKS = [p for p in DOCS if runnable(p)]


def test_the_block_reader_sees_markers_and_magics() -> None:
    text = ("```python\na = 1\n```\n<!-- needs-account -->\n```python\nb = 2\n```\n"
            "```bash\nls\n```\n```\n%twilio --help\n```\n<!-- not-run: a signature -->\n"
            "```python\nf(x, *, y) -> Z\n```\n```text\nHTTP 200\n```\n")
    assert blocks(text) == [("a = 1\n", True), ("b = 2\n", False), ("%twilio --help\n", True),
                            ("f(x, *, y) -> Z\n", False)]


def test_the_docs_have_blocks_to_run() -> None:
    names = {p.name for p in WITH_BLOCKS}
    assert {"README.md", "batches.md", "bulk.md", "catalog.md", "sandbox.md",
            "typed-dataframes.md", "form.md"} <= names


@pytest.mark.parametrize("path", WITH_BLOCKS, ids=[p.name for p in WITH_BLOCKS])
def test_every_block_runs_as_written(path: Path, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    for name in [n for n in os.environ if n.startswith("TWILIO_") and n != "TWILIO_NB_OPENAPI"]:
        monkeypatch.delenv(name)  # the kernel inherits this environment: no real account
        # (TWILIO_NB_OPENAPI stays: the suite's source of Twilio's words, never a download)
    monkeypatch.setenv("TWILIO_NB_CREDENTIALS", str(tmp_path / "credentials.json"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    work = tmp_path / "work"
    work.mkdir()
    before = set(ROOT.iterdir())
    codes = runnable(path)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in codes])
    client = NotebookClient(nb, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(work)}})
    try:
        client.execute()
    except CellExecutionError as exc:  # which block, and why: the message is the point
        pytest.fail(f"a code block of {path.relative_to(ROOT)} failed:\n{str(exc)[-2500:]}")
    errors = [o for c in nb.cells for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert not errors, json.dumps(errors)[:2000]
    assert set(ROOT.iterdir()) <= before, "a block wrote into the checkout, not its folder"
