"""How an :class:`~twilio_nb.webhooks.inbox.Inbox` shows in IPython: its table, kept up to date.

The inbox's own display (``_repr_mimebundle_``: HTML and plain text) is a snapshot. With the
extension loaded, IPython shows it under a display id and updates that display after every
request, so the table in the notebook grows as callbacks arrive (in front ends that honour
display updates: JupyterLab, Notebook 7, VS Code, Voila); elsewhere (a terminal, nbconvert)
the snapshot is what shows.
"""

from __future__ import annotations

from IPython.display import display

from ..webhooks.inbox import Inbox

__all__ = ["show_inbox"]


def show_inbox(inbox: Inbox) -> None:
    handle = display(inbox._repr_mimebundle_(), raw=True, display_id=True)
    if handle is None or inbox.closed:
        return

    def refresh(box: Inbox) -> None:
        handle.update(box._repr_mimebundle_(), raw=True)

    inbox.on_request(refresh)
