"""A checkpoint records where its rows went: resumed against another target (a new sandbox,
another account, another region) it is refused before anything is sent, naming both; with
start_again=True the old file is kept aside and every row goes to the new target."""

from __future__ import annotations

from pathlib import Path

import pytest
from batch_rows import BODY, customers, sent_per_recipient
from fake_twilio import FakeTwilio

import twilio_nb as tw
from twilio_nb.sandbox import Sandbox

ONE, TWO = "AC" + "1" * 32, "AC" + "2" * 32


def _sandboxed(box: Sandbox) -> tw.Connection:
    return tw.Connection(sandbox=box, backoff_base_s=0.01)


def test_a_checkpoint_resumed_on_a_new_sandbox_is_refused_then_started_again(
        tmp_path: Path) -> None:
    ck = tmp_path / "campaign.batch"
    rows = customers(6)
    first_box, new_box = Sandbox(messages=0), Sandbox(messages=0)
    assert first_box.identity != new_box.identity
    with _sandboxed(first_box) as conn:
        b = conn.batch("Message", "Send Message", rows, body=BODY, checkpoint=ck,
                       progress=False)
        assert b.counts["sent"] == 6
    with _sandboxed(new_box) as conn, pytest.raises(tw.ConfigurationError) as err:
        conn.batch("Message", "Send Message", rows, body=BODY, checkpoint=ck, progress=False)
    text = str(err.value)
    assert f"sandbox {first_box.identity}" in text and f"sandbox {new_box.identity}" in text
    assert "nothing was sent" in text and "new checkpoint path" in text
    assert "start_again=True" in text
    assert new_box.stats.total_requests == 0
    with _sandboxed(new_box) as conn:
        with pytest.warns(tw.TwilioWarning, match="kept as"):
            again = conn.batch("Message", "Send Message", rows, body=BODY, checkpoint=ck,
                               progress=False, start_again=True)
        assert again.counts["sent"] == 6 and not again.df["note"].notna().any()
        assert sent_per_recipient(conn, rows["token"].iloc[0]) == {p: 1 for p in rows["phone"]}
    kept = list(tmp_path.glob("campaign.batch.*.old"))
    assert len(kept) == 1 and f'"sandbox":"{first_box.identity}"' in kept[0].read_text()


def test_the_same_sandbox_through_a_new_connection_resumes(tmp_path: Path) -> None:
    ck, rows, box = tmp_path / "same.batch", customers(4), Sandbox(messages=0)
    with _sandboxed(box) as conn:
        conn.batch("Message", "Send Message", rows, body=BODY, checkpoint=ck, progress=False)
    box.stats.clear()
    with _sandboxed(box) as conn:
        again = conn.batch("Message", "Send Message", rows, body=BODY, checkpoint=ck,
                           progress=False)
    assert again.df["note"].str.startswith("from the checkpoint").all()
    assert box.stats.count("POST", "/Messages.json") == 0


def test_a_checkpoint_resumed_on_another_account_is_refused_before_sending(
        tmp_path: Path) -> None:
    fake = FakeTwilio({ONE: "token-one", TWO: "token-two"})
    ck, rows = tmp_path / "accounts.batch", customers(6)
    b = fake.connection(ONE).batch("Message", "Send Message", rows, body=BODY, checkpoint=ck,
                                   progress=False)
    assert b.counts["sent"] == 6 and len(fake.received(ONE)) == 6
    before = fake.requests
    with pytest.raises(tw.ConfigurationError, match="another target") as err:
        fake.connection(TWO).batch("Message", "Send Message", rows, body=BODY, checkpoint=ck,
                                   progress=False)
    assert "AC11…1111" in str(err.value) and "AC22…2222" in str(err.value)
    assert fake.requests == before and fake.received(TWO) == []
    with pytest.warns(tw.TwilioWarning, match="kept as"):
        moved = fake.connection(TWO).batch("Message", "Send Message", rows, body=BODY,
                                           checkpoint=ck, progress=False, start_again=True)
    # what is reported sent on account two is exactly what account two received
    assert sorted(moved.df.loc[moved.df["outcome"] == "sent"].index.map(
        rows["phone"].get)) == sorted(fake.received(TWO))
    assert len(fake.received(TWO)) == 6 and len(fake.received(ONE)) == 6


def test_another_region_or_edge_is_another_target(tmp_path: Path) -> None:
    fake = FakeTwilio({ONE: "token-one"})
    ck, rows = tmp_path / "region.batch", customers(2)
    fake.connection(ONE).batch("Message", "Send Message", rows, body=BODY, checkpoint=ck,
                               progress=False)
    before = fake.requests
    with pytest.raises(tw.ConfigurationError, match=r"another target.*region ie1, edge dublin"):
        fake.connection(ONE, region="ie1", edge="dublin").batch(
            "Message", "Send Message", rows, body=BODY, checkpoint=ck, progress=False)
    assert fake.requests == before
