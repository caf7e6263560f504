"""The README and docs/: the configuration reference cannot drift from the code, the README
stays short, and every relative link points at a file that exists."""

from __future__ import annotations

import inspect
import re
from pathlib import Path
from urllib.parse import unquote

import pytest

from twilio_nb import Connection
from twilio_nb.magics import TwilioMagics
from twilio_nb.magics.parse import CONNECT_OPTIONS, REQUEST_OPTIONS

ROOT = Path(__file__).resolve().parents[2]
README_PATH = ROOT / "README.md"
README = README_PATH.read_text()
REFERENCE_PATH = ROOT / "docs" / "configuration.md"
REFERENCE = REFERENCE_PATH.read_text()
SECTION = REFERENCE.split("## The adapter's fields", 1)[1].split("\n## ", 1)[0]

CONNECTION_FIELDS = ["Address", "Authentication Type", "Credential Name", "Reuse Connection",
                     "Connection Timeout (in ms)", "Response Timeout (in ms)"]
PROCESSING_FIELDS = ["Configuration Type", "Entity", "Operation", "Operation Parameters",
                     "Body", "HTTP Method", "Relative URL", "Send Body", "Query",
                     "Next Page URI", "Response Format", "Request Headers", "Response Headers"]


def table_rows(text: str) -> list[list[str]]:
    return [[c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
            for line in text.splitlines() if line.startswith("|") and "---" not in line]


def test_the_readme_links_the_configuration_reference() -> None:
    assert "(docs/configuration.md)" in README


def test_every_adapter_field_has_a_row_with_python_magic_and_form() -> None:
    first_cells = [row[0] for row in table_rows(SECTION)]
    for field in CONNECTION_FIELDS + PROCESSING_FIELDS:
        assert any(cell == field or cell.startswith(field + " (") for cell in first_cells), field
    for row in table_rows(SECTION):
        if row[0] in CONNECTION_FIELDS + PROCESSING_FIELDS:
            assert len(row) == 4 and all(row[1:3]), row


def test_every_connection_argument_named_in_the_reference_exists() -> None:
    parameters = set(inspect.signature(Connection).parameters)
    rows = [row for row in table_rows(SECTION) if row[0] in CONNECTION_FIELDS]
    assert len(rows) == len(CONNECTION_FIELDS)
    for row in rows:
        names = re.findall(r"\b([a-z_]+)=", row[1])
        assert names and all(name in parameters for name in names), row


def test_every_magic_option_is_in_the_reference() -> None:
    for option in REQUEST_OPTIONS + CONNECT_OPTIONS:
        assert any(flag in REFERENCE for flag in option.flags), option.flags


def test_every_config_trait_is_in_the_reference_with_its_default() -> None:
    traits = TwilioMagics.class_traits(config=True)
    assert traits
    section = REFERENCE.split("## `%config TwilioMagics` traits", 1)[1].split("\n## ", 1)[0]
    rows = {row[0].strip("`"): row[1] for row in table_rows(section)[1:]}
    assert set(rows) == set(traits)
    for name, trait in traits.items():
        assert rows[name].strip("`") == repr(trait.default_value).replace("'", '"'), name


def test_the_two_setup_commands_are_shown() -> None:
    setup = README.split("## Set up", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"^bash scripts/\S+", setup, re.M)
    assert commands == ["bash scripts/quickstart.sh", "bash scripts/test.sh"]
    ci = (ROOT / ".ci" / "run").read_text()
    assert "scripts/test.sh" in ci


def test_the_readme_is_at_most_15_kb() -> None:
    assert len(README_PATH.read_bytes()) <= 15_000


MARKDOWN = [README_PATH, *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")


@pytest.mark.parametrize("page", MARKDOWN, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_points_at_a_file(page: Path) -> None:
    text = re.sub(r"```.*?```", "", page.read_text(), flags=re.S)
    targets = [t for t in LINK.findall(text) if not re.match(r"[a-z]+:|#", t)]
    missing = [t for t in targets if not (page.parent / unquote(t.split("#")[0])).exists()]
    assert not missing, missing


def test_the_readme_anchors_exist() -> None:
    anchors = {re.sub(r"[^a-z0-9 -]", "", h.lower()).replace(" ", "-")
               for h in re.findall(r"^#+ (.+)$", README, re.M)}
    assert set(re.findall(r"\]\(#([^)]+)\)", README)) <= anchors
