"""What the hosted models share: price lookup by model family, mood numbers read defensively."""

from __future__ import annotations

import pytest

from core.conversation.hosted_models import ModelReplyError, decode_arguments, price_per_mtok, read_sentiment

PRICES = {"gpt-4.1": (2.0, 8.0), "gpt-4.1-mini": (0.4, 1.6)}


def test_a_dated_snapshot_costs_what_its_family_costs_and_the_longest_family_wins():
    assert price_per_mtok(PRICES, "gpt-4.1-mini-2025-04-14") == (0.4, 1.6)
    assert price_per_mtok(PRICES, "gpt-4.1-2025-04-14") == (2.0, 8.0)
    assert price_per_mtok(PRICES, "gpt-4.10") is None
    assert price_per_mtok(PRICES, "llama-3") is None


@pytest.mark.parametrize(
    ("answer", "score"),
    [
        ("-0.6", -0.6),
        ("Score: 0.25.", 0.25),
        (".5", 0.5),
        ("-3", -1.0),
        ("2", 1.0),
        ("neutral", None),
        ("", None),
    ],
)
def test_the_first_number_of_a_mood_answer_is_the_score_held_to_minus_one_to_one(answer, score):
    assert read_sentiment(answer) == score


def test_tool_arguments_must_be_a_json_object_and_empty_means_none():
    assert decode_arguments("m", "end_call", "  ") == {}
    assert decode_arguments("m", "end_call", '{"reason": "done"}') == {"reason": "done"}
    with pytest.raises(ModelReplyError, match="not an object"):
        decode_arguments("m", "end_call", '"done"')
