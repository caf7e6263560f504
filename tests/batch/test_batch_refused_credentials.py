"""Refused credentials (401, or 403 with 20003) stop a batch at the first answer: the rows
not answered are "not sent", none is recorded failed, and the rerun with a good credential
on the same checkpoint sends all of them, once."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import httpx
import pytest
from batch_rows import BODY, customers
from fake_twilio import FakeTwilio

import twilio_nb as tw
from twilio_nb.batch import BatchError

ONE = "AC" + "1" * 32


@pytest.mark.parametrize("status", [401, 403])
def test_refused_credentials_stop_the_batch_and_the_fixed_rerun_sends_all(
        status: int, tmp_path: Path) -> None:
    fake = FakeTwilio({ONE: "the-right-token"})
    if status == 403:  # Twilio's 20003 as a 403 (a key without the right to the account)
        inner = fake._handle

        def forbidden(request: httpx.Request) -> httpx.Response:
            answer = inner(request)
            return httpx.Response(403, content=answer.content, headers=answer.headers) \
                if answer.status_code == 401 else answer

        fake._handle = forbidden  # type: ignore[method-assign]
    ck, rows = tmp_path / "creds.batch", customers(50)
    wrong = fake.connection(ONE, "a-wrong-token")
    with pytest.raises(BatchError, match="refused the credential") as err:
        wrong.batch("Message", "Send Message", rows, body=BODY, checkpoint=ck, concurrency=4,
                    progress=False)
    assert fake.requests <= 10
    assert err.value.batch.counts["not sent"] == 50
    assert "failed" not in ck.read_text()
    good = fake.connection(ONE)
    b = good.batch("Message", "Send Message", rows, body=BODY, checkpoint=ck, concurrency=4,
                   progress=False)
    assert b.counts["sent"] == 50
    assert Counter(fake.received(ONE)) == {p: 1 for p in rows["phone"]}


def test_without_a_checkpoint_the_error_still_holds_the_batch() -> None:
    fake = FakeTwilio({ONE: "the-right-token"})
    with pytest.raises(tw.TwilioError) as err:
        fake.connection(ONE, "wrong").batch("Message", "Send Message", customers(5),
                                            body=BODY, progress=False)
    assert isinstance(err.value, BatchError) and err.value.batch.counts["not sent"] == 5
    assert "not sent" in str(err.value) and fake.requests == 1
