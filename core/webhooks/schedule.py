"""When a failed delivery is tried again: a schedule over four days, with jitter."""

from __future__ import annotations

import random
from collections.abc import Sequence

MINUTE = 60.0
HOUR = 60 * MINUTE

# Seconds to wait after the 1st, 2nd, ... failed attempt. Eleven attempts over about 99.6 hours;
# with the jitter below the last one still comes more than 72 hours after the first.
RETRY_DELAYS: tuple[float, ...] = (
    5.0,
    5 * MINUTE,
    30 * MINUTE,
    2 * HOUR,
    5 * HOUR,
    10 * HOUR,
    14 * HOUR,
    20 * HOUR,
    24 * HOUR,
    24 * HOUR,
)
JITTER = 0.2  # each delay is stretched or shrunk by up to 20%
MAX_RETRY_AFTER = 24 * HOUR  # a Retry-After beyond this is capped


def next_delay(
    failures: int,
    *,
    retry_after: float | None = None,
    delays: Sequence[float] = RETRY_DELAYS,
    scale: float = 1.0,
    rng: random.Random | None = None,
) -> float | None:
    """Seconds until the next attempt after ``failures`` failed ones; None when the schedule is over.

    A receiver's ``Retry-After`` is honoured: the next attempt never comes before it.
    """
    if failures < 1 or failures > len(delays):
        return None
    jitter = 1.0 + JITTER * (2.0 * (rng or random).random() - 1.0)
    delay = delays[failures - 1] * scale * jitter
    if retry_after is not None and retry_after > 0:
        delay = max(delay, min(retry_after, MAX_RETRY_AFTER))
    return delay
