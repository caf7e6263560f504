"""How records show, in text and in HTML: one place for the magics, a shown Result and the
form. Missing values (NaN, NaT, None, ``<NA>``) show as blank cells; counts read "1 record",
"2 records". Pure: no IPython, no widgets (the front ends put these strings where they go).
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["TABLE_CSS", "WRAP", "count_of", "table_html", "table_text", "walk_summary"]

MAX_TEXT_WIDTH = 120  # characters of a text table before pandas wraps columns
MAX_COLUMNS = 40

# A line of text that wraps within its box, even inside a long URL (no word is too long): a
# status line, a note, an error (issue 32: a status line 6,890 px wide ran off the notebook).
WRAP = "white-space:normal;overflow-wrap:anywhere;word-break:break-word;max-width:100%"

# The table's box scrolls sideways by itself; ``width:0; min-width:100%`` keeps it from
# widening what holds it (a notebook's output area grows to its content's widest line).
TABLE_CSS = """<style>
.twilio-nb-table {overflow-x:auto; width:0; min-width:100%; max-width:100%; max-height:420px;
  overflow-y:auto}
.twilio-nb-table table {border-collapse:collapse; font-size:12px; margin:4px 0}
.twilio-nb-table th, .twilio-nb-table td {padding:3px 8px; border-bottom:1px solid #e5e5e5;
  text-align:left; white-space:nowrap; max-width:360px; overflow:hidden; text-overflow:ellipsis}
.twilio-nb-table thead th {background:#f4f5f7; position:sticky; top:0}
.twilio-nb-table tbody tr:nth-child(even) {background:#fafafa}
</style>"""


def count_of(n: int, word: str = "record") -> str:
    """``"1 record"``, ``"2,500 records"``."""
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def _blanked(frame: pd.DataFrame, rows: int) -> pd.DataFrame:
    """The first ``rows`` rows with every missing value as an empty string."""
    head = frame.head(rows)
    return head.astype(object).where(head.notna(), "")


def table_text(frame: pd.DataFrame, rows: int = 20) -> str:
    """The first ``rows`` rows of ``frame`` as a text table, and how many rows are not shown."""
    if frame.shape[1] == 0:
        return "(no columns)" if len(frame) else "(no records)"
    if len(frame) == 0:
        return "(no records; columns: " + ", ".join(map(str, frame.columns)) + ")"
    text = _blanked(frame, rows).to_string(max_cols=MAX_COLUMNS, line_width=MAX_TEXT_WIDTH,
                                           max_colwidth=40)
    if len(frame) > rows:
        text += f"\n… first {rows} of {count_of(len(frame), 'row')}"
    return text


def _titled(table: str, titles: Mapping[str, str]) -> str:
    """``table``'s column headers with ``title="..."`` (what each column means)."""
    head, sep, rest = table.partition("</thead>")

    def titled(m: re.Match[str]) -> str:
        name = html.unescape(m.group(1))
        title = titles.get(name)
        if not title:
            return m.group(0)
        return f'<th title="{html.escape(title, quote=True)}">{m.group(1)}</th>'

    return re.sub(r"<th>([^<]*)</th>", titled, head) + sep + rest


WHOLE = "the answer's <code>.df</code>"


def table_html(frame: pd.DataFrame, rows: int = 20, whole: str = WHOLE,
               titles: Mapping[str, str] | None = None) -> str:
    """The first ``rows`` rows of ``frame`` as an HTML table (values escaped), with a note
    when there are more (``whole``: where the whole DataFrame is, in words that fit where
    the table shows; never a variable the reader may not have); ``titles`` (column ->
    meaning) become the headers' ``title``."""
    shown = _blanked(frame, rows).to_html(max_cols=MAX_COLUMNS, classes="dataframe", border=0)
    if titles:
        shown = _titled(shown, titles)
    more = (f"<div style='color:#555;font-size:12px;margin:2px 0;{WRAP}'>first {rows} of "
            f"{count_of(len(frame), 'row')}; the whole DataFrame is {whole}</div>"
            if len(frame) > rows else "")
    return f"{TABLE_CSS}<div class='twilio-nb-table'>{shown}</div>{more}"


def walk_summary(records: int, pages: int, outcome: str) -> str:
    """What a table filled by a walk holds: ``"2,500 records, all pages"`` and the like.
    ``outcome``: done, limit, cancelled or failed."""
    got = f"{count_of(records)} from {count_of(pages, 'page')}"
    return {"done": f"{count_of(records)}, all pages ({count_of(pages, 'page')})",
            "limit": f"{got} (the limit)",
            "cancelled": f"{got}; cancelled, more pages not fetched",
            "failed": f"{got}; stopped by an error, more pages not fetched"}[outcome]
