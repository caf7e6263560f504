"""How a Result shows in IPython once ``%load_ext twilio_nb`` ran: its own mimebundle
(``text/plain`` for terminals, ``text/html``), plus what only a notebook front end renders.

* a list page with a next page, in a kernel (where widgets have a comm to render through):
  the paging widget (:class:`.result_paging.NextPageButton`) as
  ``application/vnd.jupyter.widget-view+json``, the way ipywidgets' own
  ``Widget._repr_mimebundle_`` gives it; front ends without a widget manager (nbviewer, a
  terminal) fall back to the ``text/html`` or ``text/plain`` beside it;
* an image or audio answer: IPython.display's ``Image`` / ``Audio`` bundles.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from IPython.core.getipython import get_ipython
from IPython.display import Audio, Image

from .result_paging import NextPageButton

if TYPE_CHECKING:
    from ..answers.result import Result

__all__ = ["result_bundle", "widgets_render"]


def widgets_render() -> bool:
    """Is there a kernel to render widgets through (comms)? Not in terminal IPython or plain
    python, where a widget shows only as its repr."""
    return getattr(get_ipython(), "kernel", None) is not None


def _media_bundle(result: Result) -> dict[str, Any]:
    ctype = result.content_type.split(";")[0].strip().lower()
    kind, _, subtype = ctype.partition("/")
    if kind == "image" and subtype in ("png", "jpeg", "jpg", "gif", "webp"):
        bundle = Image(data=result.content, format=subtype)._repr_mimebundle_()
        return dict(bundle[0] if isinstance(bundle, tuple) else bundle)
    if kind == "audio":
        return {"text/html": Audio(data=result.content)._repr_html_()}
    return {}


def result_bundle(result: Result) -> dict[str, Any]:
    """The mimebundle IPython shows for ``result`` (registered by ``%load_ext``)."""
    bundle: dict[str, Any] = result._repr_mimebundle_()
    if result.is_binary:
        bundle.update(_media_bundle(result))
    elif widgets_render() and result.has_next_page:
        view = NextPageButton(result)._repr_mimebundle_()
        bundle.update({k: v for k, v in view.items() if k != "text/plain"})
    return bundle
