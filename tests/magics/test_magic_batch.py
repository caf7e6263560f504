"""%%twilio Message.create --each VAR: a batch from a real IPython shell."""

from __future__ import annotations

from pathlib import Path

import pytest
from batch_rows import customers
from IPython.core.error import UsageError
from IPython.core.interactiveshell import InteractiveShell

from twilio_nb.batch import Batch
from twilio_nb.session.default import default_connection

CELL = '{"From": "+14155550100", "To": "{phone}", "Body": "Hi {name}"}'


def test_each_with_dry_run_builds_every_row_and_sends_nothing(ip: InteractiveShell) -> None:
    conn = default_connection()
    assert conn is not None and conn.sandbox is not None
    ip.user_ns["customers"] = customers(4)
    ip.user_ns["name"] = "NOT A TEMPLATE"  # a notebook variable: the cell is not expanded
    before = conn.sandbox.stats.total_requests
    b = ip.run_cell_magic("twilio", "Message.create --each customers --dry-run", CELL)
    assert isinstance(b, Batch) and b.dry_run
    assert conn.sandbox.stats.total_requests == before
    assert list(b.requests.index) == ["c0", "c1", "c2", "c3"]
    assert "Body=Hi Customer 2" in b.requests.loc["c2", "body"]


def test_each_sends_one_message_per_row_with_a_checkpoint(ip: InteractiveShell,
                                                          tmp_path: Path) -> None:
    rows = customers(5, bad={1: "+15005550001"})
    ip.user_ns["customers"] = rows
    ck = tmp_path / "m.batch"
    ip.run_cell_magic("twilio", f"Message.create --each customers --concurrency 3 "
                                f"--checkpoint {ck} -o sent", CELL)
    b = ip.user_ns["sent"]
    assert list(b.df["outcome"]) == ["sent", "failed", "sent", "sent", "sent"]
    assert b.df.loc["c1", "error_code"] == 21211 and ck.exists()
    again = ip.run_cell_magic("twilio", f"Message.create --each customers --checkpoint {ck}",
                              CELL)
    assert list(again.df["sid"].dropna()) == list(b.df["sid"].dropna())  # nothing sent again


def test_each_mistakes_are_usage_errors(ip: InteractiveShell) -> None:
    ip.user_ns["customers"] = customers(2)
    with pytest.raises(UsageError, match="no variable"):
        ip.run_cell_magic("twilio", "Message.create --each nobody", CELL)
    with pytest.raises(UsageError, match="--checkpoint applies to --each"):
        ip.run_cell_magic("twilio", "Message.create --checkpoint x.batch", CELL)
    with pytest.raises(UsageError, match="'nickname'"):
        ip.run_cell_magic("twilio", "Message.create --each customers",
                          CELL.replace("{name}", "{nickname}"))
    with pytest.raises(UsageError, match="concurrency"):
        ip.run_cell_magic("twilio", "Message.create --each customers --concurrency 99", CELL)
    for ignored in ("--format xml", "--all", "--header 'X-A: 1'", "--df", "--since 2025-02-01",
                    "--until 2025-02-01", "--overwrite"):  # no use in a batch
        with pytest.raises(UsageError, match=f"leave out {ignored.split()[0]}"):
            ip.run_cell_magic("twilio", f"Message.create --each customers {ignored}", CELL)
    with pytest.raises(UsageError, match="not JSON"):  # the core reads the cell's template
        ip.run_cell_magic("twilio", "Message.create --each customers", "{To: {phone}}")


def test_the_help_names_each_and_checkpoint(ip: InteractiveShell) -> None:
    from twilio_nb.magics.parse import help_text

    text = help_text()
    assert "--each VAR" in text and "--checkpoint PATH" in text


def test_a_checkpoint_of_another_sandbox_is_refused_and_start_again_goes_on(
        ip: InteractiveShell, tmp_path: Path) -> None:
    import twilio_nb as tw
    from twilio_nb.sandbox import Sandbox

    rows = customers(3)
    ip.user_ns["customers"] = rows
    ck = tmp_path / "elsewhere.batch"
    tw.Connection(sandbox=Sandbox(messages=0)).batch(
        "Message", "Send Message", rows, body=CELL, checkpoint=ck, progress=False)
    conn = default_connection()
    assert conn is not None and conn.sandbox is not None
    before = conn.sandbox.stats.total_requests
    with pytest.raises(UsageError, match=r"another target.*--start-again"):
        ip.run_cell_magic("twilio", f"Message.create --each customers --checkpoint {ck}", CELL)
    assert conn.sandbox.stats.total_requests == before
    with pytest.warns(tw.TwilioWarning, match="kept as"):
        b = ip.run_cell_magic("twilio", f"Message.create --each customers --checkpoint {ck} "
                                        "--start-again", CELL)
    assert b.counts["sent"] == 3
    with pytest.raises(UsageError, match="--start-again applies to --checkpoint"):
        ip.run_cell_magic("twilio", "Message.create --each customers --start-again", CELL)
