"""The notebook front end's widgets (ipywidgets); the core never imports this package.

* :func:`form` / :class:`TwilioForm`: the SAP adapter's Connection and Processing tabs;
* :func:`result_bundle` / :class:`NextPageButton`: how a Result shows in IPython (the
  paging widget where widgets render).
"""

from __future__ import annotations

from .form import TwilioForm, form
from .next_page import NextPageButton
from .result_display import result_bundle

__all__ = ["NextPageButton", "TwilioForm", "form", "result_bundle"]
