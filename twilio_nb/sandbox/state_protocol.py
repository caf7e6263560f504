"""What the operations (``handlers``), the resource rules (``behaviours``) and the clock
(``lifecycle``) use of the sandbox's state: a :class:`State` (``app.App`` is the one).

A protocol rather than ``App`` itself, so that these modules need not import ``app``, which
imports them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from .record_builder import Seeder
from .request_stats import Stats
from .resources import Form
from .routes import Router
from .store import Store

__all__ = ["Planner", "State"]


class Planner(Protocol):
    """The part of the sandbox's clock a create uses (``lifecycle.Lifecycle`` is one)."""

    def plan(self, op_id: str, form: Form) -> Callable[[tuple[str, ...], str], None] | None:
        """Check the callback URLs of a create; what starts the new record's life, if any."""
        ...


class State(Protocol):
    """The sandbox's account, data and clock as the operations see them."""

    @property
    def account_sid(self) -> str: ...

    @property
    def auth_token(self) -> str: ...

    @property
    def router(self) -> Router: ...

    @property
    def store(self) -> Store: ...

    @property
    def maker(self) -> Seeder: ...

    @property
    def stats(self) -> Stats: ...

    @property
    def lifecycle(self) -> Planner: ...

    def now(self) -> float:
        """The sandbox's clock."""
        ...

    def insert(self, product: str, segs: tuple[str, ...], rec: dict[str, object]) -> str:
        """Add a new record to the collection at ``segs`` (and to its mirrors); its key."""
        ...
