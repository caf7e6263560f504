"""The notebook front end's widgets (ipywidgets); the core never imports this package.

* :func:`form` / :class:`TwilioForm`: the SAP adapter's Connection and Processing tabs;
* :func:`result_bundle` / :class:`NextPageButton`: how a Result shows in IPython (the
  paging widget where widgets render).
* ``inbox_view.show_inbox``: a webhook inbox's table, updated as requests arrive.
"""

from __future__ import annotations

from .form import TwilioForm, form
from .result_display import result_bundle
from .result_paging import NextPageButton

__all__ = ["NextPageButton", "TwilioForm", "form", "result_bundle"]
