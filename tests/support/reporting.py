"""A line for the terminal from inside a test module (past pytest's output capture): the
figures the reliability suites report (faults tried, fuzz cases run, ...)."""

from __future__ import annotations

import pytest

__all__ = ["report"]


def report(request: pytest.FixtureRequest, line: str) -> None:
    """Write ``line`` to the terminal, even while pytest captures the output."""
    plugins = request.config.pluginmanager
    reporter = plugins.get_plugin("terminalreporter")
    capture = plugins.get_plugin("capturemanager")
    if reporter is None:
        return
    if capture is None:
        reporter.write_line(line)
        return
    with capture.global_and_fixture_disabled():
        reporter.write_line(line)
