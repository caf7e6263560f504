"""Where requests go: the account, the API host (address, region, edge) and, for the offline
sandbox, which sandbox. The one target rule of every resumable file whose meaning depends on
where it was fetched or sent (a batch's checkpoint, a Parquet export's checkpoint).

:class:`Target` is what a connection says it targets (``Connection.target``); a file records
it (:meth:`Target.saved`) and, when resumed, compares it with the connection's
(:func:`differs`): rows sent to one account are not sent to another, pages of one sandbox are
not those of another. A file written before targets were recorded has none: it is refused
too (its rows may have gone anywhere).

Imports nothing of the package: it sits with the request, below paging and the batch.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["Target", "differs"]


@dataclass(frozen=True)
class Target:
    """The account SID, the address and region/edge, and the sandbox's identity (None on a
    real Twilio)."""

    account_sid: str | None
    address: str
    region: str | None = None
    edge: str | None = None
    sandbox: str | None = None

    def saved(self) -> dict[str, Any]:
        """As a file records it (JSON)."""
        return {"account_sid": self.account_sid, "address": self.address,
                "region": self.region, "edge": self.edge, "sandbox": self.sandbox}

    @classmethod
    def restored(cls, data: Any) -> Target | None:
        """The target a file recorded, or None when it recorded none (or not one of ours)."""
        if not isinstance(data, dict) or not isinstance(data.get("address"), str):
            return None
        text = {k: data.get(k) if isinstance(data.get(k), str) else None
                for k in ("account_sid", "region", "edge", "sandbox")}
        return cls(address=data["address"], **text)

    def describe(self) -> str:
        """``account AC12…cdef at https://api.twilio.com (region ie1, edge dublin)``, or
        ``account AC12…cdef in sandbox 3f2a9c01`` (the SID shortened, as connections show it)."""
        sid = self.account_sid or "(none)"
        shown = sid if len(sid) <= 10 else f"{sid[:4]}…{sid[-4:]}"
        where = f"sandbox {self.sandbox}" if self.sandbox else self.address
        extra = ", ".join(f"{k} {v}" for k, v in (("region", self.region), ("edge", self.edge))
                          if v)
        return f"account {shown} {'in' if self.sandbox else 'at'} {where}" + (
            f" ({extra})" if extra else "")


def differs(recorded: Any, current: Target) -> str | None:
    """None when a file's recorded target (as saved) is ``current``; else the sentence
    naming both (``written against …; this connection targets …``)."""
    theirs = Target.restored(recorded)
    if theirs == current:
        return None
    before = theirs.describe() if theirs is not None else "an unrecorded target (an older file)"
    return f"it was written against {before}; this connection targets {current.describe()}"
