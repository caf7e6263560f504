"""The notebook front end's widgets (ipywidgets); the core never imports this package."""

from __future__ import annotations

from .next_page import NextPageButton, show_result

__all__ = ["NextPageButton", "show_result"]
