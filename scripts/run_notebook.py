#!/usr/bin/env python3
"""Execute a notebook headless (nbclient) and write the executed copy.

    python scripts/run_notebook.py IN.ipynb OUT.ipynb
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def main(argv: list[str]) -> int:
    src, dst = Path(argv[0]), Path(argv[1])
    nb = nbformat.read(src, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(src.parent)}}).execute()
    dst.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, dst)
    cells = sum(1 for c in nb.cells if c.cell_type == "code")
    print(f"ran {src} ({cells} code cells) on the sandbox; executed copy: {dst}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
