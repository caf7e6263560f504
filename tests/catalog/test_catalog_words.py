"""Twilio's words for parameters and answer fields: read at run time from twilio-oai (through
TWILIO_NB_OPENAPI, a folder or a URL; else downloaded and cached), never carried by the project.
Expected texts come from ../shared/twilio-oai at test time (tests/support/oai_oracle.py)."""

from __future__ import annotations

import random
import subprocess
import warnings
from collections.abc import Iterator
from pathlib import Path

import oai_oracle
import pytest

import twilio_nb as tw
from twilio_nb.catalog import _data, words

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def fresh_words() -> Iterator[None]:
    words.forget()
    yield
    words.forget()


def _sample() -> list[tw.catalog.Operation]:
    ops = tw.catalog.operations()
    v2010 = [o for o in ops if o.is_v2010]
    others = [o for o in ops if not o.is_v2010]
    return v2010 + random.Random(2010).sample(others, 150)


@oai_oracle.needs_specs()
def test_describe_gives_each_parameter_twilios_words_and_the_deprecated_flag() -> None:
    frame = tw.catalog.describe("Message", "Send Message")
    assert list(frame.columns)[-2:] == ["description", "deprecated"]
    op = tw.catalog.find("Message", "Send Message")
    expected = oai_oracle.param_texts(op)
    rows = frame.set_index("name")
    assert rows.loc["To", "description"] == oai_oracle.as_text(expected["To"])
    assert bool(rows.loc["MaxPrice", "deprecated"]) and not bool(rows.loc["To", "deprecated"])
    assert frame.attrs["summary"] == oai_oracle.as_text(oai_oracle.op_doc(op)["summary"])
    assert "note" not in frame.attrs


@oai_oracle.needs_specs()
def test_v2010_and_150_others_carry_98_percent_of_the_words() -> None:
    params = fields = params_ok = fields_ok = 0
    for op in _sample():
        got = dict(zip(*[tw.catalog.describe(op.entity, op.label)[c]
                         for c in ("name", "description")], strict=True))
        for name, text in oai_oracle.param_texts(op).items():
            if name in got:
                params += 1
                params_ok += got[name] == oai_oracle.as_text(text)
        if op.resource:
            frame = tw.catalog.fields(op.entity, op.label)
            shown = dict(zip(frame["name"], frame["description"], strict=True))
            for name, text in oai_oracle.field_texts(op).items():
                fields += 1
                fields_ok += shown.get(name) == oai_oracle.as_text(text)
    assert params > 1500 and fields > 2000
    assert params_ok / params >= 0.98, (params_ok, params)
    assert fields_ok / fields >= 0.98, (fields_ok, fields)


@oai_oracle.needs_specs()
def test_fields_are_named_as_the_frame_names_its_columns() -> None:
    frame = tw.catalog.fields("Message", "List Messages")
    assert list(frame.columns) == ["name", "type", "description", "enum", "deprecated"]
    assert {"num_segments", "subresource_uris", "date_sent", "price"} <= set(frame["name"])
    op = tw.catalog.find("Message", "List Messages")
    row = frame.set_index("name").loc["num_segments"]
    assert row["description"] == oai_oracle.as_text(oai_oracle.field_texts(op)["num_segments"])
    assert "outbound-api" in frame.set_index("name").loc["direction", "enum"]


