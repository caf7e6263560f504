"""How a field is named in a frame: each part of its path in snake_case, whatever case the
format used (JSON ``capabilities.SMS`` and XML ``<Capabilities><SMS>`` both give
``capabilities.sms``). One rule, for the readers (:mod:`twilio_nb.convert`) and for the
catalog's words about fields (:mod:`.words`). Pure: the standard library only.
"""

from __future__ import annotations

import re
from functools import cache

__all__ = ["snake_case"]

_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


@cache
def snake_case(name: str) -> str:
    """``DateSent`` -> ``date_sent``, ``SubresourceUris`` -> ``subresource_uris``,
    ``SIPDomain`` -> ``sip_domain``; a name without capitals is returned as it is."""
    if name.islower() or not any(ch.isupper() for ch in name):
        return name
    return _BOUNDARY.sub("_", name).lower()
