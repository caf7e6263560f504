"""The result area's previews: a Get's image or audio player comes with its result, a list's
behind "Show media" (which hides them again); the player lasts the recording."""

from __future__ import annotations

import io
import wave
from pathlib import Path

import ipywidgets as widgets
from widget_helpers import make_form

from twilio_nb.widgets.form import TwilioForm

PNG = b"\x89PNG\r\n\x1a\n"


def get_recording(form: TwilioForm) -> dict[str, str]:
    """Get Recording of the sandbox's longest recording, through the form; its record."""
    recs = form.connection.basic("Recording", "List Recordings", query="PageSize=1000").df
    longest = recs.loc[recs["duration"].astype(int).idxmax()]
    p = form.processing
    p.select("Recording", "Get Recording")
    p.params.rows["Sid"].control.value = str(longest["sid"])
    assert form.execute() is not None
    return {"sid": str(longest["sid"]), "duration": str(longest["duration"])}


def test_get_recording_shows_its_player_with_the_result(tmp_path: Path) -> None:
    form, _ = make_form(tmp_path)
    rec = get_recording(form)
    area = form.result_area
    audio = [w for w in area.preview.children if isinstance(w, widgets.Audio)]
    assert len(audio) == 1  # no click needed
    with wave.open(io.BytesIO(bytes(audio[0].value))) as w:
        seconds = w.getnframes() / w.getframerate()
    assert int(rec["duration"]) > 30
    assert seconds == int(rec["duration"])  # the player lasts the recording, not 0:30
    assert rec["sid"] in area.table.value and area.error.value == ""
    assert area.media_button.description == "Hide media"
    area.media_button.click()  # hides the player
    assert area.preview.children == () and area.media_button.description == "Show media"
    area.media_button.click()  # and shows it again
    assert [type(w) for w in area.preview.children] == [widgets.Audio]


def test_get_message_media_shows_the_image_with_the_result(tmp_path: Path) -> None:
    form, _ = make_form(tmp_path)
    frame = form.connection.basic("Message", "List Messages", query="PageSize=200").df
    sid = str(frame[frame["num_media"] > 0]["sid"].iloc[0])
    media = form.connection.basic("Media", "List Message Media",
                                  params={"MessageSid": sid}).df
    p = form.processing
    p.select("Media", "Get Message Media")
    p.params.rows["MessageSid"].control.value = sid
    p.params.rows["Sid"].control.value = str(media["sid"].iloc[0])
    assert form.execute() is not None
    images = [w for w in form.result_area.preview.children if isinstance(w, widgets.Image)]
    assert len(images) == 1 and bytes(images[0].value).startswith(PNG)


def test_a_list_offers_its_media_behind_show_media(tmp_path: Path) -> None:
    form, _ = make_form(tmp_path)
    form.processing.select("Recording", "List Recordings")
    form.processing.query.value = "PageSize=2"
    form.execute()
    area = form.result_area
    assert area.preview.children == ()  # a list downloads nothing by itself
    assert area.media_button.layout.display is None
    area.media_button.click()
    audio = [w for w in area.preview.children if isinstance(w, widgets.Audio)]
    assert len(audio) == 2 and bytes(audio[0].value).startswith(b"RIFF")
    form.processing.query.value = "PageSize=3"
    form.execute()  # a new answer: the old previews go
    assert area.preview.children == () and area.media_button.description == "Show media"


def test_a_binary_answer_is_previewed(tmp_path: Path) -> None:
    form, _ = make_form(tmp_path)
    uri = str(form.connection.basic("Recording", "List Recordings").df["uri"].iloc[0])
    p = form.processing
    p.config_type.value = "Advanced"
    p.method.value = "GET"
    p.relative_url.value = uri.replace(".json", ".wav")
    form.execute()
    area = form.result_area
    assert [type(w) for w in area.preview.children] == [widgets.Audio]
    assert area.table.value == ""
