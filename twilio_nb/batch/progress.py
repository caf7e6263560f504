"""The progress bar of a batch's rows (tqdm.auto: a widget in a kernel, text elsewhere).

Imports nothing of the package; tqdm inside :meth:`RowsBar.__enter__`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["RowsBar"]


class RowsBar:
    """A tqdm progress bar of rows (tqdm.auto: a widget in a kernel), or none."""

    def __init__(self, enabled: bool, total: int) -> None:
        self.enabled, self.total = enabled and total > 0, total
        self._bar: Any = None

    def __enter__(self) -> Callable[[dict[str, int]], None]:
        if self.enabled:
            from tqdm.auto import tqdm  # deferred: tqdm.auto imports ipywidgets in a kernel

            self._bar = tqdm(total=self.total, unit=" rows", desc="twilio_nb batch", leave=False)
        return self._moved

    def _moved(self, counts: dict[str, int]) -> None:
        if self._bar is not None:
            self._bar.set_postfix({k: v for k, v in counts.items() if k != "not sent"},
                                  refresh=False)
            self._bar.update(1)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.close()
