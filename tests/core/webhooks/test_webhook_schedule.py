"""The retry schedule spans at least 72 hours whatever the jitter, and honours Retry-After."""

from __future__ import annotations

import random

from core.webhooks.schedule import HOUR, MAX_RETRY_AFTER, RETRY_DELAYS, next_delay


class Fixed(random.Random):
    def __init__(self, value: float) -> None:
        super().__init__()
        self.value = value

    def random(self) -> float:
        return self.value


def total(rng: random.Random) -> float:
    return sum(next_delay(n, rng=rng) for n in range(1, len(RETRY_DELAYS) + 1))


def test_the_schedule_spans_more_than_72_hours_even_with_the_shortest_jitter():
    assert total(Fixed(0.0)) > 72 * HOUR
    assert total(Fixed(0.5)) == sum(RETRY_DELAYS)
    assert total(Fixed(0.999)) < 120 * HOUR


def test_jitter_spreads_the_delays_by_up_to_a_fifth():
    assert next_delay(1, rng=Fixed(0.0)) == 4.0
    assert next_delay(1, rng=Fixed(1.0)) == 6.0
    delays = {round(next_delay(3, rng=random.Random(seed))) for seed in range(20)}
    assert len(delays) > 10  # retries of many deliveries do not all land on the same second


def test_the_schedule_ends():
    assert next_delay(len(RETRY_DELAYS) + 1) is None
    assert next_delay(0) is None


def test_retry_after_is_never_undercut_and_is_capped():
    assert next_delay(1, retry_after=120, rng=Fixed(0.5)) == 120
    assert next_delay(4, retry_after=120, rng=Fixed(0.5)) == 2 * HOUR
    assert next_delay(1, retry_after=10 * 24 * HOUR, rng=Fixed(0.5)) == MAX_RETRY_AFTER


def test_scale_shrinks_the_schedule_for_demos():
    assert next_delay(2, scale=0.001, rng=Fixed(0.5)) == 0.3
