"""Which parameters and fields hold a phone number, by name: those the catalog types as
``phone-number`` (or ``endpoint``: a number, ``client:``, ``sip:``) in any operation's
parameters or any resource's properties (``To``, ``From``, ``PhoneNumber``, ``FallbackFrom``,
``NearNumber``, ``ContactPhoneNumber``, ``phone_number``, ...), compared without case, ``_``
or ``-``. ``FriendlyName`` is left out (free text; a number in E.164 or ``(415) 555-0100``
form is replaced anyway).

With ``scrub="pii"``, a value of such a parameter is replaced whatever its form: a number
without ``+`` (``4155550144``), a number a spreadsheet made a float (``14155550145.0``),
with dashes or dots. :func:`phone_digits_of` reads the digits out of one.

Imports the catalog (read once, when first asked).
"""

from __future__ import annotations

import re
from functools import cache

from .. import catalog

__all__ = ["is_phone_name", "phone_digits_of", "phone_names"]

_FORMATS = ("phone-number", "endpoint")
_NOT_PHONE = {"friendlyname"}
# a number as people and spreadsheets write it: digits with + ( ) - . and spaces, maybe a
# float's ".0"; 7 to 15 digits
_LOOSE = re.compile(r"\+?[\d\s().\-]{7,24}?(?:\.0+)?")


def _bare(name: str) -> str:
    return re.sub(r"[_\-\s]", "", name).lower()


@cache
def phone_names() -> frozenset[str]:
    """The names (lower case, no ``_`` or ``-``) of the catalog's phone-number parameters
    and properties."""
    names: set[str] = set()
    for op in catalog.operations():
        names.update(_bare(p.name) for p in op.params if p.format in _FORMATS)
        for name, prop in catalog.resource_properties(op.resource).items():
            if isinstance(prop, dict) and prop.get("format") in _FORMATS:
                names.add(_bare(name))
    return frozenset(names - _NOT_PHONE)


def is_phone_name(name: str) -> bool:
    """True for a parameter or field the catalog types as a phone number."""
    return _bare(name) in phone_names()


def phone_digits_of(value: str) -> str | None:
    """The digits of ``value`` when it is a phone number in a loose form (``4155550144``,
    ``14155550145.0``, ``415-555-0144``, ``+1 (415) 555-0144``): a 10-digit number is taken
    as North American (``1`` put in front), as ``(415) 555-0100`` is; None otherwise."""
    text = value.strip()
    if not _LOOSE.fullmatch(text):
        return None
    text = re.sub(r"\.0+$", "", text)
    digits = re.sub(r"\D", "", text)
    if not 7 <= len(digits) <= 15 or digits.startswith("0"):
        return None
    return "1" + digits if len(digits) == 10 and not text.startswith("+") else digits
