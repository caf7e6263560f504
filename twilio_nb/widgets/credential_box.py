"""The "Add credential…" flow: a name, a user and a secret, stored in the CredentialStore.

The secret is typed into a ``Password`` field, read once when "Save credential" is clicked,
handed to :meth:`CredentialStore.add` and the field is emptied at once, whatever happens next:
no widget value, description or HTML ever holds it afterwards, so the widget state a notebook
saves holds none either.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from ..errors import ConfigurationError
from ..session.credentials import CredentialStore, mask
from ._common import escape, field, hide, note

__all__ = ["AddCredentialBox"]


class AddCredentialBox(widgets.VBox):  # type: ignore[misc]
    """Name, User, Secret (masked) and Account SID; "Save credential" stores them."""

    def __init__(self, store: CredentialStore, on_saved: Callable[[str], None],
                 on_cancel: Callable[[], None]) -> None:
        self.store = store
        self._on_saved = on_saved
        self._on_cancel = on_cancel
        self.name = field(widgets.Text(description="Name", placeholder="e.g. prod"))
        self.user = field(widgets.Text(
            description="User", placeholder="API key SID (SK...) or Account SID (AC...)"))
        self.secret = field(widgets.Password(
            description="Secret", placeholder="API key secret or auth token (not shown)",
            continuous_update=False))
        self.account_sid = field(widgets.Text(
            description="Account SID", placeholder="AC... (with an API key: the key's account)"))
        self.save = widgets.Button(description="Save credential", button_style="primary",
                                   icon="lock")
        self.cancel = widgets.Button(description="Cancel")
        self.message = widgets.HTML()
        self.save.on_click(self._save)
        self.cancel.on_click(self._cancel)
        buttons = widgets.HBox([self.save, self.cancel],
                               layout=widgets.Layout(margin="0 0 0 204px"))
        title = widgets.HTML(note("<b>Add credential</b> — kept in the credential store "
                                  "(system keyring or an owner-only file), never in the "
                                  "notebook"))
        super().__init__([title, self.name, self.user, self.secret, self.account_sid, buttons,
                          self.message],
                         layout=widgets.Layout(border="1px solid #ddd", padding="6px",
                                               margin="4px 0 4px 0", width="700px"))
        hide(self)

    def clear(self) -> None:
        self.name.value = ""
        self.user.value = ""
        self.secret.value = ""
        self.account_sid.value = ""

    def _save(self, _button: Any = None) -> None:
        secret = self.secret.value
        self.secret.value = ""  # read once, cleared at once
        name = self.name.value.strip()
        user = self.user.value.strip()
        account = self.account_sid.value.strip() or None
        try:
            if not secret:
                raise ConfigurationError("Type the secret (the API key secret or the auth "
                                         "token) and click Save credential again.",
                                         field="Secret")
            self.store.add(name, user, secret, account_sid=account)
        except ConfigurationError as exc:
            self.message.value = note(escape(f"Not stored: {exc}"), "#d32f2f")
            return
        finally:
            secret = ""
        self.message.value = note(escape(f"Stored {name!r} for user {mask(user)}."), "#2e7d32")
        self.clear()
        hide(self)
        self._on_saved(name)

    def _cancel(self, _button: Any = None) -> None:
        self.clear()
        self.message.value = ""
        hide(self)
        self._on_cancel()
