"""A batch is what it means: a dict and the same JSON text are one batch (Python, then the
magic), another body function on an old checkpoint is refused (never "done before"), and the
refusal names the first row and column or field that differs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from batch_rows import BODY, FROM, customers, sent_per_recipient
from IPython.core.interactiveshell import InteractiveShell

import twilio_nb as tw
from twilio_nb.batch.identity import function_identity
from twilio_nb.sandbox import Sandbox
from twilio_nb.session.default import default_connection


@pytest.fixture
def conn() -> tw.Connection:
    return tw.Connection(sandbox=Sandbox(messages=0), backoff_base_s=0.01)


def _send(conn: tw.Connection, rows: Any, body: Any, ck: Path) -> tw.Batch:
    return conn.batch("Message", "Send Message", rows, body=body, checkpoint=ck,
                      progress=False)


def test_another_body_function_on_an_old_checkpoint_is_refused_naming_the_field(
        conn: tw.Connection, tmp_path: Path) -> None:
    ck, rows = tmp_path / "reminder.batch", customers(3)
    _send(conn, rows, lambda r: {"From": FROM, "To": r["phone"], "Body": "Reminder"}, ck)
    with pytest.raises(tw.ConfigurationError) as err:
        _send(conn, rows, lambda r: {"From": FROM, "To": r["phone"], "Body": "Thank you"}, ck)
    text = str(err.value)
    assert "another batch: row 'c0': the field 'Body'" in text
    assert "sends every row again" in text and "b.failed" in text
    assert conn.sandbox is not None
    bodies = conn.basic("Message", "List Messages", query={"PageSize": 50}).df["body"]
    assert list(bodies).count("Reminder") == 3 and "Thank you" not in list(bodies)


def test_a_redefined_function_is_another_batch_unless_it_makes_the_same_requests(
        conn: tw.Connection, tmp_path: Path) -> None:
    ck, rows = tmp_path / "redefined.batch", customers(2)

    def body(row: dict[str, Any]) -> dict[str, Any]:
        return {"From": FROM, "To": row["phone"], "Body": f"Hi {row['name']}"}

    _send(conn, rows, body, ck)

    def body(row: dict[str, Any]) -> dict[str, Any]:  # type: ignore[no-redef]
        return {"From": FROM, "To": row["phone"], "Body": f"Hello {row['name']}"}

    with pytest.raises(tw.ConfigurationError, match="row 'c0': the field 'Body'"):
        _send(conn, rows, body, ck)

    def body(row: dict[str, Any]) -> dict[str, Any]:  # type: ignore[no-redef]
        text = "Hi " + str(row["name"])  # other code, the same request for every row
        return {"From": FROM, "To": row["phone"], "Body": text}

    with pytest.warns(tw.TwilioWarning, match="make the same request for every row"):
        again = _send(conn, rows, body, ck)
    assert again.df["note"].str.startswith("from the checkpoint").all()


def test_a_function_is_known_by_its_code_and_values_not_its_name() -> None:
    def make(word: str) -> Any:
        return lambda r: {"Body": word + r["name"]}

    same_a, same_b, other = make("Hi "), make("Hi "), make("Bye ")
    assert function_identity(same_a) == function_identity(same_b)
    assert function_identity(same_a) != function_identity(other)

    class Callable:
        def __call__(self, row: dict[str, Any]) -> dict[str, Any]:
            return {}

    assert function_identity(Callable())["unknown"], "what cannot be known is said"


def test_the_same_template_as_a_dict_and_as_json_text_is_one_batch(
        ip: InteractiveShell, tmp_path: Path) -> None:
    conn = default_connection()
    assert conn is not None and conn.sandbox is not None
    rows = customers(4)
    ck = tmp_path / "one.batch"
    body = {"From": FROM, "To": "{phone}", "Body": "Hi {name}, your code {token}"}
    _send(conn, rows, body, ck)
    ip.user_ns["customers"] = rows
    cell = ('{"Body": "Hi {name}, your code {token}", "To": "{phone}", '
            f'"From": "{FROM}"}}')
    again = ip.run_cell_magic("twilio", f"Message.create --each customers --checkpoint {ck}",
                              cell)
    assert again.df["note"].str.startswith("from the checkpoint").all()
    assert sent_per_recipient(conn, rows["token"].iloc[0]) == {p: 1 for p in rows["phone"]}


def test_other_rows_are_refused_naming_the_first_row_and_column(
        conn: tw.Connection, tmp_path: Path) -> None:
    ck, rows = tmp_path / "rows.batch", customers(5)
    _send(conn, rows, BODY, ck)
    changed = rows.copy()
    changed.loc["c3", "name"] = "Someone else"
    with pytest.raises(tw.ConfigurationError, match="row 'c3': column 'name' differs"):
        _send(conn, changed, BODY, ck)
    with pytest.raises(tw.ConfigurationError, match="it has 5 rows; these are 4"):
        _send(conn, rows.iloc[:4], BODY, ck)
