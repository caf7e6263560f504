"""Name conversions and masking shared by the sandbox modules.

Twilio's request fields are PascalCase (``StatusCallback``), its JSON properties snake_case
(``status_callback``) and its XML/CSV elements PascalCase again (``StatusCallback``).
"""

from __future__ import annotations

import re
from functools import cache

__all__ = ["friendly", "mask", "pascal", "snake"]

_ACRONYM = re.compile(r"([A-Z]+)([A-Z][a-z])")
_CAMEL = re.compile(r"([a-z0-9])([A-Z])")


@cache
def snake(name: str) -> str:
    """``StatusCallback`` -> ``status_callback``, ``CallSid`` -> ``call_sid``, ``SMS`` ->
    ``sms``."""
    if "_" in name or name.islower():
        return name.lower()
    return _CAMEL.sub(r"\1_\2", _ACRONYM.sub(r"\1_\2", name)).lower()


@cache
def pascal(name: str) -> str:
    """``date_created`` -> ``DateCreated``, ``from`` -> ``From``, ``SMS`` -> ``SMS``."""
    return "".join(part[:1].upper() + part[1:] for part in name.split("_") if part)


def mask(value: str) -> str:
    """A SID shown as ``ACxx…1234``; any other secret as ``****``."""
    if len(value) == 34 and value[:2].isalpha() and value[:2].isupper():
        return f"{value[:2]}xx…{value[-4:]}"
    return "****"


def friendly(number: str) -> str:
    """A US number as Twilio formats it (``+14155550100`` -> ``(415) 555-0100``); others as
    given."""
    if number.startswith("+1") and len(number) == 12:
        return f"({number[2:5]}) {number[5:8]}-{number[8:]}"
    return number
