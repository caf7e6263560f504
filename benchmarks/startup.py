"""Import times, each in a fresh interpreter: ``import pandas`` alone, ``import twilio_nb``,
``import twilio_nb`` with the first catalog lookup (target: at most 0.9x ``import pandas``),
and ``%load_ext twilio_nb`` in an IPython shell that is already running (as in a notebook,
where the kernel has IPython loaded before the first cell)."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass

__all__ = ["SNIPPETS", "StartupTime", "startup_times"]

_TIMED = """
import json, sys, time
{setup}
started = time.perf_counter()
{timed}
took = time.perf_counter() - started
print(json.dumps({{"s": took, "pandas": "pandas" in sys.modules}}))
"""

SNIPPETS: dict[str, tuple[str, str]] = {
    "import pandas": ("", "import pandas"),
    "import twilio_nb": ("", "import twilio_nb"),
    # the first catalog lookup loads the catalog (facts only: Twilio's words are read later,
    # when a description is asked for, so neither the import nor this lookup pays for them)
    "import twilio_nb + first lookup": (
        "", "import twilio_nb\ntwilio_nb.catalog.find('Message', 'Send Message')"),
    "%load_ext twilio_nb": (
        "from IPython.core.interactiveshell import InteractiveShell\n"
        "shell = InteractiveShell.instance()",
        "shell.run_line_magic('load_ext', 'twilio_nb')"),
}


@dataclass
class StartupTime:
    what: str
    times_s: list[float]
    loads_pandas: bool

    @property
    def median_s(self) -> float:
        ordered = sorted(self.times_s)
        mid = len(ordered) // 2
        return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def _once(setup: str, timed: str, python: str) -> tuple[float, bool]:
    code = _TIMED.format(setup=setup, timed=timed)
    done = subprocess.run([python, "-c", code], capture_output=True, text=True, timeout=120,
                          check=False)
    if done.returncode != 0:
        raise RuntimeError(f"timing {timed!r} failed:\n{done.stderr}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return float(result["s"]), bool(result["pandas"])


def startup_times(repeat: int, python: str = sys.executable) -> list[StartupTime]:
    """Each snippet ``repeat`` times, interleaved (so that drift hits all alike)."""
    times: dict[str, list[float]] = {what: [] for what in SNIPPETS}
    pandas: dict[str, bool] = {}
    for _ in range(repeat):
        for what, (setup, timed) in SNIPPETS.items():
            took, loaded = _once(setup, timed, python)
            times[what].append(took)
            pandas[what] = loaded
    return [StartupTime(what, times[what], pandas[what]) for what in SNIPPETS]
