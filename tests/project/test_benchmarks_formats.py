"""``python -m benchmarks.formats`` runs end to end at a tiny size and writes its section (no
timing is asserted: the figures are the report's business)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_formats_benchmark_writes_one_section_with_every_list_and_format(
        tmp_path: Path) -> None:
    out = tmp_path / "RESULTS.md"
    out.write_text("# Results\n\n## Earlier section\n\ntext\n", encoding="utf-8")
    for _ in range(2):  # the second run replaces the section, it does not add one
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks.formats", "--messages", "150", "--page-size",
             "50", "--repeat", "1", "--out", str(out)],
            cwd=ROOT, capture_output=True, text=True, timeout=180, check=False)
        assert done.returncode == 0, done.stderr
    report = out.read_text(encoding="utf-8")
    assert report.startswith("# Results\n\n## Earlier section\n\ntext\n")
    assert report.count("## Client CPU per page by format") == 1
    rows = [line.strip("|").split("|") for line in report.splitlines()
            if line.startswith(("| messages", "| calls"))]
    assert {(r[0].strip(), r[1].strip()) for r in rows} == {
        (what, fmt) for what in ("messages", "calls") for fmt in ("json", "xml", "csv")}
    for row in rows:
        assert int(row[2].replace(",", "")) == 50 and float(row[6]) > 0
        if row[1].strip() != "json":
            assert "**met**" in row[8] or "**missed**" in row[8]


def test_bad_arguments_are_refused() -> None:
    done = subprocess.run([sys.executable, "-m", "benchmarks.formats", "--repeat", "0"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2 and "--repeat" in done.stderr
