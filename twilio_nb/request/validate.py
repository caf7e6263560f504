"""Checks of a request against the catalog, before anything is sent.

Errors (a :class:`ConfigurationError` naming the parameter in ``.field``): a required
parameter missing, a value of the wrong type (an integer, number or boolean that does not
parse), a number outside its range, a value outside its enum (the allowed values listed),
a SID that does not match its pattern (the expected prefix and length given).

Warnings (text returned, the caller emits :class:`TwilioWarning`): a parameter the catalog
does not know (the guide's own Send Message payload carries ``Tags``), a parameter in the
wrong place, a phone number that is not E.164, an E.164 number that cannot be valid for its
country (judged by the ``phonenumbers`` package, libphonenumber's rules: too short, too long,
no such country code), a parameter Twilio marks deprecated (with Twilio's words for it, read at
run time). Such requests are sent anyway.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Mapping, Sequence

from ..catalog import Operation, Param
from ..errors import ConfigurationError

__all__ = ["example_value", "impossible_number", "phone_problem", "sid_rule", "validate"]

_WHERE = {"path": "an operation parameter", "query": "the Query", "body": "the Body",
          "header": "a request header"}
_SID_RULE = re.compile(
    r"^\^?(?:\((?P<alts>[A-Za-z]{2}(?:\|[A-Za-z]{2})*)\)|(?P<one>[A-Z]{2})|(?P<any>\[a-zA-Z\]"
    r"\{2\}|\[A-Z\]\{2\}))\[0-9a-f(?:A-F)?\]\{32\}\$?$")
_INT = re.compile(r"^[+-]?\d+$")
_NUM = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$")
_E164 = re.compile(r"^\+[1-9]\d{1,14}$")
_SHORT_CODE = re.compile(r"^\d{3,8}$")
_ALPHA_SENDER = re.compile(r"^(?=.*[A-Za-z])[A-Za-z0-9 ._&-]{1,11}$")
_ADDRESS_PREFIXES = ("client:", "sip:", "messenger:", "rcs:", "apple:", "email:")
_E164_PREFIXES = ("whatsapp:", "sms:", "mms:", "tel:")


def sid_rule(pattern: str | None) -> tuple[tuple[str, ...], int] | None:
    """``(prefixes, length)`` when ``pattern`` is a SID pattern (``^AC[0-9a-fA-F]{32}$``,
    ``^(SM|MM)[0-9a-fA-F]{32}$``, ``^[a-zA-Z]{2}...``: any prefix), else None."""
    if not pattern:
        return None
    m = _SID_RULE.match(pattern)
    if not m:
        return None
    if m.group("alts"):
        return tuple(m.group("alts").split("|")), 34
    if m.group("one"):
        return (m.group("one"),), 34
    return (), 34


def example_value(param: Param) -> str:
    """A made-up value that satisfies ``param`` (for messages and tests)."""
    rule = sid_rule(param.pattern)
    if rule is not None:
        return (rule[0][0] if rule[0] else "XX") + "0123456789abcdef" * 2
    shape = re.match(r"^\^?([A-Za-z_]+)(?:\[[^\]]+\]\{(\d+)\}|\.\+)", param.pattern or "")
    if shape:
        size = int(shape.group(2) or 0)
        return shape.group(1) + (("0123456789abcdef" * 4)[:size] if size else "example")
    if param.enum:
        return param.enum[0]
    if param.format == "iso-country-code":
        return "US"
    if param.format in ("phone-number", "endpoint"):
        return "+14155552671"
    if param.format == "date":
        return "2025-05-06"
    if param.format == "date-time":
        return "2025-05-06T10:00:00Z"
    if param.format == "uri":
        return "https://example.com/callback"
    if param.type in ("integer", "number"):
        return str(int(param.minimum)) if param.minimum is not None else "1"
    if param.type == "boolean":
        return "true"
    return "value"


def phone_problem(value: str, fmt: str | None) -> str | None:
    """Why ``value`` does not look like a number Twilio accepts in E.164 form, or None.

    Accepted without a word: E.164 (``+14155552671``), ``whatsapp:``/``sms:`` + E.164,
    ``client:``/``sip:``/``messenger:`` addresses, short codes (3-8 digits), alphanumeric
    sender IDs (up to 11 letters/digits with at least one letter). For ``format: endpoint``
    only values that look like phone numbers are checked.
    """
    text = value.strip()
    low = text.lower()
    if low.startswith(_ADDRESS_PREFIXES):
        return None
    for prefix in _E164_PREFIXES:
        if low.startswith(prefix):
            text = text[len(prefix):]
            break
    if _E164.match(text) or _SHORT_CODE.match(text):
        return None
    if not text.startswith("+") and _ALPHA_SENDER.match(text):
        return None
    if fmt == "endpoint" and not re.match(r"^[+\d(]", text):
        return None
    digits = re.sub(r"[\s().-]", "", text)
    if _E164.match(digits):
        return f"{value!r} has spaces or punctuation; E.164 is + and digits only: {digits}"
    if digits.isdigit() and len(digits) > 8:
        return (f"{value!r} has no + and country code; E.164 looks like +{digits} "
                "(country code first)")
    return f"{value!r} is not an E.164 number (+ then country code and number, e.g. +14155552671)"


def impossible_number(value: str) -> str | None:
    """Why an E.164 ``value`` cannot be a valid number for its country (libphonenumber's
    rules, through ``phonenumbers``), or None. Only the length for the country and the country
    code are judged, never whether the number is in service."""
    import phonenumbers  # deferred: its import costs; only a phone number needs it

    text = value.strip()
    for prefix in _E164_PREFIXES:
        if text.lower().startswith(prefix):
            text = text[len(prefix):]
    if not _E164.match(text):
        return None
    try:
        number = phonenumbers.parse(text, None)
    except phonenumbers.NumberParseException as exc:
        why = ("no country has its code" if exc.error_type ==
               phonenumbers.NumberParseException.INVALID_COUNTRY_CODE else "not a phone number")
        return f"{value!r} cannot be a valid number ({why})"
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason in (phonenumbers.ValidationResult.IS_POSSIBLE,
                  phonenumbers.ValidationResult.IS_POSSIBLE_LOCAL_ONLY):
        return None
    region = phonenumbers.region_code_for_country_code(number.country_code or 0)
    why = {phonenumbers.ValidationResult.INVALID_COUNTRY_CODE: "no country has its code",
           phonenumbers.ValidationResult.TOO_SHORT: f"too short for {region}",
           phonenumbers.ValidationResult.TOO_LONG: f"too long for {region}"}.get(
        reason, f"not a possible length for {region}")
    return f"{value!r} cannot be a valid number ({why})"


def _deprecated(op: Operation, name: str) -> str:
    """The warning for a deprecated parameter, quoting Twilio's words (read at run time)."""
    from ..catalog.words import plain, words_for  # deferred: only a deprecated one needs it

    words = plain(words_for(op).params.get(name, ""))
    said = f' Twilio says: "{words}"' if words else ""
    return f"{name} is deprecated for {op.name}.{said} It is sent as given."


