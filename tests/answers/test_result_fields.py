"""What a Result's columns mean: ``r.fields`` (dtype and Twilio's words, read at run time from
../shared/twilio-oai) and the HTML table's header titles; the text display is unchanged."""

from __future__ import annotations

import html
import re

import oai_oracle
import pytest

import twilio_nb as tw
from twilio_nb.catalog import words
from twilio_nb.sandbox import Sandbox


@pytest.fixture(scope="module")
def listed() -> tw.Result:
    return tw.Connection(sandbox=Sandbox(messages=30)).basic("Message", "List Messages")


@oai_oracle.needs_specs()
def test_fields_describe_nine_tenths_of_list_messages_columns(listed: tw.Result) -> None:
    fields = listed.fields
    assert list(fields["name"]) == [str(c) for c in listed.df.columns]
    assert list(fields.columns) == ["name", "dtype", "type", "description", "enum",
                                    "deprecated"]
    assert (fields["description"] != "").mean() >= 0.9
    rows = fields.set_index("name")
    assert rows.loc["num_segments", "dtype"] == str(listed.df["num_segments"].dtype)
    op = tw.catalog.find("Message", "List Messages")
    texts = oai_oracle.field_texts(op)
    assert rows.loc["price", "description"] == oai_oracle.as_text(texts["price"])


@oai_oracle.needs_specs()
def test_a_nested_column_takes_its_parents_words(listed: tw.Result) -> None:
    rows = listed.fields.set_index("name")
    parent = oai_oracle.field_texts(tw.catalog.find("Message", "List Messages"))
    assert "subresource_uris.media" in rows.index  # the spec has no words of its own for it
    assert rows.loc["subresource_uris.media", "description"] == \
        oai_oracle.as_text(parent["subresource_uris"])


@oai_oracle.needs_specs()
def test_the_html_headers_carry_each_fields_meaning(listed: tw.Result) -> None:
    page = listed._repr_html_()
    meaning = oai_oracle.as_text(oai_oracle.field_texts(
        tw.catalog.find("Message", "List Messages"))["num_segments"])
    header = re.search(r'<th title="([^"]*)">num_segments</th>', page)
    assert header is not None and html.unescape(header.group(1)) == meaning
    assert "title=" not in listed.to_text() and meaning not in listed.to_text()


def test_without_the_words_fields_still_lists_columns_and_types(
        monkeypatch: pytest.MonkeyPatch, tmp_path: object, listed: tw.Result) -> None:
    monkeypatch.setenv(words.ENV, str(tmp_path))  # a folder without twilio-oai's files
    words.forget()
    try:
        with pytest.warns(tw.TwilioWarning, match=words.ENV):
            fields = listed.fields
        assert set(fields["description"]) == {""} and "num_segments" in set(fields["name"])
        assert "<th>num_segments</th>" in listed._repr_html_()
    finally:
        words.forget()
