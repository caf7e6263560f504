"""Before sending: a deprecated parameter is warned about once, with Twilio's words (read at run
time from ../shared/twilio-oai); a number that cannot be valid for its country is warned about
(phonenumbers); E.164 numbers are not refused."""

from __future__ import annotations

import warnings

import oai_oracle
import pytest

import twilio_nb as tw
from twilio_nb.request.validate import impossible_number
from twilio_nb.sandbox import Sandbox

SEND = {"To": "+14155552671", "From": "+15005550006", "Body": "Hi"}


def _sent(**body: str) -> tuple[tw.Result | tw.TwilioApiError, list[str]]:
    conn = tw.Connection(sandbox=Sandbox(messages=0))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result: tw.Result | tw.TwilioApiError = conn.basic("Message", "Send Message",
                                                               body={**SEND, **body})
        except tw.TwilioApiError as exc:
            result = exc
    return result, [str(w.message) for w in caught if issubclass(w.category, tw.TwilioWarning)]


@oai_oracle.needs_specs()
def test_sending_max_price_warns_once_quoting_twilio() -> None:
    result, said = _sent(MaxPrice="0.05")
    assert isinstance(result, tw.Result) and result.status_code == 201
    about = [s for s in said if "MaxPrice" in s]
    assert len(about) == 1 and "deprecated" in about[0]
    op = tw.catalog.find("Message", "Send Message")
    assert oai_oracle.as_text(oai_oracle.param_texts(op)["MaxPrice"]) in about[0]


def test_parameters_that_are_not_deprecated_are_not_warned_about() -> None:
    _, said = _sent()
    assert said == []


@pytest.mark.parametrize("number", ["+1500555000", "+4420", "+999123456789"])
def test_a_number_that_cannot_be_valid_for_its_country_is_warned_about(number: str) -> None:
    result, said = _sent(To=number)
    assert any(number in s and "cannot be a valid number" in s for s in said)
    # sent anyway: the sandbox answers as Twilio would
    assert isinstance(result, tw.TwilioApiError) and result.code == 21211


@pytest.mark.parametrize("number", ["+14155552671", "+447700900123", "+15005550006",
                                    "whatsapp:+14155552671", "+919876543210"])
def test_e164_numbers_of_their_country_are_neither_warned_about_nor_refused(number: str) -> None:
    assert impossible_number(number) is None


def test_the_reason_names_the_country() -> None:
    assert "too short" in (impossible_number("+4420") or "")
    assert "GB" in (impossible_number("+4420") or "")
    assert "no country has its code" in (impossible_number("+999123456789") or "")
