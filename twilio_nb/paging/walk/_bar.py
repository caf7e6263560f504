"""The progress bar of ``r.all()``: tqdm, shown or not (``disable``): records, and pages
beside them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._page_types import Progress

__all__ = ["records_bar"]


@contextmanager
def records_bar(enabled: bool, total: int | None, initial: int = 0
                ) -> Iterator[Callable[[Progress], None]]:
    """A progress callback that moves a tqdm bar counting records (tqdm.auto: a widget in a
    notebook kernel, text elsewhere); with ``enabled`` False there is no bar (tqdm is not
    even imported: its import and first bar take tens of milliseconds)."""
    if not enabled:
        yield _still
        return
    # deferred: tqdm.auto imports ipywidgets inside a kernel; only a walk needs it
    from tqdm.auto import tqdm

    bar = tqdm(total=total, initial=initial, unit=" records", desc="twilio_nb", leave=False,
               disable=not enabled)

    def moved(progress: Progress) -> None:
        bar.set_postfix(pages=progress.pages, refresh=False)
        bar.update(progress.records - bar.n)

    try:
        yield moved
    finally:
        bar.close()


def _still(_progress: Progress) -> None:
    """No bar to move."""
