"""The benchmark command runs end to end at a tiny size and writes a report with every
contender and every target (no timing is asserted: the figures are the report's business)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONTENDERS = ["floor", "twilio-python", "twilio_nb json", "twilio_nb xml", "twilio_nb csv",
              "twilio_nb json seq", "twilio_nb xml seq", "twilio_nb csv seq", "twilio_nb pages"]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("bench") / "RESULTS.md"
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--sizes", "200,400", "--repeat", "1",
         "--page-size", "100", "--prefetch-size", "200", "--delay", "0.01",
         "--startup-repeat", "1", "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr
    return out.read_text(encoding="utf-8")


def _row(report: str, name: str, section: str) -> list[str]:
    part = report.split(section, 1)[1]
    for line in part.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if cells and cells[0] == name:
            return cells
    raise AssertionError(f"no row {name!r} under {section!r}")


def test_every_contender_has_a_row_with_figures(report: str) -> None:
    for name in CONTENDERS:
        cells = _row(report, name, "## 200 messages")
        wall, per_second = float(cells[2]), float(cells[4].replace(",", ""))
        assert wall > 0 and per_second > 0


def test_the_report_says_what_ran_it_and_judges_every_target(report: str) -> None:
    assert re.search(r"Machine: .+, \d+ cores", report)
    assert "Load average" in report and "pandas 3." in report
    targets = report.split("## Targets", 1)[1].split("\n## ", 1)[0]
    for target in ("≤ 1.2 × floor", "≥ 3 × faster than twilio-python", "XML ≤ 1.5 × JSON",
                   "CSV ≤ 0.8 × JSON", "peak memory of all() (JSON)", "pages() stays bounded",
                   "%load_ext twilio_nb ≤ import pandas + 0.3 s"):
        line = next(row for row in targets.splitlines() if target in row)
        assert "**met**" in line or "**missed**" in line


def test_prefetch_delay_and_import_times_are_reported(report: str) -> None:
    assert "10 ms server delay a page" in report
    for what in ("import pandas", "import twilio_nb", "%load_ext twilio_nb"):
        assert float(_row(report, what, "## Import times")[1]) > 0


def test_bad_arguments_are_refused_before_anything_runs() -> None:
    done = subprocess.run([sys.executable, "-m", "benchmarks.run", "--sizes", "many"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2 and "--sizes" in done.stderr


def test_the_profile_explains_each_format(report: str) -> None:
    stages = report.split("## Where the time of a page goes", 1)[1].split("\n## ", 1)[0]
    assert "typing CPU ms (share)" in stages
    for what in ("floor (json.loads)", "twilio_nb json", "twilio_nb xml", "twilio_nb csv"):
        cells = _row(stages, what, "| what")
        assert float(cells[3]) > 0  # the fetch's wall time
    why = report.split("## Why", 1)[1].split("\n## ", 1)[0]
    for part in ("The server's share", "- JSON (", "- XML (", "- CSV ("):
        assert part in why
