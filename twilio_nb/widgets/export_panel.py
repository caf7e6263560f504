"""The form's Bulk export choice: a resource, since and until, and Export.

**Bulk export** is ``conn.bulk_export(resource, since, until, ...)`` (Twilio's Bulk Export
API: day files into one typed frame; docs/bulk.md): the panel collects the choice, calls the
core and renders what came back (the days by status, the jobs, the first rows). ``Ask Twilio
for missing days`` is ``create_jobs``; with it the panel does not wait for the jobs
(``wait=False``): their days show as requested, and Export again takes them once done.
Every error is said in the panel, never raised.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

import ipywidgets as widgets

from ..answers.tables import table_html
from ..session.connection import Connection
from ..vocabulary import BULK_EXPORT_LEFT_OUT
from ._common import error_card, escape, field, fit_button, note, row

if TYPE_CHECKING:
    from ..bulk_export import BulkExport

__all__ = ["ExportPanel"]

SHOWN_ROWS = 5
PART_WIDTH = "340px"  # three to a row in a wide notebook; they wrap in a narrow one


class ExportPanel(widgets.VBox):  # type: ignore[misc]
    """Bulk export: resource, since, until; Export; the outcome."""

    def __init__(self, connection: Callable[[], Connection]) -> None:
        self._connection = connection
        last = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=2)
        self.resource = field(widgets.Dropdown(description="Bulk export",
                                               options=list(BULK_EXPORT_LEFT_OUT),
                                               value="Messages"), PART_WIDTH)
        self.since = field(widgets.Text(description="Since (UTC day)",
                                        value=str(last - dt.timedelta(days=6)),
                                        placeholder="YYYY-MM-DD"), PART_WIDTH)
        self.until = field(widgets.Text(description="Until (UTC day)", value=str(last),
                                        placeholder="YYYY-MM-DD"), PART_WIDTH)
        self.jobs = widgets.Checkbox(description="Ask Twilio for missing days (jobs)",
                                     value=False, indent=False)
        self.export_button = fit_button(widgets.Button(
            description="Bulk export", icon="download",
            tooltip="conn.bulk_export(resource, since, until)"))
        self.output = widgets.HTML()
        self.export: BulkExport | None = None
        self.export_button.on_click(lambda _b: self.run())
        super().__init__([row([self.resource, self.since, self.until]),  # wraps when narrow
                          row([self.jobs, self.export_button]), self.output])

    def run(self) -> BulkExport | None:
        """What Bulk export does; the outcome (None on an error, which the panel shows)."""
        self.export_button.disabled = True
        self.output.value = note("Exporting …")
        try:
            self.export = self._connection().bulk_export(
                self.resource.value, self.since.value, self.until.value,
                create_jobs=self.jobs.value, wait=False, progress=False)
        except Exception as exc:  # never a traceback: the panel says it
            self.output.value = error_card(exc)
            return None
        finally:
            self.export_button.disabled = False
        self.output.value = _summary(self.export)
        return self.export


def _summary(export: BulkExport) -> str:
    counts = export.days["status"].value_counts()
    days = ", ".join(f"{n} {escape(str(status))}" for status, n in counts.items())
    head = table_html(export.df, SHOWN_ROWS, "the export's <code>.df</code>")
    waiting = " Export again once the jobs are done." if export.missing else ""
    return (note(f"{export.records:,} records, {days}; {len(export.jobs)} jobs sent."
                 f"{waiting}") + head)


