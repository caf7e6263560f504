"""{column} templates filled from a row: values kept, text encoded, gaps named."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from twilio_nb.batch.templates import TemplateError, columns_of, fill
from twilio_nb.errors import ConfigurationError


def test_a_whole_field_keeps_the_value_and_text_is_filled() -> None:
    row = {"phone": "+14155550101", "n": np.int64(3), "media": ["a", "b"], "x": 2.0}
    out = fill({"To": "{phone}", "N": "{n}", "MediaUrl": "{media}", "Body": "{{n}} is {n}, {x}",
                "Fixed": 7}, row)
    assert out == {"To": "+14155550101", "N": 3, "MediaUrl": ["a", "b"],
                   "Body": "{n} is 3, 2", "Fixed": 7}
    assert type(out["N"]) is int  # type: ignore[index]


def test_form_text_values_are_percent_encoded() -> None:
    assert fill("To={phone}&Body=Hi {name}", {"phone": "+1415", "name": "A&B"},
                form_text=True) == "To=%2B1415&Body=Hi A%26B"


@pytest.mark.parametrize("gap", [None, float("nan"), pd.NA, pd.NaT, np.float64("nan")])
def test_an_empty_value_is_a_problem_naming_the_column(gap: object) -> None:
    with pytest.raises(TemplateError) as err:
        fill({"To": "{phone}", "Body": "Hi {name}"}, {"phone": gap, "name": "Ann"})
    assert [p.column for p in err.value.problems] == ["phone"]


def test_only_plain_column_names_fill() -> None:
    for bad in ("{name.upper}", "{name[0]}", "{name!r}", "{name:>5}", "{}", "{name"):
        with pytest.raises(ConfigurationError):
            columns_of({"Body": bad})
    assert columns_of({"To": "{phone}", "Body": "Hi {name} {phone}", "N": 3}) == ["phone", "name"]


def test_a_template_function_that_raises_is_the_rows_problem() -> None:
    with pytest.raises(TemplateError, match="KeyError"):
        fill(lambda r: {"To": r["nope"]}, {"phone": "+1"})
