"""The answer cache: which questions and answers it keeps, and whole calls that reuse an answer.

Calls go through the signed Twilio path to a tenant whose first model is ``knowledge``
(tests/plugins/knowledge_llm.py), which looks every question up with ``answer_question`` and
records each turn it was asked to answer.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from types import ModuleType, SimpleNamespace

import pytest
from db_support import fetch_all
from litestar.testing import AsyncTestClient
from sqlalchemy import select

from core.app import create_app
from core.calls.models import Call, CallEventRecord
from core.context import KnowledgeSnippet
from core.conversation.answer_cache import (
    AnswerCache,
    cacheable_question,
    normalise_question,
    open_answer_cache,
    pure_knowledge_answer,
)
from core.conversation.cache_backends import MemoryAnswerStore, RedisAnswerStore
from core.conversation.engine import TurnReply
from core.providers import Message, ToolCall
from core.settings import Settings, SettingsError, load_settings
from core.telephony.simulator import SimulatedCall
from tests.conftest import ADMIN_KEY
from tests.core.conftest import load_test_plugin
from tests.core.telephony.conftest import NUMBER, PUBLIC_URL, open_line, phone_settings

API = "/api/v1/tenants/acme"
HOURS_ANSWER = "We are open nine to five, Monday to Friday."
PARKING_ANSWER = "Free parking is behind the building."


@pytest.mark.parametrize(
    ("spoken", "normal"),
    [
        ("What are your opening hours?", "what are your opening hours"),
        ("Um, hi! What are your   OPENING hours, please?", "what are your opening hours"),
        ("What's your address?", "whats your address"),
        ("¿Dónde está la clínica, por favor?", "dónde está la clínica"),
        ("Thank you! Do you take Delta Dental?", "do you take delta dental"),
        ("Où est la clinique, s'il vous plaît ?", "où est la clinique"),
        ("  ...  ", ""),
    ],
)
def test_normalise_question(spoken: str, normal: str) -> None:
    assert normalise_question(spoken) == normal


@pytest.mark.parametrize(
    "spoken",
    [
        "yes",
        "Yes please.",
        "um, how much?",
        "Hi, hello, okay, uh, yes",
        "How much is that?",  # "that" is whatever the call was about
        "Do they take walk-ins?",
        "Are you open today?",  # the answer changes with the day
        "Are you still open now?",
    ],
)
def test_short_context_and_time_bound_questions_are_never_cached(spoken: str) -> None:
    assert cacheable_question(spoken) is None


def test_a_question_of_three_words_is_cached_in_its_normal_form() -> None:
    assert cacheable_question("Uh, where's parking, please?") is None  # two words left
    assert cacheable_question("Where is parking?") == "where is parking"


def _reply(provider: str, *tools: str, text: str = "We open at nine.") -> TurnReply:
    calls = [ToolCall(id=f"t{n}", name=name, arguments={}) for n, name in enumerate(tools)]
    return TurnReply(
        text=text, added=[Message(role="assistant", content=text)], tool_calls=calls, provider=provider
    )


@pytest.mark.parametrize(
    ("reply", "kept"),
    [
        (_reply("knowledge", "answer_question"), True),
        (_reply("knowledge", "answer_question", "answer_question"), True),
        (_reply("knowledge"), False),  # no lookup: small talk or a guess
        (_reply("knowledge", "answer_question", "take_message"), False),  # a side effect
        (_reply("knowledge", "check_availability"), False),
        (_reply("offline", "answer_question"), False),
        (_reply("cache", "answer_question"), False),
        (_reply("knowledge", "answer_question", text="  "), False),
    ],
)
def test_only_a_real_models_pure_knowledge_answer_is_kept(reply: TurnReply, kept: bool) -> None:
    assert pure_knowledge_answer(reply) is kept


@pytest.mark.parametrize(
    ("reply", "score", "kept"),
    [
        (_reply("openai"), 0.8, True),  # answered from the strongly matching entry in its prompt
        (_reply("openai"), 0.5, True),
        (_reply("openai"), 0.3, False),  # a weak match: the model may have answered something else
        (_reply("openai", "take_message"), 0.9, False),  # a side effect
        (_reply("offline"), 0.9, False),
    ],
)
def test_a_tool_free_answer_counts_when_the_prompts_knowledge_matched_strongly(
    reply: TurnReply, score: float, kept: bool
) -> None:
    snippets = [
        KnowledgeSnippet(question="Other?", answer="No.", score=0.1),
        KnowledgeSnippet(question="When do you open?", answer="At nine.", score=score),
    ]
    assert pure_knowledge_answer(reply, snippets) is kept


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_memory_store_drops_the_least_recently_used_and_the_expired() -> None:
    clock = FakeClock()
    store = MemoryAnswerStore(2, clock=clock)
    await store.put("a", "A", 60)
    await store.put("b", "B", 60)
    assert await store.get("a") == "A"  # "a" is now the most recently used
    await store.put("c", "C", 60)
    assert (await store.get("a"), await store.get("b"), await store.get("c")) == ("A", None, "C")
    clock.now += 60
    assert await store.get("a") is None
    assert len(store) == 1


class BrokenStore:
    kind = "broken"

    def __init__(self) -> None:
        self.attempts = 0

    async def get(self, key: str) -> str | None:
        self.attempts += 1
        raise ConnectionError("store is down")

    async def put(self, key: str, value: str, ttl_s: float) -> None:
        self.attempts += 1
        raise ConnectionError("store is down")

    async def close(self) -> None:
        pass


async def test_a_failing_store_is_a_miss_and_is_left_alone_for_a_while() -> None:
    clock, store = FakeClock(), BrokenStore()
    cache = AnswerCache(store, ttl_s=60, clock=clock)
    assert await cache.lookup("k") is None
    await cache.remember("k", "v")
    assert await cache.lookup("k") is None
    assert store.attempts == 1  # the first failure: the next 10 s skip the store
    clock.now += 10
    assert await cache.lookup("k") is None
    assert store.attempts == 2
    assert cache.lookups.labels("miss")._value.get() == 3
    assert cache.errors._value.get() == 2
    assert cache.stores._value.get() == 0


async def test_settings_choose_the_store_its_size_and_the_time_to_live() -> None:
    settings = load_settings(
        {"FRONTDESK_ANSWER_CACHE_TTL_S": "600", "FRONTDESK_ANSWER_CACHE_ENTRIES": "50"}, secret_key="k"
    )
    memory = open_answer_cache(settings)
    assert isinstance(memory.store, MemoryAnswerStore)
    assert (memory.ttl_s, memory.store.max_entries) == (600.0, 50)

    shared = open_answer_cache(load_settings({"FRONTDESK_REDIS_URL": "redis://cache.internal:6380/2"}))
    assert isinstance(shared.store, RedisAnswerStore)
    assert shared.store.client.connection_pool.connection_kwargs["host"] == "cache.internal"
    assert shared.ttl_s == 86400.0
    await shared.close()

    with pytest.raises(SettingsError, match="FRONTDESK_ANSWER_CACHE_ENTRIES must be at least 1"):
        load_settings({"FRONTDESK_ANSWER_CACHE_ENTRIES": "0"})


# Whole calls.


@pytest.fixture
def knowledge_llm() -> ModuleType:
    return load_test_plugin("knowledge_llm")


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    return {}


@pytest.fixture
async def line(
    make_settings: Callable[..., Settings], knowledge_llm: ModuleType, settings_overrides: dict[str, object]
) -> AsyncIterator[SimpleNamespace]:
    settings = phone_settings(make_settings, **settings_overrides)
    app = create_app(settings, extra_plugins=[("knowledge_llm", knowledge_llm)])
    async with AsyncTestClient(app=app, base_url=PUBLIC_URL) as client:
        client.headers["Authorization"] = f"Bearer {ADMIN_KEY}"
        twilio = await open_line(client, {"knowledge_llm": {}})
        for question, answer in [
            ("What are your opening hours?", HOURS_ANSWER),
            ("Is there parking?", PARKING_ANSWER),
        ]:
            added = await client.post(f"{API}/knowledge", json={"question": question, "answer": answer})
            assert added.status_code == 201, added.text
        counter = iter(range(1, 1000))
        yield SimpleNamespace(
            app=app,
            client=client,
            asked=knowledge_llm.ASKED,
            call=lambda: SimulatedCall(twilio, f"+1555000{next(counter):04d}", NUMBER),
        )


async def ask(line: SimpleNamespace, *lines: str) -> tuple[SimulatedCall, list[list[str]]]:
    """A new caller says ``lines``, one turn each; what they heard after each line."""
    call = line.call()
    await call.start()
    heard = [(await call.say(text)).says for text in lines]
    return call, heard


async def turn_providers(database_url: str, call: SimulatedCall) -> list[str]:
    """Which provider answered each turn of ``call``, in order."""
    events = await fetch_all(
        database_url,
        select(CallEventRecord)
        .join(Call, Call.id == CallEventRecord.call_id)
        .where(Call.call_sid == call.call_sid, CallEventRecord.type == "call.turn"),
    )
    return [event.data["provider"] for event in sorted(events, key=lambda event: event.data["n"])]


def counters(text: str) -> dict[str, float]:
    """The answer cache's counter samples on ``/metrics``, by name and labels."""
    found = re.findall(r"^(frontdesk_answer_cache_\w+_total(?:\{[^}]*\})?) (\S+)$", text, flags=re.MULTILINE)
    return {name: float(value) for name, value in found}


