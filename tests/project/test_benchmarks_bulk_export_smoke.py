"""``python -m benchmarks.bulk_export`` and ``python -m benchmarks.bulk_export_sandbox`` run
end to end at a tiny size and report their targets (no timing is asserted: the figures are
the report's business)."""

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


def test_the_sandbox_export_benchmark_compares_both_contenders(tmp_path: Path) -> None:
    out = tmp_path / "RESULTS.md"
    out.write_text("# A Bulk Export day file (kept)\n\nfigures\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.bulk_export_sandbox", "--quick", "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    report = out.read_text(encoding="utf-8")
    assert report.startswith("# A Bulk Export day file (kept)\n\nfigures\n")
    assert "6,000 messages (3 days of 2,000" in report and "127.0.0.1" in report
    for name in ("bulk_export, cold sandbox", "all(concurrency=8)", "bulk_export"):
        assert f"| {name} | " in report and f"| {name} | error" not in report
    assert "target >= 5x" in report
    assert "the same SIDs (6,000, none twice, no day missing): **yes**" in report
