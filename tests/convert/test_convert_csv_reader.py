"""CSV bodies are read by pyarrow's CSV reader (a third or less of the CPU of pandas' parser);
pandas' parser reads what pyarrow declines and says what is wrong with a bad body. The two must give
the same frame: for every list the sandbox serves, for Twilio-shaped bodies, and for any body
pyarrow accepts (hypothesis: quotes, commas, line breaks, blank cells, ragged rows)."""

from __future__ import annotations

import csv
import io

import httpx
import pandas as pd
import pytest
import twilio_bodies as tb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sandbox_lists import LISTS, A

from twilio_nb.convert._csv import _ARROW_TEXT, _read_arrow, _read_pandas
from twilio_nb.errors import ResponseFormatError

MESSAGES = 60


def _same(body: bytes) -> pd.DataFrame:
    if not _ARROW_TEXT:  # pandas 2.2: text is not Arrow-backed there, pandas reads every CSV
        pytest.skip("pyarrow's CSV reader is used only where pandas keeps text as Arrow (3.x)")
    fast = _read_arrow(body)
    assert fast is not None, "pyarrow's reader declined a regular body"
    pd.testing.assert_frame_equal(fast, _read_pandas(body), check_exact=True)
    return fast


@pytest.mark.parametrize("op_id,path", LISTS, ids=[p for _, p in LISTS])
def test_every_sandbox_list_reads_alike(client: httpx.Client, sids: dict[str, str],
                                        op_id: str, path: str) -> None:
    answer = client.get(f"{A}{path.format(**sids)}.csv", params={"PageSize": 50})
    assert answer.status_code == 200, answer.text
    if len(_read_pandas(answer.content)) == 0:  # a list with no records: pandas reads it
        assert _read_arrow(answer.content) is None
    else:
        _same(answer.content)


@pytest.mark.parametrize("records", [tb.messages(5), tb.calls(5)], ids=["messages", "calls"])
@pytest.mark.parametrize("pascal_case", [True, False])
def test_twilio_shaped_bodies_read_alike(records: list[dict[str, object]],
                                         pascal_case: bool) -> None:
    body = tb.as_csv(records, pascal_case=pascal_case)
    frame = _same(body)
    assert len(frame) == len(records)
    assert frame.isna().any().any()  # blank cells are missing values in both readers


def test_bodies_pyarrow_would_read_otherwise_go_to_pandas() -> None:
    for body in (b"Sid,Sid\nSM1,SM2\n",  # repeated names: pandas renames the second
                 b"Sid,\nSM1,x\n",  # a blank name
                 b'Sid\n""\nSM1\n',  # one column: pandas skips the "" row as blank
                 b"A,B\n\r,\n",  # a lone carriage return
                 b'"Sid",Body\nSM1,hi\n',  # a quoted header
                 b"Sid,Body\nSM1\n",  # a short row: pandas fills it
                 b"Sid,Body\n",  # no records
                 b'Sid,Body\nSM1,"open\n'):  # a quote never closed
        assert _read_arrow(body) is None, body


def test_a_bad_body_is_still_explained_by_pandas_parser() -> None:
    with pytest.raises(ResponseFormatError, match="Expected 2 fields in line 3, saw 3"):
        from twilio_nb.convert._column_names import NameMap
        from twilio_nb.convert._csv import read_csv

        read_csv(b"Sid,Body\nSM1,a\nSM2,b,c\n", NameMap())


_CELL = st.one_of(st.just(""), st.text(alphabet='ab é,"\n\r []{}:+-0123456789\t', max_size=12))
_NAME = st.text(alphabet="ABCabc_. é", min_size=1, max_size=6)


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(names=st.lists(_NAME, min_size=1, max_size=5, unique=True),
       rows=st.lists(st.lists(_CELL, min_size=0, max_size=6), min_size=0, max_size=6),
       quoted=st.booleans(), crlf=st.booleans())
def test_any_body_pyarrow_accepts_reads_as_pandas_reads_it(
        names: list[str], rows: list[list[str]], quoted: bool, crlf: bool) -> None:
    end = "\r\n" if crlf else "\n"
    if quoted:  # what a CSV writer makes: fields quoted where needed
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator=end).writerows([names, *rows])
        text = buffer.getvalue()
    else:  # cells as they are: stray quotes, ragged rows, line breaks anywhere
        text = end.join(",".join(row) for row in [names, *rows]) + end
    body = text.encode("utf-8")
    fast = _read_arrow(body)
    if fast is None:
        return
    pd.testing.assert_frame_equal(fast, _read_pandas(body), check_exact=True)


def test_object_cells_decode_alike_when_one_is_not_json() -> None:
    from twilio_nb.convert._csv import decode_object_cells

    frame = pd.DataFrame({"subresource_uris": ['{"media": "/m"}', "{not json", None, ""]})
    out = decode_object_cells(frame, ["subresource_uris"])["subresource_uris"].tolist()
    assert out[:2] == [{"media": "/m"}, "{not json"] and pd.isna(out[2]) and out[3] == ""
