"""Checks before sending: each kind of error names the parameter and says what to change;
unknown parameters and numbers not in E.164 form only warn."""

from __future__ import annotations

import warnings

import pytest
from hypothesis import given
from hypothesis import strategies as st

from twilio_nb import catalog
from twilio_nb.errors import ConfigurationError, TwilioWarning
from twilio_nb.request.build import build_basic
from twilio_nb.request.validate import example_value, phone_problem, sid_rule, validate

AC = "AC" + "0123456789abcdef" * 2
SEND = catalog.find("Message", "Send Message")
LIST_CALLS = catalog.find("Call", "List Calls")
PARTICIPANT = catalog.find("Participant", "Create Conference Participant")


def error(op: catalog.Operation, path: dict[str, str] | None = None,
          query: list[tuple[str, str]] | None = None,
          body: list[tuple[str, str]] | None = None) -> ConfigurationError:
    with pytest.raises(ConfigurationError) as err:
        validate(op, {"AccountSid": AC} if path is None else path, query or [], body or [])
    return err.value


def test_valid_parameters_pass_without_warnings() -> None:
    assert validate(SEND, {"AccountSid": AC}, [], [("To", "+14155552671"), ("Body", "Hi"),
                                                   ("SmartEncoded", "true"), ("Attempt", "2"),
                                                   ("ValidityPeriod", "60")]) == []


def test_missing_required_path_parameter() -> None:
    e = error(SEND, path={}, body=[("To", "+14155552671")])
    assert e.field == "AccountSid"
    assert "AccountSid is required" in str(e) and "operation parameter" in str(e)
    assert "AC0123456789abcdef" in str(e)  # an example of the shape


def test_missing_required_body_parameter_mentions_a_mistyped_name() -> None:
    e = error(SEND, body=[("to", "+14155552671")])
    assert e.field == "To"
    assert "To is required by Send Message" in str(e)
    assert "You gave 'to'" in str(e) and "case-sensitive" in str(e)


def test_missing_required_query_parameter() -> None:
    op = catalog.by_id("messaging_v2.ListChannelsSender")
    e = error(op, path={})
    assert e.field == "Channel" and "in the Query" in str(e)


@pytest.mark.parametrize(("name", "value", "says"), [
    ("Attempt", "two", "must be a whole number"),
    ("MaxPrice", "cheap", "must be a number"),
    ("SmartEncoded", "yes", "must be true or false"),
])
def test_wrong_types(name: str, value: str, says: str) -> None:
    e = error(SEND, body=[("To", "+14155552671"), (name, value)])
    assert e.field == name and says in str(e) and repr(value) in str(e)


def test_numbers_outside_their_range() -> None:
    e = error(LIST_CALLS, query=[("PageSize", "5000")])
    assert e.field == "PageSize" and "at most 1000" in str(e)


def test_enum_lists_the_allowed_values() -> None:
    e = error(LIST_CALLS, query=[("Status", "done")])
    assert e.field == "Status"
    assert "queued, ringing, in-progress, completed, busy, failed, no-answer, canceled" in str(e)
    e = error(PARTICIPANT, path={"AccountSid": AC, "ConferenceSid": "CF1"},
              body=[("From", "+1415"), ("To", "+1416"), ("StatusCallbackMethod", "post")])
    assert "did you mean 'POST'" in str(e)


def test_sid_pattern_gives_prefix_and_length() -> None:
    e = error(SEND, path={"AccountSid": "SK" + "0" * 32}, body=[("To", "+14155552671")])
    assert e.field == "AccountSid"
    assert "AC followed by 32 hexadecimal digits (34 characters)" in str(e)
    media = catalog.find("Media", "Get Message Media")
    e = error(media, path={"AccountSid": AC, "MessageSid": "SM123", "Sid": "ME" + "0" * 32})
    assert e.field == "MessageSid" and "SM or MM followed by 32" in str(e)
    assert "(5 characters)" in str(e)


def test_every_problem_is_listed_and_the_first_is_the_field() -> None:
    e = error(LIST_CALLS, path={"AccountSid": "AC1"}, query=[("PageSize", "x"),
                                                            ("Status", "done")])
    assert e.field == "AccountSid"
    assert "PageSize" in str(e) and "Status" in str(e)


def test_unknown_parameters_and_misplaced_ones_warn() -> None:
    found = validate(SEND, {"AccountSid": AC}, [("To", "+14155552671")],
                     [("To", "+14155552671"), ("Tags", "{}"), ("Bdy", "x")])
    assert any("To is a body parameter of Send Message, but is in the Query" in w for w in found)
    assert any(w.startswith("Tags is not a parameter") for w in found)
    assert any("Bdy is not a parameter" in w and "Did you mean Body" in w for w in found)


