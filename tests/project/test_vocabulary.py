"""One vocabulary: formats, methods, write verbs and auth types defined once, and every choice
a front end offers is one the core accepts."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from twilio_nb import vocabulary
from twilio_nb.errors import ConfigurationError
from twilio_nb.vocabulary import (
    AUTH_TYPES,
    FORMAT_LABELS,
    FORMATS,
    METHODS,
    WRITE_METHODS,
    normalize_auth_type,
    normalize_format,
)

PACKAGE = Path(__file__).resolve().parents[2] / "twilio_nb"
WORDS = {"FORMATS": set(FORMATS), "METHODS": set(METHODS), "WRITES": set(WRITE_METHODS),
         "AUTH": set(AUTH_TYPES), "LABELS": set(FORMAT_LABELS.values())}


def _literal_sets(path: Path) -> list[tuple[int, set[str]]]:
    """Every tuple, list or set literal of two or more strings in ``path`` (a dict keyed by
    the vocabulary maps each word to something else: no list of the words)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        items: list[ast.expr] = []
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            items = list(node.elts)
        words = {i.value for i in items if isinstance(i, ast.Constant) and isinstance(i.value, str)}
        if len(words) >= 2 and len(words) == len(items):
            found.append((node.lineno, words))
    return found


def test_the_vocabulary_is_written_once() -> None:
    """No module but vocabulary.py (and the sandbox, which plays Twilio) spells out a list of
    the formats, the methods, the write verbs, the auth types or the format labels."""
    repeated = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "vocabulary.py" or "sandbox" in path.parts:
            continue
        for line, words in _literal_sets(path):
            for name, vocab in WORDS.items():
                if words == vocab:
                    repeated.append(f"{path.relative_to(PACKAGE)}:{line} repeats {name}")
    assert not repeated, repeated


@pytest.mark.parametrize(("given", "want"), [
    (None, "json"), ("Application/JSON", "json"), (" application/xml ", "xml"),
    ("text/xml", "xml"), ("Text/CSV", "csv"), ("CSV", "csv")])
def test_formats_from_labels_mime_types_and_names(given: str | None, want: str) -> None:
    assert normalize_format(given) == want


def test_every_label_is_accepted_and_an_unknown_format_names_the_choices() -> None:
    assert {normalize_format(label) for label in FORMAT_LABELS.values()} == set(FORMATS)
    with pytest.raises(ConfigurationError, match="Application/JSON") as err:
        normalize_format("yaml")
    assert err.value.field == "Response Format"


@pytest.mark.parametrize(("given", "want"), [
    (None, "json"), ("json", "json"), ("Application/JSON", "json"), ("application/xml", "xml"),
    ("XML", "xml"), ("Text/CSV", "csv"), ("csv", "csv")])
def test_normalize_format(given: str | None, want: str) -> None:
    assert normalize_format(given) == want


def test_an_unknown_format_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="Application/JSON") as err:
        normalize_format("yaml")
    assert err.value.field == "Response Format"


@pytest.mark.parametrize(("given", "want"), [
    (None, None), ("api_key", "api_key"), ("API Key", "api_key"), ("api-key", "api_key"),
    ("ApiKey", "api_key"), ("Auth Token", "auth_token"), ("auth_token", "auth_token")])
def test_auth_types_from_keys_and_labels(given: str | None, want: str | None) -> None:
    assert normalize_auth_type(given) == want


def test_an_unknown_auth_type_is_refused_with_the_choices() -> None:
    with pytest.raises(ConfigurationError, match="'api_key' \\(API Key\\)") as err:
        normalize_auth_type("oauth")
    assert err.value.field == "Authentication Type"


def test_write_methods_are_methods() -> None:
    assert set(WRITE_METHODS) < set(METHODS) and set(vocabulary.FORMAT_MENU) == set(FORMATS)


def test_front_ends_offer_the_vocabulary() -> None:
    from twilio_nb.widgets.connection_tab import AUTH_OPTIONS
    from twilio_nb.widgets.processing_tab import FORMAT_OPTIONS

    assert dict(AUTH_OPTIONS) == {label: key for key, label in AUTH_TYPES.items()}
    assert [normalize_format(label) for label, _ in FORMAT_OPTIONS] == [
        value for _, value in FORMAT_OPTIONS]
