"""The README's configuration reference cannot drift from the code."""

from __future__ import annotations

import re
from pathlib import Path

from twilio_nb.magics.parse import CONNECT_OPTIONS, REQUEST_OPTIONS

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()
SECTION = README.split("## Configuration reference", 1)[1].split("\n## ", 1)[0]

CONNECTION_FIELDS = ["Address", "Authentication Type", "Credential Name", "Reuse Connection",
                     "Connection Timeout (in ms)", "Response Timeout (in ms)"]
PROCESSING_FIELDS = ["Configuration Type", "Entity", "Operation", "Operation Parameters",
                     "Body", "HTTP Method", "Relative URL", "Send Body", "Query",
                     "Next Page URI", "Response Format", "Request Headers", "Response Headers"]


def table_rows(text: str) -> list[list[str]]:
    return [[c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
            for line in text.splitlines() if line.startswith("|") and "---" not in line]


def test_every_adapter_field_has_a_row_with_python_magic_and_form() -> None:
    first_cells = [row[0] for row in table_rows(SECTION)]
    for field in CONNECTION_FIELDS + PROCESSING_FIELDS:
        assert any(cell == field or cell.startswith(field + " (") for cell in first_cells), field
    for row in table_rows(SECTION):
        if row[0] in CONNECTION_FIELDS + PROCESSING_FIELDS:
            assert len(row) == 4 and all(row[1:3]), row


def test_every_magic_option_is_in_the_reference() -> None:
    for option in REQUEST_OPTIONS + CONNECT_OPTIONS:
        assert any(flag in SECTION for flag in option.flags), option.flags


def test_the_two_setup_commands_are_shown() -> None:
    setup = README.split("## Set up", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"^bash scripts/\S+", setup, re.M)
    assert commands == ["bash scripts/quickstart.sh", "bash scripts/test.sh"]
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text()
    assert "scripts/test.sh" in ci
