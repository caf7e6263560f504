"""What ran the benchmarks: machine, load, Python and package versions, date."""

from __future__ import annotations

import datetime
import os
import platform
from importlib import metadata
from pathlib import Path

__all__ = ["PACKAGES", "load_average", "machine_facts"]

PACKAGES = ("twilio_nb", "pandas", "numpy", "pyarrow", "httpx", "httpcore", "orjson", "lxml",
            "twilio", "requests", "ipython", "ipywidgets")


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gb() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return None


def load_average() -> tuple[float, float, float] | None:
    try:
        return os.getloadavg()
    except OSError:
        return None


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def machine_facts() -> dict[str, str]:
    memory = _memory_gb()
    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{_cpu_model()}, {os.cpu_count()} cores"
                   + (f", {memory:.1f} GB RAM" if memory else ""),
        "os": f"{platform.system()} {platform.release()}",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        **{name: _version(name) for name in PACKAGES},
    }
