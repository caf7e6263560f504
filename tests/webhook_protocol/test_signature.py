"""The one signature function agrees with twilio-python's RequestValidator both ways."""

from __future__ import annotations

import pytest
from twilio.request_validator import RequestValidator

from twilio_nb.webhook_protocol.signature import sign, url_variants, valid

TOKEN = "12345"
URL = "https://mycompany.com/myapp.php?foo=1&bar=2"
PARAMS = {"CallSid": "CA1234567890ABCDE", "Caller": "+12349013030", "Digits": "1234",
          "From": "+12349013030", "To": "+18005551212"}


def test_same_text_as_request_validator_on_a_call_webhook() -> None:
    ours = sign(URL, PARAMS, TOKEN)
    assert ours == RequestValidator(TOKEN).compute_signature(URL, PARAMS)
    assert RequestValidator(TOKEN).validate(URL, PARAMS, ours)


@pytest.mark.parametrize("params", [{}, {"Body": "héllo & ünïcode = ok"},
                                    {"b": "2", "a": "1", "A": "0"}])
def test_signs_as_request_validator(params: dict[str, str]) -> None:
    url = "http://127.0.0.1:8123/hook?x=1"
    ours = sign(url, params, TOKEN)
    assert RequestValidator(TOKEN).validate(url, params, ours)
    assert valid(url, params, RequestValidator(TOKEN).compute_signature(url, params), TOKEN)


def test_wrong_token_url_param_or_missing_signature_is_invalid() -> None:
    good = sign(URL, PARAMS, TOKEN)
    assert valid(URL, PARAMS, good, TOKEN)
    assert not valid(URL, PARAMS, good, "other")
    assert not valid(URL + "&baz=3", PARAMS, good, TOKEN)
    assert not valid(URL, {**PARAMS, "Digits": "1235"}, good, TOKEN)
    assert not valid(URL, PARAMS, None, TOKEN)
    assert not valid(URL, PARAMS, "", TOKEN)


def test_a_port_added_or_dropped_by_a_proxy_still_validates() -> None:
    assert url_variants("https://x.example/a?b=1") == ["https://x.example/a?b=1",
                                                       "https://x.example:443/a?b=1"]
    signed = sign("https://x.example:443/a", PARAMS, TOKEN)
    assert valid("https://x.example/a", PARAMS, signed, TOKEN)
