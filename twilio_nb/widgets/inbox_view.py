"""How an :class:`~twilio_nb.webhooks.inbox.Inbox` shows in IPython: its table, kept up to date.

The inbox's own display (``_repr_mimebundle_``: HTML and plain text) is a snapshot: the count
of requests and a table of the last ``SHOWN_ROWS``. With the extension loaded, IPython shows it
under a display id and :class:`LiveInbox` updates that display as requests arrive, so the table
in the notebook follows the callbacks (in front ends that honour display updates: JupyterLab,
Notebook 7, VS Code, Voila); elsewhere (a terminal, nbconvert) the snapshot is what shows.

Redraws are throttled: the first request after a quiet spell is drawn at once, the ones that
follow within ``INTERVAL`` seconds are coalesced into one redraw at the end of it (a timer), and
each redraw renders the last rows only, so a thousand callbacks a second cost a few redraws a
second of the same size whatever the number of rows. A cleared inbox is drawn at once.

The display goes through IPython's display-update protocol rather than an ipywidgets widget:
it needs no widget manager, so it also updates in front ends without one, and a kernel
restart leaves the last snapshot readable in the saved notebook.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from IPython.display import display

from ..webhooks.inbox import SHOWN_ROWS, Inbox

__all__ = ["INTERVAL", "LiveInbox", "show_inbox"]

INTERVAL = 0.25  # seconds between two redraws at most: four a second


class LiveInbox:
    """One shown inbox table and its throttled redraws (see the module's docstring)."""

    def __init__(self, inbox: Inbox, handle: Any, *, interval: float = INTERVAL,
                 shown: int = SHOWN_ROWS) -> None:
        self.inbox, self.handle = inbox, handle
        self.interval, self.shown = interval, shown
        self.redraws = 0  # how many times the display was drawn again (tests and benchmarks)
        self._lock = threading.Lock()  # the throttle's state: _last, _timer, redraws
        self._draw_lock = threading.Lock()  # one redraw at a time: the newest table lands last
        self._last = float("-inf")  # monotonic time of the last redraw
        self._timer: threading.Timer | None = None

    def __call__(self, inbox: Inbox) -> None:
        """The inbox's listener: draw now, or once at the end of the current interval."""
        with self._lock:
            if self._timer is not None and len(inbox):
                return  # a redraw is already planned; it will show this request too
            wait = self._last + self.interval - time.monotonic()
            if wait > 0 and len(inbox):
                self._timer = threading.Timer(wait, self._draw_planned)
                self._timer.daemon = True
                self._timer.start()
                return
            if self._timer is not None:  # cleared: draw now, the planned redraw is moot
                self._timer.cancel()
                self._timer = None
            self._drawn()
        self._draw()

    def _draw_planned(self) -> None:
        with self._lock:
            if self._timer is not threading.current_thread():
                return  # cancelled (a clear drew) or replaced: whoever replaced it draws
            self._timer = None
            self._drawn()
        try:
            self._draw()
        except Exception:  # a display that went away: stop redrawing, never break the inbox
            self.inbox.off_request(self)

    def _drawn(self) -> None:
        """Count a redraw about to happen (under the lock, so two cannot both go at once)."""
        self._last = time.monotonic()
        self.redraws += 1

    def _draw(self) -> None:
        """Build the table and show it, under the draw lock: a redraw that started later
        reads the rows later and lands later, so an older table never ends up shown."""
        with self._draw_lock:
            self.handle.update(self.inbox._repr_mimebundle_(shown=self.shown), raw=True)


def show_inbox(inbox: Inbox) -> None:
    handle = display(inbox._repr_mimebundle_(), raw=True, display_id=True)
    if handle is None or inbox.closed:
        return
    inbox.on_request(LiveInbox(inbox, handle))
