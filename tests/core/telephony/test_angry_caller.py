"""An upset caller on the signed Twilio path: each turn scored, a person offered, the mood in the API.

The ``phone`` tenant's model is the scripted one (no judge), so English turns are scored by VADER;
the ``judged`` line adds a model that judges mood itself and bills for it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from types import SimpleNamespace

import pytest
from db_support import fetch_all
from litestar.testing import AsyncTestClient
from sqlalchemy import select

from core.app import create_app
from core.experiments.models import ExperimentResult
from core.settings import Settings
from core.telephony.simulator import SimulatedCall
from tests.conftest import ADMIN_KEY
from tests.core.conftest import load_test_plugin
from tests.core.telephony.conftest import CALLER, NUMBER, PUBLIC_URL, open_line, phone_settings

API = "/api/v1/tenants/acme"
PERSON = "+15557654321"
ROUTING = {"config": {"transfer_number": PERSON}}
CALM = "Hi, I am calling about my bill"  # VADER: 0.0
ANGRY = "This is ridiculous, I am furious, your service is terrible"  # -0.852
ANGRIER = "I am so angry, this is awful and useless"  # -0.876
PUT_THROUGH = "I'm sorry about this. Let me put you through to someone who can help."


async def test_two_angry_turns_put_the_caller_through_with_an_apology(phone) -> None:
    assert (await phone.client.put(f"{API}/plugins/routing", json=ROUTING)).status_code == 200
    call = phone.call()
    await call.start()
    assert (await call.say(CALM)).says == [f"You said: {CALM}"]
    # One angry turn is not a pattern: the conversation goes on.
    step = await call.say(ANGRY)
    assert step.says == [f"You said: {ANGRY}"] and step.dial is None
    step = await call.say(ANGRIER)
    assert step.says == [PUT_THROUGH]
    assert step.dial == PERSON
    await call.dial_result("completed", duration_s=45)
    await call.hang_up(duration_s=90)

    detail = (await phone.client.get(f"{API}/calls/{call.call_sid}")).json()
    caller_lines = [
        (line["text"], line["sentiment"]) for line in detail["transcript"] if line["role"] == "caller"
    ]
    assert caller_lines == [(CALM, 0.0), (ANGRY, -0.852), (ANGRIER, -0.876)]
    assert {line["sentiment"] for line in detail["transcript"] if line["role"] == "assistant"} == {None}
    assert detail["sentiment"] == -0.576  # (0.0 - 0.852 - 0.876) / 3
    assert detail["outcome"] == "transferred"
    assert detail["transferred_to"] == PERSON
    # The apology replaced the model's reply on the transfer turn.
    assert detail["transcript"][-1]["text"] == f"You said: {ANGRIER}"


async def test_analytics_average_the_calls_that_have_a_sentiment(phone) -> None:
    pleased = phone.call()
    await pleased.start()
    await pleased.say("Thanks, that was really helpful")  # 0.718
    await pleased.hang_up(duration_s=30)
    upset = phone.call(caller="+15550008888")
    await upset.start()
    await upset.say(ANGRY)  # -0.852
    await upset.hang_up(duration_s=50)
    silent = phone.call(caller="+15550009999")
    await silent.start()
    await silent.hang_up(duration_s=10)  # nothing said: no sentiment

    analytics = (await phone.client.get(f"{API}/analytics")).json()
    assert analytics["calls"] == 3
    assert analytics["sentiment"] == {"average": -0.067, "scored_calls": 2}  # (0.718 - 0.852) / 2
    assert analytics["average_duration_s"] == 30.0
    assert sum(analytics["calls_by_hour"]) == 3
    empty = (
        await phone.client.get(
            f"{API}/analytics", params={"since": "2001-01-01T00:00:00Z", "until": "2001-01-02T00:00:00Z"}
        )
    ).json()
    assert empty["calls"] == 0 and empty["sentiment"] == {"average": None, "scored_calls": 0}
    backwards = await phone.client.get(
        f"{API}/analytics", params={"since": "2001-01-02T00:00:00Z", "until": "2001-01-01T00:00:00Z"}
    )
    assert backwards.status_code == 400
    assert backwards.json()["extra"] == [{"key": "until", "source": "query"}]


async def test_an_angry_caller_with_nobody_to_reach_is_offered_a_message(phone) -> None:
    call = phone.call()
    await call.start()
    await call.say(ANGRY)
    step = await call.say(ANGRIER)
    assert step.says == [
        "I'm sorry about this. Nobody can come to the phone right now, but if you leave a message "
        "after the tone, someone will call you back."
    ]
    assert step.record_action == f"{PUBLIC_URL}/twilio/voice/recording"


async def test_the_experiment_sentiment_metric_is_the_calls_mean(phone, database_url: str) -> None:
    experiment = {
        "key": "warm-greeting",
        "name": "Warm greeting",
        "type": "greeting",
        "unit": "call",
        "variants": [
            {"key": "control", "name": "Control", "weight": 0.5, "config": {}},
            {"key": "warm", "name": "Warm", "weight": 0.5, "config": {}},
        ],
        "primary_metric": "sentiment",
    }
    created = await phone.client.post(f"{API}/experiments", json=experiment)
    assert created.status_code == 201, created.text
    started = await phone.client.post(f"{API}/experiments/{created.json()['id']}/start")
    assert started.status_code == 200, started.text
    call = phone.call()
    await call.start()
    await call.say(CALM)
    await call.say(ANGRY)
    await call.hang_up(duration_s=40)
    results = await fetch_all(
        database_url, select(ExperimentResult).where(ExperimentResult.metric == "sentiment")
    )
    assert [result.value for result in results] == [-0.426]  # (0.0 - 0.852) / 2


@pytest.fixture
async def judged(make_settings: Callable[..., Settings]) -> AsyncIterator[SimpleNamespace]:
    app = create_app(
        phone_settings(make_settings), extra_plugins=[("judging_llm", load_test_plugin("judging_llm"))]
    )
    async with AsyncTestClient(app=app, base_url=PUBLIC_URL) as client:
        client.headers["Authorization"] = f"Bearer {ADMIN_KEY}"
        twilio = await open_line(
            client, {"judging_llm": {"score": -0.9, "cost_usd": 0.0001}, "routing": ROUTING["config"]}
        )
        yield SimpleNamespace(client=client, call=lambda: SimulatedCall(twilio, CALLER, NUMBER))


async def test_the_llm_judges_mood_and_its_requests_are_billed(judged) -> None:
    call = judged.call()
    await call.start()
    # Words VADER would call calm; the model judges them -0.9, so two turns reach a person.
    assert (await call.say("I need to move my appointment")).says == ["Judged: I need to move my appointment"]
    step = await call.say("Can we do Thursday instead")
    assert step.says == [PUT_THROUGH] and step.dial == PERSON
    await call.dial_result("completed")
    await call.hang_up(duration_s=60)

    detail = (await judged.client.get(f"{API}/calls/{call.call_sid}")).json()
    assert [line["sentiment"] for line in detail["transcript"] if line["role"] == "caller"] == [-0.9, -0.9]
    assert detail["sentiment"] == -0.9
    # Two judge requests, 40 tokens in and 2 out each; the answers reported no usage.
    assert detail["usage"] == {"input_tokens": 80, "output_tokens": 4, "cost_usd": 0.0002}