def test_offline_and_uncached_gives_names_types_flags_and_one_note(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv(words.ENV, "http://127.0.0.1:9/twilio-oai/")  # nothing listens there
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        frame = tw.catalog.describe("Message", "Send Message")
        fields = tw.catalog.fields("Message", "List Messages")
        again = tw.catalog.describe("Call", "List Calls")
    assert "To" in set(frame["name"]) and bool(frame.set_index("name").loc["MaxPrice",
                                                                          "deprecated"])
    assert set(frame["description"]) == {""} and set(fields["description"]) == {""}
    assert "num_segments" in set(fields["name"]) and len(again) > 5
    notes = [w for w in caught if issubclass(w.category, tw.TwilioWarning)]
    assert len(notes) == 1
    assert words.ENV in str(notes[0].message) and frame.attrs["note"] == str(notes[0].message)


def test_offline_waits_once_not_once_per_product(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No connection to the source: the next product's file is not tried again (an offline
    notebook would wait for every product otherwise)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv(words.ENV, "http://127.0.0.1:9/twilio-oai/")  # nothing listens there
    tried: list[str] = []
    download = words._download

    def counted(url: str, target: Path) -> None:
        tried.append(url)
        download(url, target)

    monkeypatch.setattr(words, "_download", counted)
    other = tw.catalog.operations("Conversation")[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tw.catalog.describe("Message", "Send Message")
        tw.catalog.describe(other.entity, other.label)
    assert len(tried) == 1 and tried[0].endswith("twilio_api_v2010.json")
    assert other.spec != "api_v2010"  # another product's file, not tried


@oai_oracle.needs_specs()
def test_a_url_downloads_once_and_a_later_run_reads_the_cache(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, server: object) -> None:
    lb = server
    spec_file = oai_oracle.SPECS / "twilio_api_v2010.json"
    lb.route("/oai/", lambda seen: (200, {"Content-Type": "application/json"},  # type: ignore[attr-defined]
                                    spec_file.read_bytes()))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv(words.ENV, lb.url + "/oai/")  # type: ignore[attr-defined]
    first = tw.catalog.describe("Message", "Send Message")
    assert lb.count("GET", "/oai/twilio_api_v2010.json") == 1  # type: ignore[attr-defined]
    tw.catalog.describe("Call", "List Calls")  # the same product: no second download
    assert lb.count("GET", "/oai/") == 1  # type: ignore[attr-defined]
    assert list(tmp_path.rglob("twilio_api_v2010.json"))
    lb.stop()  # type: ignore[attr-defined]
    words.forget()
    second = tw.catalog.describe("Message", "Send Message")
    assert list(second["description"]) == list(first["description"])
    assert second.set_index("name").loc["To", "description"]


def test_markdown_links_read_well_as_text_and_html() -> None:
    text = "Use the [Messaging Service](https://example.com/ms) & [docs](https://example.com/d)."
    assert words.plain(text) == ("Use the Messaging Service (https://example.com/ms) & docs "
                                 "(https://example.com/d).")
    html = words.as_html(text)
    assert '<a href="https://example.com/ms" target="_blank">Messaging Service</a>' in html
    assert "&amp;" in html and "[" not in html


def test_the_catalog_keeps_facts_not_words() -> None:
    data = _data()
    assert data["twilio_oai"]["release"] and len(data["twilio_oai"]["commit"]) == 40
    texts: list[str] = []

    def walk(node: object) -> None:  # a "description" or "summary" holding text: words
        if isinstance(node, dict):
            texts.extend(v for k, v in node.items()
                         if k in ("description", "summary") and isinstance(v, str))
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(data)
    assert texts == []
    send = tw.catalog.find("Message", "Send Message")
    assert send.param("MaxPrice").deprecated and not send.param("To").deprecated  # type: ignore[union-attr]


@oai_oracle.needs_specs()
def test_the_pinned_release_is_the_one_the_specs_came_from() -> None:
    readme = (oai_oracle.SPECS / "README.md").read_text("utf-8")
    info = _data()["twilio_oai"]
    assert info["commit"] in readme and info["release"] in readme
    assert words.source().startswith(str(oai_oracle.SPECS))  # the suite reads the folder


@oai_oracle.needs_specs()
def test_none_of_60_of_twilios_sentences_is_in_the_repository() -> None:
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout.split()
    texts = []
    for name in listed:
        path = ROOT / name
        if path.is_file() and path.stat().st_size < 5_000_000:
            texts.append(path.read_bytes().decode("utf-8", "ignore"))
    tree = "\n".join(texts)
    found = [s for s in oai_oracle.sentences(60) if s in tree]
    assert found == []
