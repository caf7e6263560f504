"""What a user asks of a walk, checked once: :class:`WalkOptions`.

Every walk a user starts (``r.all()``, ``r.walk()``, ``r.to_parquet()``, the magics'
``--all``/``--limit``/``--parquet``, the form's Load all) is described by one WalkOptions,
checked when it is made, before anything is sent: ``limit`` (the walk wing's
:func:`~.walk._walk.check_limit`, which a Walk made directly checks its own with),
``concurrency`` (:func:`check_concurrency`), ``since``/``until`` (each a date),
``page_size`` (1 to 1,000), the Parquet target (``export``: ``check_path``), and which
options go together (``limit`` not with ``parquet``; ``concurrency``, ``since`` and
``until`` only with a walk; ``overwrite`` only with ``parquet``). What needs the request as
well (the range against its date filter, an unfinished export beside the target) is checked
by :func:`twilio_nb.paging.before_sending` (:func:`.slices._slice_plan.check_range`).

``flags=True`` names the options the way the magics write them (``--since``, ``add
--overwrite``) in the messages; otherwise as Python's keywords (``since``, ``give
overwrite=True``).

Imports nothing above paging: no answers, session or front end; never pandas or pyarrow.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from ..errors import ConfigurationError
from .export._export_checkpoint import check_path
from .slices._slice_dates import parse_bound
from .walk._page_size import MAX_PAGE_SIZE
from .walk._walk import check_limit

__all__ = ["WalkOptions", "check_concurrency"]

MAX_CONCURRENCY = 32


def _said(name: str, flags: bool) -> str:
    return "--" + name.replace("_", "-") if flags else name


def check_concurrency(concurrency: Any, *, flags: bool = False) -> int:
    """``concurrency`` checked: an integer from 1 to 32."""
    if isinstance(concurrency, bool) or not isinstance(concurrency, int) \
            or not 1 <= concurrency <= MAX_CONCURRENCY:
        example = "--concurrency 8" if flags else "concurrency=8"
        raise ConfigurationError(
            f"{_said('concurrency', flags)} must be an integer from 1 to {MAX_CONCURRENCY}, "
            f"got {concurrency!r}: e.g. {example} (Twilio answers 429 beyond an account's "
            "concurrency limit).", field="concurrency")
    return concurrency


@dataclass(frozen=True)
class WalkOptions:
    """A walk as the user asked for it (checked when made: a ConfigurationError that says
    the fix). ``every``: walk every page (``--all``, ``r.all()``); ``limit``: at most that
    many records; ``parquet``: stream the list into that file (``overwrite`` an existing
    one); ``concurrency``: date slices walked at once; ``since``/``until``: the range;
    ``page_size``: the first request's PageSize (None: 1,000 for a walk, Twilio's default
    otherwise); ``progress``: a progress bar; ``prefetch``: fetch ahead (sequential walks)."""

    every: bool = False
    limit: int | None = None
    concurrency: int = 1
    since: Any = None
    until: Any = None
    parquet: str | os.PathLike[str] | None = None
    overwrite: bool = False
    page_size: int | None = None
    progress: bool = True
    prefetch: bool = True
    flags: bool = False

    def __post_init__(self) -> None:
        self._check_together()
        check_limit(self.limit, flags=self.flags)
        check_concurrency(self.concurrency, flags=self.flags)
        for name in ("since", "until"):
            value = getattr(self, name)
            if value is not None:
                parse_bound(value, self.said(name), upper=name == "until")
        size = self.page_size
        if size is not None and (isinstance(size, bool) or not isinstance(size, int)
                                 or not 1 <= size <= MAX_PAGE_SIZE):
            raise ConfigurationError(f"{self.said('page_size')} must be between 1 and "
                                     f"{MAX_PAGE_SIZE} (Twilio's maximum)", field="PageSize")
        if self.parquet is not None:
            check_path(self.parquet, self.overwrite, replace=self.replace)

    def _check_together(self) -> None:
        """The options given with what they apply to: a ConfigurationError rather than an
        option silently left unused."""
        if self.parquet is not None and self.limit is not None:
            raise ConfigurationError(f"{self.said('parquet')} writes every record: leave "
                                     f"{self.said('limit')} out", field="limit")
        if not self.walks:
            walk = "--all, --limit N or --parquet PATH" if self.flags else \
                "a walk (every=True, a limit or a parquet path)"
            given = {"concurrency": self.concurrency != 1, "since": self.since is not None,
                     "until": self.until is not None}
            unused = next((name for name, there in given.items() if there), None)
            if unused is not None:
                raise ConfigurationError(f"{self.said(unused)} applies to {walk}: add one of "
                                         "them", field=unused)
        if self.overwrite and self.parquet is None:
            raise ConfigurationError(f"{self.said('overwrite')} applies to "
                                     f"{self.said('parquet')}{' PATH' if self.flags else ''}: "
                                     f"add it, or leave {self.said('overwrite')} out",
                                     field="overwrite")

    @property
    def walks(self) -> bool:
        """Does the action walk the list (beyond the first page)?"""
        return self.every or self.limit is not None or self.parquet is not None

    @property
    def sliced(self) -> bool:
        """Is the walk cut into date slices (concurrency or a range)?"""
        return self.concurrency != 1 or self.since is not None or self.until is not None

    @property
    def replace(self) -> str:
        """How the user says "replace it" (an existing file, another export's checkpoint)."""
        return "add --overwrite" if self.flags else "give overwrite=True"

    @property
    def range_prefix(self) -> str:
        """What a range error starts with: the magics name their options."""
        return "--since/--until: " if self.flags else ""

    def said(self, name: str) -> str:
        """``name`` as the user wrote it (``--page-size`` or ``page_size``)."""
        return _said(name, self.flags)