async def test_a_second_caller_gets_the_first_callers_answer_from_the_cache(line, database_url: str) -> None:
    first, heard_first = await ask(line, "What are your opening hours?")
    second, heard_second = await ask(line, "Um, what are your opening hours please")

    assert heard_first == heard_second == [[HOURS_ANSWER]]
    assert line.asked == ["What are your opening hours?"]  # the second caller never reached the model
    assert await turn_providers(database_url, first) == ["knowledge"]
    assert await turn_providers(database_url, second) == ["cache"]
    detail = (await line.client.get(f"{API}/calls/{second.call_sid}")).json()
    assert [(t["role"], t["text"]) for t in detail["transcript"]][-2:] == [
        ("caller", "Um, what are your opening hours please"),
        ("assistant", HOURS_ANSWER),
    ]


async def test_metrics_count_lookups_by_result_and_stores(line) -> None:
    await ask(line, "What are your opening hours?", "Is there parking nearby?")
    await ask(line, "what are your opening hours", "yes")

    metrics = await line.client.get("/metrics")
    assert counters(metrics.text) == {
        'frontdesk_answer_cache_lookups_total{result="hit"}': 1.0,
        'frontdesk_answer_cache_lookups_total{result="miss"}': 2.0,
        "frontdesk_answer_cache_stores_total": 2.0,
        "frontdesk_answer_cache_errors_total": 0.0,
    }


