"""Previews: an image for message media, an audio player for recordings.

A binary answer (``image/*``, ``audio/*``) becomes an ``Image`` or ``Audio`` widget. A JSON,
XML or CSV answer that lists media (``ME...``) or recordings (``RE...``) offers their content:
a media resource's content is its ``uri`` without the ``.json`` suffix, a recording's audio is
its ``uri`` with ``.wav``; both are fetched through the same connection.

A one-record answer (Get Recording, Get Message Media) brings its preview with it
(:func:`previews_with_result`); a list offers them behind a "Show media" button, since each
one is a download (a recording of 9 minutes is megabytes).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from ..request.urls import split_suffix

if TYPE_CHECKING:
    from ..answers.result import Result
    from ..session.connection import Connection

__all__ = ["MAX_PREVIEWS", "fetch_media", "fetch_previews", "media_targets", "preview_widget",
           "previews_with_result"]

MAX_PREVIEWS = 4


def preview_widget(result: Result) -> Any | None:
    """An ``Image`` or ``Audio`` widget for a binary image or audio answer, else None."""
    if not result.is_binary:
        return None
    ctype = result.content_type.split(";")[0].strip().lower()
    kind, _, subtype = ctype.partition("/")
    if kind == "image":
        return widgets.Image(value=result.content, format=subtype or "png",
                             layout=widgets.Layout(max_width="320px"))
    if kind == "audio":
        return widgets.Audio(value=result.content, format=subtype or "wav", autoplay=False,
                             controls=True)
    return None


def media_targets(result: Result) -> list[str]:
    """The URIs of the media (``ME...``) and recordings (``RE...``) the answer lists, first
    :data:`MAX_PREVIEWS` of them."""
    if result.format is None:
        return []
    frame = result.df
    if "uri" not in frame.columns or "sid" not in frame.columns:
        return []
    out: list[str] = []
    for sid, uri in zip(frame["sid"], frame["uri"], strict=True):
        if not isinstance(uri, str) or not isinstance(sid, str):
            continue
        if sid.startswith(("ME", "RE")) and uri.startswith("/2010-04-01/"):
            out.append(uri)
        if len(out) >= MAX_PREVIEWS:
            break
    return out


def fetch_media(source: Result | Connection, uri: str) -> Result:
    """Fetch the content a media or recording URI points at, through ``source`` (the Result
    that lists it, or a Connection): a message media's file is its URI without a suffix, a
    recording's audio its URI with ``.wav``."""
    stem = split_suffix(uri.partition("?")[0])[0]
    sid = stem.rstrip("/").rsplit("/", 1)[-1]
    return source.fetch_content(stem + ".wav" if sid.startswith("RE") else stem)


def previews_with_result(result: Result) -> bool:
    """Are ``result``'s previews fetched and shown with it? Yes for a one-record answer that
    names media or a recording (a Get); a list waits for "Show media"."""
    return result.format is not None and len(result.df) == 1 and bool(media_targets(result))


def fetch_previews(result: Result) -> list[Any]:
    """The ``Image`` / ``Audio`` widgets of the media and recordings ``result`` lists (at most
    :data:`MAX_PREVIEWS`), fetched through its connection. Errors propagate."""
    shown: list[Any] = []
    for uri in media_targets(result):
        widget = preview_widget(fetch_media(result, uri))
        if widget is not None:
            shown.append(widget)
    return shown
