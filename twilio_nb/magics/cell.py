"""The body of a ``%%twilio`` cell: JSON (Basic) or form text (Advanced), with notebook
values expanded as IPython expands them (``$var``, ``{expr}``)."""

from __future__ import annotations

import json
import re
from typing import Any

from ..errors import ConfigurationError

__all__ = ["cell_body", "cell_template"]

WHOLE_REF = re.compile(r"^\s*(\$[A-Za-z_]\w*|\{[^{}]+\})\s*$")


def _expand(text: str, shell: Any) -> str:
    if "$" not in text and "{" not in text:
        return text
    expanded: str = shell.var_expand(text, depth=0) if shell is not None else text
    return expanded


def _expand_values(value: Any, shell: Any) -> Any:
    if isinstance(value, str):
        return _expand(value, shell)
    if isinstance(value, list):
        return [_expand_values(v, shell) for v in value]
    if isinstance(value, dict):
        return {k: _expand_values(v, shell) for k, v in value.items()}
    return value


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return text.lstrip().startswith('{"') or '":' in text
    return True


def cell_body(cell: str, shell: Any, *, json_body: bool) -> Any:
    """The cell as a body. Basic: a JSON object (its string values expanded), or a single
    ``$var``/``{expr}`` naming a dict. Advanced: form text, expanded as a whole."""
    if not cell.strip():
        return None
    ref = WHOLE_REF.match(cell)
    if ref and shell is not None and not _is_json(cell):
        name = ref.group(1)
        expr = name[1:] if name.startswith("$") else name[1:-1]
        try:
            value = shell.ev(expr)
        except Exception as exc:
            raise ConfigurationError(f"Cannot evaluate {name} for the body: {exc}") from None
        if json_body and not isinstance(value, dict | str):
            raise ConfigurationError(f"{name} must be a dict (or JSON text) to be the body")
        return value
    if not json_body:
        return _expand(cell.strip(), shell)
    try:
        data = json.loads(cell)
    except json.JSONDecodeError as exc:
        line = cell.splitlines()[exc.lineno - 1] if exc.lineno <= len(cell.splitlines()) else ""
        raise ConfigurationError(
            f"The cell is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}:\n"
            f"    {line}\n    {' ' * (exc.colno - 1)}^\nFor Basic the body is a JSON object "
            '(e.g. {"To": "+14155552671", "Body": "Hi"}); for Advanced write %%twilio POST '
            "/relative/url with form text.") from None
    if not isinstance(data, dict):
        raise ConfigurationError("The cell's JSON must be an object {...} of parameter names "
                                 f"and values, not a {type(data).__name__}")
    return _expand_values(data, shell)


def cell_template(cell: str | None) -> str | None:
    """The cell as a batch's body template (``--each``): the text as written, not expanded,
    so that ``{column}`` is left for each row to fill; the core reads it (JSON for Basic, form
    text for Advanced) and says what is wrong with it."""
    return (cell or "").strip() or None
