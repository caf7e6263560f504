"""How a running slice is split while the slices are walked (work stealing): what is left
of a slice (:meth:`SliceSplits._work`), where to cut it (:func:`._slice_dates.split_point`)
and which running slice to cut (the one with the most work left). A part of
:class:`._slice_scheduler.SliceWalks`, which holds the state named below.

Imports nothing above paging: no answers, session or front end.
"""

from __future__ import annotations

import math
from typing import Any

from . import _slice_plan  # PAGE_SIZE read at use: tests make it smaller there
from ._slice_dates import DateFilter, Slice, parse_bound, split_point, unit_text, units
from ._slice_plan import SliceState

__all__ = ["SliceSplits", "Work"]

Work = tuple[float, int | None, int, float | None]  # records left, lower, reached, rate


class SliceSplits:
    """The splitting of :class:`~._slice_scheduler.SliceWalks` (its state, under its lock)."""

    flt: DateFilter | None
    states: list[SliceState]
    concurrency: int
    rate: float | None
    blind: int
    floor: int | None
    closing: set[int]
    cuts: set[int]

    def _units(self, text: str, *, upper: bool) -> int:
        assert self.flt is not None
        return units(parse_bound(text, "until" if upper else "since", upper=upper).at,
                     self.flt.date_only)

    def _lower(self, state: SliceState) -> Any:
        if state.slice is None or not state.slice.lower:
            return None
        return parse_bound(state.slice.lower, "since", upper=False).at

    def _work(self, state: SliceState) -> Work | None:
        """What is left of a slice: (expected records, lower, reached, rate); None when it
        cannot be split."""
        flt = self.flt
        if flt is None or state.slice is None or state.done or state.held is not None \
                or id(state) in self.closing or (state.started and state.reached is None):
            return None
        low = self._lower(state)
        lower = units(low, flt.date_only) if low is not None else None
        reached = state.reached if state.reached is not None else \
            self._units(state.slice.upper, upper=True)
        if lower is None and state.reached is None and self.blind >= self.concurrency:
            return None  # enough pieces cut blind: wait for a page from further back
        if lower is None and self.floor is not None:  # the records end there
            lower = self.floor
        rate = state.rate or self.rate
        if state.top is not None and state.reached is not None and state.rows >= 2:
            rate = state.rows / (state.top - state.reached + 1)  # observed in this slice
        if lower is not None and reached - lower + 1 < 2:
            return None
        work = math.inf if lower is None or not rate else rate * (reached - lower + 1)
        return work, lower, reached, rate

    def _cut(self, chosen: SliceState, work: Work) -> SliceState | None:
        """``chosen`` keeps the newer part, the new slice (inserted after it, returned) the
        older; None when it cannot be cut."""
        assert self.flt is not None and chosen.slice is not None
        _, lower, reached, rate = work
        date_only = self.flt.date_only
        cut = split_point(lower, reached, rate, _slice_plan.PAGE_SIZE, date_only)
        if cut is None:
            return None
        old = chosen.slice
        if not old.lower and chosen.reached is None:
            self.blind += 1
        new = SliceState(Slice(old.lower, unit_text(cut - 1, date_only)), rate=rate)
        self.cuts.add(id(new))
        chosen.slice = Slice(unit_text(cut, date_only), old.upper)
        self.states.insert(self.states.index(chosen) + 1, new)
        return new

    def _split(self, running: list[SliceState]) -> SliceState | None:
        """Split the running slice with the most work left (more than its next page brings):
        the new slice, or None."""
        best: Work | None = None
        chosen: SliceState | None = None
        for state in running:
            if not state.started and id(state) in self.cuts:
                continue  # a piece not walked yet: its size is a guess until its first page
            work = self._work(state)
            if work is not None and work[0] > _slice_plan.PAGE_SIZE and (
                    best is None or work[0] > best[0]):
                best, chosen = work, state
        if best is None or chosen is None:
            return None
        return self._cut(chosen, best)
