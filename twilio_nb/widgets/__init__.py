"""The notebook front end's widgets (ipywidgets); the core never imports this package.

* :func:`form` / :class:`TwilioForm`: the SAP adapter's Connection and Processing tabs;
* :func:`show_result` / :class:`NextPageButton`: how a Result shows in IPython;
* ``inbox_view.show_inbox``: a webhook inbox's table, updated as requests arrive.
"""

from __future__ import annotations

from .form import TwilioForm, form
from .next_page import NextPageButton, show_result

__all__ = ["NextPageButton", "TwilioForm", "form", "show_result"]