def _check_value(op: Operation, p: Param, value: str) -> str | None:
    """The error for one value of ``p``, or None."""
    where = f"{p.name} ({_WHERE[p.location]} of {op.name})"
    if p.type == "integer" and not _INT.match(value.strip()):
        return f"{where} must be a whole number; got {value!r}. Give digits only, e.g. {p.name}=50."
    if p.type == "number" and not _NUM.match(value.strip()):
        return f"{where} must be a number; got {value!r}. Give e.g. {p.name}=0.05."
    if p.type == "boolean" and value.strip().lower() not in ("true", "false"):
        return f"{where} must be true or false; got {value!r}."
    if p.type in ("integer", "number"):
        number = float(value)
        if p.minimum is not None and number < p.minimum:
            return f"{where} must be at least {p.minimum:g}; got {value}."
        if p.maximum is not None and number > p.maximum:
            return f"{where} must be at most {p.maximum:g}; got {value}."
    if p.enum:
        tokens = value.split() if p.array else [value]
        bad = [t for t in tokens if t not in p.enum]
        if bad:
            same_case = [e for e in p.enum if e.lower() == bad[0].lower()]
            hint = f" (did you mean {same_case[0]!r}? values are case-sensitive)" if same_case \
                else ""
            return (f"{where} must be one of: {', '.join(p.enum)}; got {bad[0]!r}{hint}.")
    rule = sid_rule(p.pattern)
    if rule is not None:
        prefixes, length = rule
        if not re.fullmatch(p.pattern or "", value):
            starts = (" or ".join(prefixes) + " followed by 32" if prefixes
                      else "two letters followed by 32")
            return (f"{where} must be a SID: {starts} hexadecimal digits ({length} characters); "
                    f"got {value!r} ({len(value)} characters).")
    elif p.pattern and not re.search(p.pattern, value):
        return f"{where} must match the pattern {p.pattern}; got {value!r}."
    return None


