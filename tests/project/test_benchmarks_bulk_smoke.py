"""``python -m benchmarks.bulk`` end to end at a tiny size: every contender has a row, the
same SIDs as twilio-python, and the 429-limited run gets every row once (no timing is
asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_bulk_benchmark_runs_and_reports(tmp_path: Path) -> None:
    out = tmp_path / "RESULTS-bulk.md"
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.bulk", "--sizes", "300", "--latency-ms", "2",
         "--formats", "json", "--concurrency", "4", "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=240, check=False)
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8")
    rows = {line.split("|")[1].strip(): line for line in text.splitlines()
            if line.startswith("| ") and not line.startswith("| contender")}
    assert set(rows) == {"twilio-python", "seq json", "c4 json", "parquet c8", "limit5 c8"}
    for name, line in rows.items():
        cells = [c.strip() for c in line.strip("|").split("|")]
        assert cells[4] == "300" and cells[5] == "yes", (name, line)
    assert "Load average before" in text and "every answer 2 ms after its request was read" in text
