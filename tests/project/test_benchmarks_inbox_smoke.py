"""``python -m benchmarks.inbox`` end to end at a tiny size: every receiver has a row, every
post was signed validly, every callback arrived (no timing is asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_inbox_benchmark_runs_and_reports(tmp_path: Path) -> None:
    out = tmp_path / "RESULTS-inbox.md"
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.inbox", "--posts", "20", "--messages", "5",
         "--repeat", "1", "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=240, check=False)
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8")
    assert "Traceback" not in done.stderr
    for row in ("| `tw.inbox()`: signature checked", "| plain http.server, one write",
                "| stock http.server answer", "| one keep-alive client >= 1,000",
                "| 1,000 messages' callbacks"):
        assert row in text, row
    results = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert results["inbox_invalid"] == 0 and results["inbox_rows"] == 21  # + the warm-up
    for receiver in ("inbox", "plain"):
        got = results["callbacks"][receiver]
        assert got["callbacks"] == 20 and got["failed"] == 0, (receiver, got)
    assert {r["posts"] for r in results["post_rates"].values()} == {20}