def _closest(name: str, names: Collection[str]) -> str:
    close = difflib.get_close_matches(name, list(names), n=3, cutoff=0.6)
    lower = [n for n in names if n.lower() == name.lower()]
    close = lower + [c for c in close if c not in lower]
    return f" Did you mean {', '.join(close)}?" if close else ""


def validate(operation: Operation, path_params: Mapping[str, str],
             query_pairs: Sequence[tuple[str, str]], body_pairs: Sequence[tuple[str, str]], *,
             strict: bool = True,
             required_in: Collection[str] = ("path", "query", "body")) -> list[str]:
    """Check a request's parameters against ``operation``; return the warnings.

    With ``strict`` (Basic) the first problem raises a :class:`ConfigurationError` whose
    message lists every problem found and whose ``field`` names the first parameter at
    fault. Without it (Advanced, where the URL is the user's) problems become warnings.
    ``required_in`` limits the required-parameter check (a Next Page URI carries its own
    path and query).
    """
    problems: list[tuple[str, str]] = []
    warnings: list[str] = []
    order = {p.name: i for i, p in enumerate(operation.params)}
    given: dict[str, list[tuple[str, str]]] = {
        "path": sorted(((k, str(v)) for k, v in path_params.items()),
                       key=lambda kv: order.get(kv[0], len(order))),
        "query": list(query_pairs), "body": list(body_pairs)}
    for location, pairs in given.items():
        known = {p.name: p for p in operation.params_in(location)}
        names = {n for n, _ in pairs}
        for q in known.values():
            if q.required and location in required_in and q.name not in names:
                mistyped = [n for n in names if n.lower() == q.name.lower()]
                also = (f" You gave {mistyped[0]!r}: parameter names are case-sensitive."
                        if mistyped else "")
                problems.append((q.name, (
                    f"{q.name} is required by {operation.name} but was not given.{also} Give "
                    f"it in {_WHERE[location]}, e.g. {q.name}={example_value(q)}.")))
        for name, value in pairs:
            p = known.get(name)
            if p is None:
                if location != "path":
                    warnings.append(_unknown(operation, name, location))
                continue
            if p.deprecated:
                warnings.append(_deprecated(operation, name))
            problem = _check_value(operation, p, value)
            if problem:
                problems.append((name, problem))
            elif p.format in ("phone-number", "endpoint"):
                # a list's filter may be part of a number (PhoneNumber=+1415): judged whole
                # only where a number is sent to be used (a body)
                why = phone_problem(value, p.format) or (
                    impossible_number(value) if location == "body" else None)
                if why:
                    warnings.append(f"{name}: {why}. It is sent as given.")
    if problems and strict:
        first, text = problems[0]
        more = "".join(f"\n- {t}" for _, t in problems[1:])
        raise ConfigurationError(text + (f"\nAlso:{more}" if more else ""), field=first)
    return [t for _, t in problems] + warnings


def _unknown(op: Operation, name: str, location: str) -> str:
    elsewhere = [p.location for p in op.params if p.name == name]
    if elsewhere:
        return (f"{name} is a {elsewhere[0]} parameter of {op.name}, but is in "
                f"{_WHERE[location]}; it is sent there anyway.")
    names = [p.name for p in op.params if p.location == location]
    return (f"{name} is not a parameter of {op.label} that the catalog knows; it is sent in "
            f"{_WHERE[location]} anyway.{_closest(name, names)}")
