"""``python -m benchmarks.batch --quick`` end to end: every contender has a row and sent every
row exactly once (no timing is asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_batch_benchmark_runs_and_reports(tmp_path: Path) -> None:
    out = tmp_path / "RESULTS-batch.md"
    done = subprocess.run([sys.executable, "-m", "benchmarks.batch", "--quick", "--repeat", "2",
                           "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=240, check=False)
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8")
    rows = {line.split("|")[1].strip(): line for line in text.splitlines()
            if line.startswith("| ") and not line.startswith("| contender")}
    assert set(rows) == {"twilio-python loop", "batch c1", "batch c8", "batch c8 checkpoint"}
    assert all(line.rstrip().endswith("| yes |") for line in rows.values()), rows
    assert "## Targets" in text and "Load average before" in text
    assert "Best of 2 runs each, interleaved" in text
