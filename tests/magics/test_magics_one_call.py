"""``%twilio``: the line parsed, then one call of the core (``Connection.run``), in a real
IPython shell: page sizing and option checks are the core's, and a dry run shows the request
as the core would send it."""

from __future__ import annotations

from typing import Any

import pytest
from IPython.core.interactiveshell import InteractiveShell


def line(ip: InteractiveShell, text: str) -> Any:
    return ip.run_line_magic("twilio", text)


def test_a_dry_run_shows_the_page_size_the_walk_would_ask_for(
        ip: InteractiveShell, capsys: pytest.CaptureFixture[str]) -> None:
    built = line(ip, "Message.list --all --dry-run")
    assert "PageSize=1000" in built.url and "PageSize=1000" in capsys.readouterr().out
    assert "PageSize=9" in line(ip, "Message.list --limit 9 --dry-run").url
    assert "PageSize=3" in line(ip, "Message.list --all --page-size 3 --dry-run").url
    assert "PageSize" not in line(ip, "Message.list --dry-run").url


def test_the_configured_page_size_applies_unless_the_line_sets_one(
        ip: InteractiveShell) -> None:
    ip.run_line_magic("config", "TwilioMagics.page_size = 4")
    try:
        assert len(line(ip, "Message.list").df) == 4
        assert len(line(ip, "Message.list --page-size 6").df) == 6
    finally:
        ip.run_line_magic("config", "TwilioMagics.page_size = 0")