def test_build_warns_for_unknown_parameters_instead_of_failing() -> None:
    with pytest.warns(TwilioWarning, match="Tags"):
        req = build_basic(SEND, account_sid=AC, body={"To": "+14155552671", "Tags": "{}"})
    assert any("Tags" in w for w in req.warnings)


@pytest.mark.parametrize("number", [
    "+14155552671", "whatsapp:+919876543210", "client:alice", "sip:bob@example.com",
    "12345", "MyShop", "messenger:123456"])
def test_numbers_that_need_no_warning(number: str) -> None:
    assert phone_problem(number, "phone-number") is None
    with warnings.catch_warnings():
        warnings.simplefilter("error", TwilioWarning)
        build_basic(SEND, account_sid=AC, body={"To": number, "Body": "x"})


@pytest.mark.parametrize(("number", "says"), [
    ("9876543210", "+9876543210"), ("+91 98765 43210", "+919876543210"),
    ("+9195523446XX", "not an E.164 number"), ("whatsapp:9876543210", "country code")])
def test_numbers_that_warn(number: str, says: str) -> None:
    with pytest.warns(TwilioWarning, match="To:") as record:
        req = build_basic(SEND, account_sid=AC, body={"To": number, "Body": "x"})
    assert says in str(record[0].message)
    assert dict(req.form)["To"] == number  # sent as given


def test_endpoints_are_checked_only_when_they_look_like_numbers() -> None:
    assert phone_problem("customer-42", "endpoint") is None
    assert phone_problem("98765", "endpoint") is None
    assert phone_problem("9876543210", "endpoint") is not None


def test_a_single_string_for_an_array_parameter_is_one_value() -> None:
    req = build_basic(PARTICIPANT, account_sid=AC, params={"ConferenceSid": "CF1"},
                      body={"From": "+14155552671", "To": "+14155552672",
                            "StatusCallbackEvent": "ringing answered completed"})
    assert ("StatusCallbackEvent", "ringing answered completed") in req.form


def test_array_enum_values_are_checked_word_by_word() -> None:
    op = catalog.by_id("api_v2010.UpdateConnectApp")  # Permissions: array of get-all|post-all
    path = {"AccountSid": AC, "Sid": "CN" + "0" * 32}
    assert validate(op, path, [], [("Permissions", "get-all post-all")]) == []
    with pytest.raises(ConfigurationError, match="one of: get-all, post-all; got 'nope'") as err:
        validate(op, path, [], [("Permissions", "get-all nope")])
    assert err.value.field == "Permissions"


def test_not_strict_turns_errors_into_warnings() -> None:
    found = validate(LIST_CALLS, {"AccountSid": "AC1"}, [("PageSize", "0")], [], strict=False)
    assert any("AccountSid" in w for w in found) and any("at least 1" in w for w in found)


def test_required_in_limits_the_required_check() -> None:
    assert validate(SEND, {}, [], [("To", "+14155552671")], required_in=("body",)) == []


def test_sid_rule() -> None:
    assert sid_rule("^AC[0-9a-fA-F]{32}$") == (("AC",), 34)
    assert sid_rule("^(SM|MM)[0-9a-fA-F]{32}$") == (("SM", "MM"), 34)
    assert sid_rule("OR[0-9a-f]{32}") == (("OR",), 34)
    assert sid_rule("^[a-zA-Z]{2}[0-9a-fA-F]{32}$") == ((), 34)
    assert sid_rule("^aia_asst_.+$") is None


def test_example_values_satisfy_every_parameter_of_the_catalog() -> None:
    for op in catalog.operations():
        path = {p.name: example_value(p) for p in op.params_in("path")}
        query = [(p.name, example_value(p)) for p in op.params_in("query")]
        body = [(p.name, example_value(p)) for p in op.params_in("body")]
        problems = validate(op, path, query, body, strict=False)
        assert not [w for w in problems if "must" in w or "required" in w], op.id


@given(st.text(alphabet="0123456789abcdefABCDEF", min_size=32, max_size=32))
def test_any_well_formed_sid_passes(hexdigits: str) -> None:
    assert validate(SEND, {"AccountSid": "AC" + hexdigits}, [], [("To", "+14155552671")]) == []


@given(st.text(min_size=0, max_size=40).filter(
    lambda s: not (len(s) == 34 and s.startswith("AC")
                   and all(c in "0123456789abcdefABCDEF" for c in s[2:]))))
def test_any_malformed_account_sid_is_an_error(text: str) -> None:
    with pytest.raises(ConfigurationError) as err:
        validate(SEND, {"AccountSid": text}, [], [("To", "+14155552671")])
    assert err.value.field == "AccountSid"
