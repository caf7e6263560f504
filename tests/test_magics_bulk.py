"""``%twilio ... --all --concurrency N`` and ``--parquet PATH`` in a real IPython shell."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from IPython.core.error import UsageError
from IPython.core.interactiveshell import InteractiveShell

import twilio_nb as tw
from twilio_nb.connection import default_connection


def line(ip: InteractiveShell, text: str) -> Any:
    return ip.run_line_magic("twilio", text)


def test_all_with_concurrency_gives_the_sequential_frame(ip: InteractiveShell) -> None:
    sequential = line(ip, "Message.list --all")
    concurrent = line(ip, "Message.list --all --concurrency 8")
    assert isinstance(concurrent, pd.DataFrame) and len(concurrent) == 60
    pd.testing.assert_frame_equal(concurrent, sequential)
    limited = line(ip, "Message.list --limit 25 --concurrency 4")
    pd.testing.assert_frame_equal(limited, sequential.iloc[:25])


def test_parquet_writes_the_file(ip: InteractiveShell, tmp_path: Path) -> None:
    path = tmp_path / "messages.parquet"
    done = line(ip, f"Message.list --parquet {path} --concurrency 4")
    assert done.rows == 60 and done.path == path
    pd.testing.assert_frame_equal(pd.read_parquet(path), line(ip, "Message.list --all"))


@pytest.mark.parametrize(("options", "match"), [
    ("--concurrency 4", "applies to --all"),
    ("--all --concurrency 0", "from 1 to 32"),
    ("--all --concurrency 40", "from 1 to 32"),
    ("--parquet x.parquet --limit 5", "leave --limit out"),
])
def test_bad_options_are_usage_errors_before_sending(ip: InteractiveShell, options: str,
                                                     match: str) -> None:
    conn = default_connection()
    assert isinstance(conn, tw.Connection)
    sent = len(conn.history)
    with pytest.raises(UsageError, match=match):
        line(ip, "Message.list " + options)
    assert len(conn.history) == sent


def test_an_existing_parquet_file_is_refused_before_sending(ip: InteractiveShell,
                                                            tmp_path: Path) -> None:
    path = tmp_path / "there.parquet"
    path.write_bytes(b"")
    with pytest.raises(UsageError, match="exists already"):
        line(ip, f"Message.list --parquet {path}")
