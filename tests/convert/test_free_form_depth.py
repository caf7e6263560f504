"""Only the free-form objects known per operation keep their values as text (a call event's
``request.parameters``, see test_free_form_values.py): an object that merely happens to be
called ``parameters`` in another product's answer is typed like any nested object (a JSON
number stays a number)."""

from __future__ import annotations

import json

from twilio_nb import catalog
from twilio_nb.convert import read_page


def test_an_object_called_parameters_elsewhere_is_typed_as_nested_fields() -> None:
    op = next(o for o in catalog.operations()
              if o.operation_id == "FetchIncomingPhoneNumber")
    body = json.dumps({"sid": "PN" + "1" * 32, "capabilities": {
        "sms": True, "parameters": {"timeout": 55, "ratio": 0.5}}}).encode()
    frame = read_page(body, "json", op).parse().frame
    assert str(frame["capabilities.parameters.timeout"].dtype) == "Int64"
    assert frame["capabilities.parameters.timeout"].tolist() == [55]
    assert frame["capabilities.parameters.ratio"].tolist() == [0.5]
