"""Origin: what a Result may do with the connection it came from, and no more.

Built by the Connection (``Connection._origin``); a Result holds one instead of the Connection,
so the model never knows who sends (as httpx's ``Response`` does not know the ``Client``).
Imports nothing of the package at run time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from ..request.built import BuiltRequest
    from ..request.target import Target
    from .result import Result

__all__ = ["Origin"]


@dataclass(frozen=True)
class Origin:
    """Where a Result came from, as much as it needs of it (built by the Connection).

    ``send(request)``: send another request the same way (same credentials, same Response
    Headers rule) and wrap the answer: next pages, a failed page again. ``fetch_content(uri)``:
    GET the file a media or recording URI names. ``sandbox``: the offline sandbox answered.
    ``display_rows``: rows a display shows. ``gated(n)``: this origin for a block with a gate
    of its own (a concurrent walk's): at most n of the requests it sends in flight, a 429
    slows them all, other walks untouched. ``replay``: the cassette a replaying connection
    answered from (None when live). ``target``: where the connection's requests go (an
    export's checkpoint records it). It is paging's :class:`~twilio_nb.paging.PageOrigin`.
    """

    send: Callable[[BuiltRequest], Result]
    fetch_content: Callable[[str], Result]
    sandbox: bool = False
    display_rows: int = 20
    gated: Callable[[int], AbstractContextManager[Origin]] | None = None
    replay: str | None = None
    target: Target | None = None
