"""Values as users have them: a phone column read with gaps (floats) and numpy integers reach
Twilio without ".0", in exact "{col}" templates, inside text and through a function; a
function's missing value (None, NaN, NA) is refused before anything is sent, never "nan"."""

from __future__ import annotations

import io
from typing import Any

import numpy as np
import pandas as pd
import pytest
from fake_twilio import FakeTwilio

import twilio_nb as tw

ONE = "AC" + "1" * 32
CSV = "id,phone,points,name\nc0,14155550100,10,Ann\nc1,,,Bo\nc2,14155550102,30,Cy\n"


def _read() -> pd.DataFrame:
    """What read_csv gives a phone column with a gap: floats (14155550100.0)."""
    rows = pd.read_csv(io.StringIO(CSV), index_col="id").dropna(subset=["phone"])
    assert rows["phone"].dtype == float
    rows["n"] = np.int64(7)
    return rows


@pytest.mark.parametrize("body", [
    {"From": "+14155550199", "To": "+{phone}", "Body": "You have {points} points, {n} days"},
    {"From": "+14155550199", "To": "{phone}", "Body": "{points}"},
    lambda r: {"From": "+14155550199", "To": r["phone"], "Body": f"{r['points']} / {r['n']}"},
], ids=["inside text", "exact", "function"])
def test_whole_number_floats_never_reach_twilio_as_dot_zero(body: Any) -> None:
    fake = FakeTwilio({ONE: "token"})
    b = fake.connection(ONE).batch("Message", "Send Message", _read(), body=body,
                                   progress=False)
    assert b.counts["sent"] == 2
    sent = fake.messages[ONE]
    assert [str(m["to"]).lstrip("+") for m in sent] == ["14155550100", "14155550102"]
    assert not any(".0" in str(m["body"]) for m in sent), sent
    assert ".0" not in "".join(b.requests["body"])


@pytest.mark.parametrize("gap", [None, float("nan"), pd.NA])
def test_a_functions_missing_value_is_refused_before_sending(gap: Any) -> None:
    fake = FakeTwilio({ONE: "token"})
    rows = pd.DataFrame({"phone": ["+14155550100", "+14155550101"], "name": ["Ann", gap]},
                        index=["c0", "c1"]).astype(object)
    rows.loc["c1", "name"] = gap
    conn = fake.connection(ONE)
    for body in (lambda r: {"From": "+14155550199", "To": r["phone"], "Body": r["name"]},
                 lambda r: {"From": "+14155550199", "To": r["phone"],
                            "Body": f"Hi {r['name']}"}):
        with pytest.raises(tw.ConfigurationError) as err:
            conn.batch("Message", "Send Message", rows, body=body, progress=False)
        assert "row 'c1'" in str(err.value) and "'Body'" in str(err.value)
        assert "nothing was sent" in str(err.value) and "row 'c0'" not in str(err.value)
    assert fake.requests == 0
