"""What one benchmark run measured, and the figures derived from it (medians, ratios)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from .measure import Measurement
from .stages import StageTimes
from .startup import StartupTime

__all__ = ["Results", "Section"]

FLOOR = "floor"
TWILIO_PYTHON = "twilio-python"


@dataclass
class Section:
    """The measurements against one server: ``messages`` seeded, ``delay`` seconds a page."""

    title: str
    messages: int
    delay: float
    render_ms: dict[str, float]
    runs: dict[str, list[Measurement]] = field(default_factory=dict)
    stages: list[StageTimes] = field(default_factory=list)

    def add(self, measurement: Measurement) -> None:
        self.runs.setdefault(measurement.contender, []).append(measurement)

    def median_wall(self, name: str) -> float | None:
        runs = self.runs.get(name)
        return statistics.median(m.wall_s for m in runs) if runs else None

    def median_cpu(self, name: str) -> float | None:
        runs = self.runs.get(name)
        return statistics.median(m.cpu_s for m in runs) if runs else None

    def cpu_ratio(self, name: str, to: str) -> float | None:
        """Median CPU time of ``name`` over that of ``to``."""
        mine, theirs = self.median_cpu(name), self.median_cpu(to)
        if mine is None or theirs is None or theirs == 0:
            return None
        return mine / theirs

    def median_peak(self, name: str) -> float | None:
        runs = self.runs.get(name)
        return statistics.median(m.peak_mb for m in runs) if runs else None

    def median_frame(self, name: str) -> float | None:
        sizes = [m.frame_mb for m in self.runs.get(name, []) if m.frame_mb is not None]
        return statistics.median(sizes) if sizes else None

    def median_page(self, name: str) -> float | None:
        sizes = [m.page_mb for m in self.runs.get(name, []) if m.page_mb is not None]
        return statistics.median(sizes) if sizes else None

    def median_split(self, name: str, split: str) -> float | None:
        values = [m.splits[split] for m in self.runs.get(name, []) if split in m.splits]
        return statistics.median(values) if values else None

    def ratio(self, name: str, to: str) -> float | None:
        """Median wall time of ``name`` over that of ``to``."""
        mine, theirs = self.median_wall(name), self.median_wall(to)
        if mine is None or theirs is None or theirs == 0:
            return None
        return mine / theirs


@dataclass
class Results:
    command: str
    facts: dict[str, str]
    page_size: int
    repeat: int
    load_before: tuple[float, float, float] | None
    load_after: tuple[float, float, float] | None = None
    duration_s: float = 0.0
    sections: list[Section] = field(default_factory=list)
    startup: list[StartupTime] = field(default_factory=list)

    def section(self, messages: int, delay: float = 0.0) -> Section | None:
        for section in self.sections:
            if section.messages == messages and section.delay == delay:
                return section
        return None

    def startup_time(self, what: str) -> StartupTime | None:
        return next((s for s in self.startup if s.what == what), None)
