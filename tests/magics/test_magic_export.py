"""``%twilio export RESOURCE --since D --until D`` in a real IPython shell (the sandbox)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from IPython.core.error import UsageError
from IPython.core.interactiveshell import InteractiveShell

from twilio_nb.magics.parse import parse_line


def line(ip: InteractiveShell, text: str) -> Any:
    return ip.run_line_magic("twilio", text)


def test_export_gives_the_typed_frame_and_the_days(ip: InteractiveShell) -> None:
    x = line(ip, "export Messages --since 2025-01-01 --until 2025-06-30 --no-jobs -o x")
    assert ip.user_ns["x"] is x and len(x.df) > 0
    assert set(x.days["status"]) <= {"available", "missing"}
    assert str(x.df["date_created"].dtype) == "datetime64[us, UTC]"
    walked = line(ip, "Message.list --all")
    assert set(x.df["sid"]) == set(walked["sid"])


def test_export_to_parquet(ip: InteractiveShell, tmp_path: Path) -> None:
    path = tmp_path / "m.parquet"
    x = line(ip, f"export messages --since 2025-01-01 --until 2025-02-28 --no-jobs "
                 f"--parquet {path}")
    assert path.exists() and x.parquet == path
    pd.testing.assert_frame_equal(pd.read_parquet(path), x.df)
    assert len(x.df) == int(x.days["records"].sum()) > 0


@pytest.mark.parametrize(("text", "match"), [
    ("export Messages --until 2025-01-02", "--since"),
    ("export Faxes --since 2025-01-01 --until 2025-01-02", "Messages, Calls"),
    ("export Messages --since 2025-01-01 --until 2099-01-02", "too recent"),
    ("export Messages --since 2025-01-01 --until 2025-01-02 --concurrency 0", "1 to 32"),
])
def test_export_refuses_bad_lines(ip: InteractiveShell, text: str, match: str) -> None:
    with pytest.raises(UsageError, match=match):
        line(ip, text)


def test_the_entity_export_is_still_a_request() -> None:
    inv = parse_line('Export "Get Export" ResourceType=Messages')
    assert inv.kind == "basic" and inv.entity == "Export"
    assert parse_line("export Calls --since 2025-01-01 --until 2025-01-02").command == "export"
