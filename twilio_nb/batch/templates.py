"""Templates filled from a row: ``"Hi {name}"`` takes the row's ``name``.

A template is a dict (its string values are templates; a value that is exactly ``"{column}"``
takes the row's value as it is, so a number stays a number and a list a list), a string (the
Advanced body's form text, ``To={phone}&Body=Hi {name}``, where each value is percent-encoded;
or the Basic body's JSON text, read as a dict first), a callable ``row -> dict`` (the row as a
dict of column -> value), or None. ``{{`` and ``}}`` are literal braces.

Only plain column names fill a field: ``{name}``, not ``{name.upper}`` nor ``{0}``, so a
template reads columns and nothing else. A missing column or an empty value (None, NaN) is a
:class:`Problem` naming the column; the caller gathers every row's problems before anything
is sent.

Imports: errors and the request package's encoding only (no pandas: rows arrive as dicts).
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from ..errors import ConfigurationError

__all__ = ["Problem", "Template", "TemplateError", "columns_of", "describe", "fill",
           "parse_json_template"]

Template = Mapping[str, Any] | str | Callable[[dict[str, Any]], Mapping[str, Any]] | None
_FORMATTER = string.Formatter()
_WHOLE = re.compile(r"^\{([^{}]+)\}$")


@dataclass(frozen=True)
class Problem:
    """Why a row does not fill: ``column`` (or the template's field) and what is wrong."""

    column: str
    text: str


class TemplateError(Exception):
    """One row's problems (gathered by the plan into one ConfigurationError)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.text for p in problems))
        self.problems = problems


def _fields(text: str) -> list[str]:
    """The field names of ``text`` (``"Hi {name}"`` -> ``["name"]``); a bad template raises
    ConfigurationError (it is the same for every row)."""
    try:
        parsed = list(_FORMATTER.parse(text))
    except ValueError as exc:
        raise ConfigurationError(f"The template {text!r} is not well formed ({exc}): write "
                                 "{column} for a row's value and {{ }} for literal braces.",
                                 field="template") from None
    names: list[str] = []
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if not name or not re.fullmatch(r"[^.\[\]{}!:]+", name) or spec or conversion:
            shown = name + ("!" + conversion if conversion else "") + (":" + spec if spec else "")
            raise ConfigurationError(
                f"The template {text!r} has the field {{{shown}}}: only plain column names fill "
                "a template, e.g. "
                "{phone} (no attributes, indexes, conversions or formats).", field="template")
        names.append(name)
    return names


def columns_of(template: Template) -> list[str]:
    """Every column a template reads (empty for a callable: it reads what it likes)."""
    if template is None or callable(template):
        return []
    if isinstance(template, str):
        return list(dict.fromkeys(_fields(template)))
    found: list[str] = []
    for value in template.values():
        if isinstance(value, str):
            found += _fields(value)
    return list(dict.fromkeys(found))


def _missing(value: Any) -> bool:
    if value is None:
        return True
    if type(value).__name__ in ("NAType", "NaTType"):  # pandas' NA and NaT, without pandas
        return True
    try:  # NaN (float or numpy's), NaT
        return bool(value != value)
    except (TypeError, ValueError):
        return False


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a number read as float (a column with gaps): 42.0 -> 42
    iso = getattr(value, "isoformat", None)
    return str(iso()) if callable(iso) else str(value)


def _plain(value: Any) -> Any:
    """A numpy scalar as Python's (form encoding knows Python's types), and a whole-number
    float as an int: a phone column with gaps reads as float, and 14155550100.0 is no
    number Twilio takes."""
    item = getattr(value, "item", None)
    if callable(item) and not isinstance(value, (list, tuple, dict)):
        value = item()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _value(row: Mapping[str, Any], name: str, where: str, problems: list[Problem]) -> Any:
    if name not in row:
        problems.append(Problem(name, f"{where}: no column {name!r}"))
        return None
    value = row[name]
    if not isinstance(value, (list, tuple, dict)) and _missing(value):
        problems.append(Problem(name, f"{where}: {name!r} is empty"))
        return None
    return _plain(value)


def _fill_text(text: str, row: Mapping[str, Any], where: str, problems: list[Problem],
               encode: Callable[[str], str] = str) -> Any:
    whole = _WHOLE.match(text)
    if whole and encode is str and whole.group(1) in row:
        return _value(row, whole.group(1), where, problems)
    out: list[str] = []
    for literal, name, _spec, _conv in _FORMATTER.parse(text):
        out.append(literal)
        if name is not None:
            value = _value(row, name, where, problems)
            out.append("" if value is None else encode(_text(value)))
    return "".join(out)


def fill(template: Template, row: Mapping[str, Any], *, form_text: bool = False
         ) -> Mapping[str, Any] | str | None:
    """``template`` filled from ``row``; raises :class:`TemplateError` with every problem.
    ``form_text``: a string template is form text (values percent-encoded)."""
    problems: list[Problem] = []
    if template is None:
        return None
    if callable(template):
        return _call(template, row)
    if isinstance(template, str):
        encode = (lambda s: quote(s, safe="")) if form_text else str
        filled: Any = _fill_text(template, row, "the template", problems, encode)
    else:
        out: dict[str, Any] = {}
        for key, value in template.items():
            out[key] = _fill_text(value, row, str(key), problems) if isinstance(value, str) \
                else value
        filled = out
    if problems:
        raise TemplateError(problems)
    return filled if isinstance(filled, (str, Mapping)) else str(filled)


def _call(template: Callable[[dict[str, Any]], Any], row: Mapping[str, Any]
          ) -> Mapping[str, Any]:
    """A template function's dict for ``row`` (given its values as a ``{column}`` takes
    them: whole-number floats as ints); a missing value (None, NaN, NA) among its values, or
    the text of a missing column's value (``nan``) inside one, is this row's problem, as a
    dict template's empty column is."""
    given = {k: v if isinstance(v, (list, tuple, dict)) or _missing(v) else _plain(v)
             for k, v in row.items()}
    try:
        made: Any = template(given)
    except Exception as exc:  # the user's function: its failure is this row's problem
        raise TemplateError([Problem("(function)", f"the template function raised "
                                                   f"{type(exc).__name__}: {exc}")]) from None
    if not isinstance(made, Mapping):
        raise TemplateError([Problem("(function)", "the template function returned "
                                                   f"{type(made).__name__}, not a dict")])
    gaps = {str(v) for v in given.values()
            if not isinstance(v, (list, tuple, dict)) and _missing(v)}
    problems = []
    for key, value in made.items():
        if not isinstance(value, (list, tuple, dict)) and _missing(value):
            problems.append(Problem(str(key), f"the template function's {key!r} is empty "
                                              f"({value!r})"))
        elif isinstance(value, str) and any(re.search(rf"(?<!\w){re.escape(g)}(?!\w)", value)
                                            for g in gaps):
            empty = [k for k, v in given.items() if not isinstance(v, (list, tuple, dict))
                     and _missing(v)]
            problems.append(Problem(str(key), f"the template function's {key!r} holds the "
                                              f"text of an empty value ({value!r}; empty here: "
                                              f"{', '.join(map(repr, empty))})"))
    if problems:
        raise TemplateError(problems)
    return {k: v if isinstance(v, (list, tuple, dict)) else _plain(v) for k, v in made.items()}


def parse_json_template(text: str) -> dict[str, Any]:
    """A Basic body given as JSON text, as the dict template it writes."""
    try:
        value = json.loads(text) if text.strip() else {}
    except json.JSONDecodeError as exc:
        raise ConfigurationError(f"The body template is not JSON ({exc.msg} at line "
                                 f"{exc.lineno}); give a dict or a JSON object.",
                                 field="Body") from None
    if not isinstance(value, dict):
        raise ConfigurationError("The body template must be a JSON object.", field="Body")
    return value


def describe(template: Template) -> Any:
    """A template as it is shown (Copy as SAP settings): its text, or a function's qualified
    name (a checkpoint knows templates by :func:`.identity.template_identity`)."""
    if template is None or isinstance(template, str):
        return template
    if callable(template):
        return "function " + f"{getattr(template, '__module__', '?')}." \
            f"{getattr(template, '__qualname__', repr(template))}"
    return {str(k): v if isinstance(v, (str, int, float, bool, type(None))) else repr(v)
            for k, v in template.items()}
