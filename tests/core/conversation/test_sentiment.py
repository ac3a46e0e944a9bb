"""Scoring caller turns: the tenant's LLM judges when it can, VADER reads English, the call keeps count.

These drive ``core.conversation.sentiment`` with a stand-in for the call's session holding what it
reads: the call's language and state, its context (plugin configs) and the registered providers.
``tests/core/telephony/test_angry_caller.py`` drives whole calls.
"""

from __future__ import annotations

from types import ModuleType, SimpleNamespace

import msgspec
import pytest

from core.context import CallContext, TenantIdentity
from core.conversation.sentiment import LEXICON, TurnMood, note_sentiment, score_turn
from core.plugins.registries import ProviderRegistry
from core.providers import LLMProvider, Registration, Usage
from core.telephony.session import CallSession
from plugins.offline_model import OfflineLLM
from plugins.routing import Config as RoutingConfig
from tests.core.conftest import load_test_plugin

ANGRY = "This is ridiculous, I am furious, your service is terrible"
PLEASED = "Thank you so much, that is wonderful!"


class StandInSession:
    """What sentiment reads and writes of a ``CallSession``; ``remember`` is the real one."""

    remember = CallSession.remember

    def __init__(self, context: CallContext, registry: ProviderRegistry) -> None:
        self.context = context
        self.services = SimpleNamespace(providers=registry)
        self.call = SimpleNamespace(language=context.language, state={}, sentiment=None)


@pytest.fixture
def judging() -> ModuleType:
    return load_test_plugin("judging_llm")


def make_session(
    judging: ModuleType, language: str = "en-US", **configs: msgspec.Struct
) -> tuple[StandInSession, list[tuple[str, LLMProvider]]]:
    """A call whose chain is the judging model (when its config is given) and the offline one."""
    judge = judging.JudgingLLM()
    offline = OfflineLLM()
    registry = ProviderRegistry(
        [
            Registration(kind="llm_provider", name="judging", provider=judge, plugin=judging.NAME),
            Registration(kind="llm_provider", name="offline", provider=offline, plugin="offline_model"),
        ]
    )
    context = CallContext(
        call_sid="CA0001",
        tenant=TenantIdentity(id="t1", slug="acme", name="Acme Dental"),
        caller="+15550007777",
        called="+15551230001",
        language=language,
        plugin_configs=dict(configs),
    )
    chain: list[tuple[str, LLMProvider]] = [("offline", offline)]
    if judging.NAME in configs:
        chain.insert(0, ("judging", judge))
    return StandInSession(context, registry), chain


async def test_vader_scores_clear_english_moods(judging) -> None:
    session, chain = make_session(judging)
    angry = await score_turn(session, ANGRY, chain)  # type: ignore[arg-type]
    pleased = await score_turn(session, PLEASED, chain)  # type: ignore[arg-type]
    assert angry == TurnMood(score=-0.852, scorer=LEXICON)
    assert pleased == TurnMood(score=0.757, scorer=LEXICON)


async def test_other_languages_are_not_scored_without_an_llm(judging) -> None:
    session, chain = make_session(judging, language="es-US")
    mood = await score_turn(session, "Estoy furioso, su servicio es terrible", chain)  # type: ignore[arg-type]
    assert mood == TurnMood(score=None, scorer=None)


async def test_the_llm_judges_when_one_is_configured(judging) -> None:
    session, chain = make_session(judging, language="es-US", judging_llm=judging.Config(score=-0.87651))
    mood = await score_turn(session, "Estoy furioso, su servicio es terrible", chain)  # type: ignore[arg-type]
    assert mood.score == -0.877
    assert mood.scorer == "judging"
    assert mood.usage == [
        Usage(provider="judging", model="judge-mini", input_tokens=40, output_tokens=2, cost_usd=0.0001)
    ]
    assert chain[0][1].judged == ["Estoy furioso, su servicio es terrible"]  # type: ignore[attr-defined]


async def test_a_judge_out_of_range_is_held_to_minus_one_to_one(judging) -> None:
    session, chain = make_session(judging, judging_llm=judging.Config(score=-3.0))
    assert (await score_turn(session, ANGRY, chain)).score == -1.0  # type: ignore[arg-type]


@pytest.mark.parametrize("mode", ["fail", "unsure"])
async def test_a_judge_that_fails_or_cannot_tell_leaves_english_to_vader(judging, mode: str) -> None:
    session, chain = make_session(judging, judging_llm=judging.Config(mode=mode))
    mood = await score_turn(session, ANGRY, chain)  # type: ignore[arg-type]
    assert mood == TurnMood(score=-0.852, scorer=LEXICON)
    assert chain[0][1].judged == [ANGRY]  # type: ignore[attr-defined]


async def test_a_judge_turned_off_in_its_config_is_not_asked(judging) -> None:
    session, chain = make_session(judging, judging_llm=judging.Config(judge_sentiment=False))
    mood = await score_turn(session, PLEASED, chain)  # type: ignore[arg-type]
    assert mood == TurnMood(score=0.757, scorer=LEXICON)
    assert chain[0][1].judged == []  # type: ignore[attr-defined]


def test_the_negative_streak_counts_turns_in_a_row_at_or_below_the_threshold(judging) -> None:
    session, _ = make_session(judging, routing=RoutingConfig(negative_sentiment_threshold=-0.6))
    seen = []
    for score in (-0.7, -0.6, -0.59, None, -0.9, -0.8):
        note_sentiment(session, score)  # type: ignore[arg-type]
        # route_call in the same turn sees the streak before this turn; the state, including it.
        seen.append((session.context.metadata["negative_turns"], session.call.state["negative_turns"]))
    assert seen == [(0, 1), (1, 2), (2, 0), (0, 0), (0, 1), (1, 2)]


def test_without_routing_the_default_threshold_counts(judging) -> None:
    session, _ = make_session(judging)
    for score in (-0.5, -0.49, -0.5):
        note_sentiment(session, score)  # type: ignore[arg-type]
    assert session.call.state["negative_turns"] == 1


def test_the_call_sentiment_is_the_mean_of_its_scored_turns(judging) -> None:
    session, _ = make_session(judging)
    note_sentiment(session, -0.852)  # type: ignore[arg-type]
    assert session.call.sentiment == -0.852
    note_sentiment(session, None)  # type: ignore[arg-type]
    note_sentiment(session, 0.4)  # type: ignore[arg-type]
    note_sentiment(session, 0.1)  # type: ignore[arg-type]
    assert session.call.sentiment == -0.117  # (-0.852 + 0.4 + 0.1) / 3
    assert session.call.state["sentiment_turns"] == 3
