"""``%twilio ... --all --concurrency N`` and ``--parquet PATH`` in a real IPython shell."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from IPython.core.error import UsageError
from IPython.core.interactiveshell import InteractiveShell

import twilio_nb as tw
from twilio_nb.session.default import default_connection


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
    ("--since 2025-02-01", "--since applies to --all"),
    ("--until 2025-02-01", "--until applies to --all"),
    ("--overwrite", "--overwrite applies to --parquet"),
    ("--all --since yesterday", "--since='yesterday' is not a date"),
    ("--parquet x.parquet --until 2025-13-01", "--until='2025-13-01' is not a date"),
    ("--all --since 2025-03-02 --until 2025-03-01", r"--since/--until: since \(2025-03-02\) "
                                                    "is after until"),
    ("--all --since 2025-03-01 DateSent<=2025-02-01", "--since/--until: since=2025-03-01 is "
                                                      "after the Query's DateSent filter"),
    ("--parquet m.parquet --concurrency 4 --until 2025-01-01 DateSent>=2025-02-01",
     "before the Query's DateSent filter"),
    ("--all --since 2025-03-01T10:00:00Z --concurrency 33", "from 1 to 32"),
    ("--page-size 0", "--page-size must be between 1 and 1000"),
    ("--page-size 1001", "--page-size must be between 1 and 1000"),
    ("--limit 5 --concurrency 0", "--concurrency must be an integer from 1 to 32"),
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


def test_since_and_until_narrow_the_walk_and_the_export(ip: InteractiveShell,
                                                       tmp_path: Path) -> None:
    conn = default_connection()
    assert isinstance(conn, tw.Connection)
    first = conn.basic("Message", "List Messages")
    every = first.all(progress=False)
    expected = first.all(progress=False, since="2025-02-01", until="2025-03-31")
    assert 0 < len(expected) < len(every)
    got = line(ip, "Message.list --all --concurrency 4 --since 2025-02-01 --until 2025-03-31")
    pd.testing.assert_frame_equal(got, expected)
    path = tmp_path / "narrow.parquet"
    done = line(ip, f"Message.list --parquet {path} --since 2025-02-01 --until 2025-03-31")
    assert done.rows == len(expected)
    pd.testing.assert_frame_equal(pd.read_parquet(path), expected)


def test_overwrite_replaces_an_existing_file(ip: InteractiveShell, tmp_path: Path) -> None:
    path = tmp_path / "again.parquet"
    line(ip, f"Message.list --parquet {path} --until 2025-02-01")
    conn = default_connection()
    assert isinstance(conn, tw.Connection)
    sent = len(conn.history)
    with pytest.raises(UsageError, match="exists already: add --overwrite"):
        line(ip, f"Message.list --parquet {path} --concurrency 2")
    assert len(conn.history) == sent  # refused before anything was sent
    done = line(ip, f"Message.list --parquet {path} --concurrency 2 --overwrite")
    assert done.rows == 60
    pd.testing.assert_frame_equal(pd.read_parquet(path), line(ip, "Message.list --all"))


@pytest.mark.parametrize(("target", "match"), [
    ("{tmp}", "is a directory"),
    ("{tmp}/missing/m.parquet", "does not exist: create it first"),
])
def test_a_bad_parquet_path_is_refused_before_sending(ip: InteractiveShell, tmp_path: Path,
                                                      target: str, match: str) -> None:
    conn = default_connection()
    assert isinstance(conn, tw.Connection)
    sent = len(conn.history)
    with pytest.raises(UsageError, match=match):
        line(ip, "Message.list --parquet " + target.format(tmp=tmp_path))
    assert len(conn.history) == sent


def test_since_on_a_list_without_a_date_filter_is_refused_before_sending(
        ip: InteractiveShell) -> None:
    conn = default_connection()
    assert isinstance(conn, tw.Connection)
    sent = len(conn.history)
    with pytest.raises(UsageError, match="has no date filter"):
        line(ip, "IncomingPhoneNumber.list --all --since 2025-01-01")
    assert len(conn.history) == sent


def test_the_help_shows_the_bulk_options(ip: InteractiveShell,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    line(ip, "--help")
    shown = capsys.readouterr().out
    for flag in ("--since DATE", "--until DATE", "--overwrite", "--concurrency N"):
        assert flag in shown


def test_an_unfinished_export_of_another_request_is_refused_before_sending(
        ip: InteractiveShell, tmp_path: Path) -> None:
    path = tmp_path / "m.parquet"
    partial = tmp_path / "m.parquet.partial"
    partial.mkdir()
    (partial / "checkpoint.json").write_text(
        '{"version": 1, "request": "json https://api.twilio.com/2010-04-01/Accounts/AC1/'
        'Calls.json?PageSize=1000", "schema": null, "slices": [], "written": 0}')
    conn = default_connection()
    assert isinstance(conn, tw.Connection)
    sent = len(conn.history)
    with pytest.raises(UsageError, match=r"unfinished export of another request .*"
                                         r"add --overwrite to discard it"):
        line(ip, f"Message.list --parquet {path} --concurrency 2")
    assert len(conn.history) == sent  # refused before the first page was asked for
    done = line(ip, f"Message.list --parquet {path} --concurrency 2 --overwrite")
    assert done.rows == 60 and not partial.exists()