async def test_turns_with_side_effects_or_without_a_lookup_are_not_reused(line) -> None:
    await ask(line, "Please take a message for the dentist", "hello there my friend")
    await ask(line, "Please take a message for the dentist", "hello there my friend", "yes")

    assert line.asked == [
        "Please take a message for the dentist",
        "hello there my friend",
        "Please take a message for the dentist",
        "hello there my friend",
        "yes",
    ]
    metrics = counters((await line.client.get("/metrics")).text)
    assert metrics["frontdesk_answer_cache_stores_total"] == 0.0


async def test_changing_the_knowledge_makes_the_next_caller_ask_the_model_again(line) -> None:
    await ask(line, "Is there parking nearby?")
    await ask(line, "Is there parking nearby?")
    assert line.asked == ["Is there parking nearby?"]

    entries = (await line.client.get(f"{API}/knowledge")).json()["items"]
    parking = next(entry for entry in entries if entry["question"] == "Is there parking?")
    changed = await line.client.patch(
        f"{API}/knowledge/{parking['id']}", json={"answer": "Street parking only."}
    )
    assert changed.status_code == 200
    _, heard = await ask(line, "Is there parking nearby?")
    assert heard == [["Street parking only."]]
    assert len(line.asked) == 2

    assert (await line.client.delete(f"{API}/knowledge/{parking['id']}")).status_code == 204
    _, heard = await ask(line, "Is there parking nearby?")
    assert heard != [["Street parking only."]]
    assert len(line.asked) == 3

    added = await line.client.post(
        f"{API}/knowledge", json={"question": "Where do I park?", "answer": "Use the garage."}
    )
    assert added.status_code == 201
    _, heard = await ask(line, "Is there parking nearby?")
    assert len(line.asked) == 4


async def test_a_tenant_whose_first_model_is_offline_never_looks_up(line) -> None:
    assert (await line.client.delete(f"{API}/plugins/knowledge_llm")).status_code == 204
    await ask(line, "What are your opening hours?")
    await ask(line, "What are your opening hours?")

    assert line.asked == []
    metrics = counters((await line.client.get("/metrics")).text)
    assert metrics['frontdesk_answer_cache_lookups_total{result="miss"}'] == 0.0
    assert metrics['frontdesk_answer_cache_lookups_total{result="hit"}'] == 0.0


@pytest.mark.parametrize("settings_overrides", [{"answer_cache_ttl_s": 0.0}])
async def test_a_zero_time_to_live_turns_the_cache_off(line) -> None:
    await ask(line, "What are your opening hours?")
    await ask(line, "What are your opening hours?")

    assert len(line.asked) == 2


@pytest.mark.parametrize("settings_overrides", [{"redis_url": "redis://127.0.0.1:1/0"}])
async def test_an_unreachable_redis_costs_the_caller_nothing(line) -> None:
    _, heard_first = await ask(line, "What are your opening hours?")
    _, heard_second = await ask(line, "What are your opening hours?")

    assert heard_first == heard_second == [[HOURS_ANSWER]]
    assert len(line.asked) == 2
    metrics = counters((await line.client.get("/metrics")).text)
    assert metrics["frontdesk_answer_cache_errors_total"] == 1.0
    assert metrics['frontdesk_answer_cache_lookups_total{result="miss"}'] == 2.0


async def test_installing_a_workflow_with_starter_knowledge_makes_the_next_caller_ask_again(line) -> None:
    _, before = await ask(line, "How often should I get a cleaning?")
    await ask(line, "How often should I get a cleaning?")
    assert len(line.asked) == 1

    installed = await line.client.put(f"{API}/plugins/dental", json={"config": {}})
    assert installed.status_code == 200, installed.text
    _, after = await ask(line, "How often should I get a cleaning?")

    assert len(line.asked) == 2
    assert after == [["Most people should have a cleaning and checkup every six months."]] != before
