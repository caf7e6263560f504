"""The form's Bulk export choice: resource, since, until; Export renders the days and rows."""

from __future__ import annotations

from twilio_nb.widgets.form import TwilioForm


def test_bulk_export_shows_the_days_and_the_rows(form: TwilioForm) -> None:
    panel = form.export_panel
    assert list(panel.resource.options) == ["Messages", "Calls", "Conferences", "Participants"]
    panel.since.value, panel.until.value = "2025-01-01", "2025-06-30"
    x = panel.run()
    assert x is not None and len(x.df) > 0 and x.resource == "Messages"
    assert f"{x.records:,} records" in panel.output.value and "available" in panel.output.value
    assert x.df["sid"].iloc[0] in panel.output.value
    assert not panel.export_button.disabled


def test_bulk_export_says_a_bad_choice_in_the_panel(form: TwilioForm) -> None:
    panel = form.export_panel
    panel.since.value, panel.until.value = "2025-02-01", "2025-01-01"
    assert panel.run() is None
    assert "before since" in panel.output.value and panel.export is None
    panel.jobs.value = True
    panel.since.value, panel.until.value = "2025-01-01", "2099-01-01"
    assert panel.run() is None and "too recent" in panel.output.value
