"""``python -m benchmarks.bulk_export`` runs end to end at a tiny size and reports both
targets (no timing is asserted: the figures are the report's business)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_bulk_export_benchmark_runs_and_reports(tmp_path: Path) -> None:
    out = tmp_path / "RESULTS.md"
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.bulk_export", "--records", "300", "--repeat", "1",
         "--out", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=300,
        check=False)
    assert done.returncode == 0, done.stderr
    report = out.read_text(encoding="utf-8")
    assert "| pyarrow.json |" in report and "| twilio_nb |" in report
    assert "target <= 1.5x" in report and "target <= 3x" in report
