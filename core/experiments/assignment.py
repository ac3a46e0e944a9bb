"""Deterministic variant assignment, bucket-for-bucket compatible with GrowthBook's hashing.

Why GrowthBook's scheme rather than our own: a tenant may run the same experiment in GrowthBook (for
web traffic, say) and here (for phone calls), and analysis only lines up if a given unit lands in the
same variant on both sides. Reproducing GrowthBook's hash, bucket ranges and range lookup exactly gives
that for free, and GrowthBook's published test vectors let us prove it.

Why hashing at all, rather than a random draw stored per unit: assignment then needs no storage and no
coordination between workers; the same ``(experiment_key, unit_id)`` gives the same variant on every
process, every deploy, every time.

Everything here is pure and has no dependencies beyond ``msgspec`` (for the result type) and
``core.phones`` (to put caller numbers in one canonical form before hashing).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import msgspec

from core.phones import normalise_number

__all__ = [
    "Assignment",
    "assign",
    "bucket_ranges",
    "choose_variant",
    "fnv1a32",
    "gb_hash",
    "normalise_unit_id",
]

_FNV32_OFFSET_BASIS = 0x811C9DC5
_FNV32_PRIME = 0x01000193
_MASK32 = 0xFFFFFFFF

# Hash version 2 resolves units to one of 10,000 buckets; ``Assignment.bucket`` is that integer.
_V2_BUCKETS = 10_000

# GrowthBook falls back to equal weights when the given ones don't add up to 1 within this tolerance,
# so rounded weights such as (0.3334, 0.3333, 0.3333) are used as given.
_WEIGHT_SUM_MIN = 0.99
_WEIGHT_SUM_MAX = 1.01

Range = tuple[float, float]


def fnv1a32(text: str) -> int:
    """32-bit FNV-1a of ``text``'s UTF-16 code units, as an unsigned int.

    FNV-1a is what GrowthBook builds its hash on: cheap, well spread, and trivially portable, which
    matters more here than cryptographic strength (nobody gains by predicting their own bucket).
    GrowthBook's SDKs feed it JavaScript's ``charCodeAt`` values (UTF-16 code units, one per
    character below U+10000), so we do too: any unit id, in any script, lands in the bucket
    GrowthBook would put it in. On ASCII this is the same as hashing UTF-8 bytes.
    """
    value = _FNV32_OFFSET_BASIS
    if text.isascii():  # the usual case (E.164 numbers, call SIDs): one byte is one code unit
        for byte in text.encode("ascii"):
            value = ((value ^ byte) * _FNV32_PRIME) & _MASK32
        return value
    encoded = text.encode("utf-16-le")
    for index in range(0, len(encoded), 2):
        code_unit = encoded[index] | (encoded[index + 1] << 8)
        value = ((value ^ code_unit) * _FNV32_PRIME) & _MASK32
    return value


def gb_hash(seed: str, value: str, version: int = 2) -> float | None:
    """GrowthBook's hash of ``value`` under ``seed``: a float in [0, 1), or None for an unknown version.

    Version 1 (1,000 buckets, ``value + seed``) is kept only to check against GrowthBook's vectors and
    to read old experiments: it correlates assignments across experiments whose seeds share a suffix.
    Version 2 hashes ``seed + value`` and then hashes the decimal result again, which breaks that
    correlation and gives 10,000 buckets. Unknown versions return None rather than raising, as
    GrowthBook does, so a caller can treat "can't hash" as "not in the experiment".
    """
    if version == 2:
        return _hash_v2(seed, value)
    if version == 1:
        return (fnv1a32(value + seed) % 1000) / 1000
    return None


def _hash_v2(seed: str, value: str) -> float:
    """Hash version 2, typed as always returning a float (see ``gb_hash``)."""
    return (fnv1a32(str(fnv1a32(seed + value))) % _V2_BUCKETS) / _V2_BUCKETS


def _checked_weights(weights: Sequence[float]) -> list[float]:
    """``weights`` as a list, or a ValueError saying what is wrong with them."""
    values = list(weights)
    if not values:
        raise ValueError("weights must name at least one variant; got an empty sequence")
    for index, weight in enumerate(values):
        if not math.isfinite(weight):
            raise ValueError(f"weights[{index}] is {weight!r}; every weight must be a finite number")
        if weight < 0:
            raise ValueError(f"weights[{index}] is {weight!r}; weights must not be negative")
    return values


def bucket_ranges(weights: Sequence[float], coverage: float = 1.0) -> list[Range]:
    """One ``(start, end)`` slice of [0, 1) per variant, following GrowthBook's ``getBucketRanges``.

    Variant ``i`` starts at the sum of the weights before it, whatever the coverage, and is
    ``coverage * weights[i]`` long. Ranges therefore only grow in place as coverage is raised: a unit
    already in the experiment stays in the same variant, and ramping up only adds units. Coverage is
    clamped to [0, 1]. Weights that do not sum to 1 (within 0.01) are replaced by equal weights, as
    GrowthBook does, rather than being rescaled: rescaling would silently shift every range.
    """
    values = _checked_weights(weights)
    if math.isnan(coverage):
        raise ValueError("coverage is NaN; it must be a number between 0 and 1")
    coverage = min(max(coverage, 0.0), 1.0)
    if not _WEIGHT_SUM_MIN <= sum(values) <= _WEIGHT_SUM_MAX:
        values = [1 / len(values)] * len(values)

    ranges: list[Range] = []
    cumulative = 0.0
    for weight in values:
        start = cumulative
        cumulative += weight
        ranges.append((start, start + coverage * weight))
    return ranges


def choose_variant(n: float, ranges: Sequence[Range]) -> int:
    """Index of the first range holding ``n`` (start inclusive, end exclusive), or -1 if none does.

    Half-open ranges mean a zero-length range (a variant at 0% coverage) never matches, and a hash on a
    boundary belongs to exactly one variant.
    """
    for index, (start, end) in enumerate(ranges):
        if start <= n < end:
            return index
    return -1


class Assignment(msgspec.Struct, frozen=True, kw_only=True):
    """Where one unit fell in one experiment.

    ``bucket`` is the unit's hash as an integer in 0..9999; it is recorded alongside the variant so an
    analysis (or a later coverage change) can be reasoned about without re-hashing. ``variant_index``
    is -1 exactly when ``in_experiment`` is False, i.e. the unit fell outside the covered ranges.
    """

    variant_index: int
    bucket: int
    in_experiment: bool


def assign(experiment_key: str, unit_id: str, weights: Sequence[float], coverage: float = 1.0) -> Assignment:
    """The variant ``unit_id`` gets in ``experiment_key``, split by ``weights`` over ``coverage``.

    The experiment key is the hash seed (hash version 2), so each experiment shuffles units
    independently. ``unit_id`` is hashed as given: pass it through ``normalise_unit_id`` first so that
    two spellings of one caller's number are one unit. Empty keys and ids are rejected: hashing them
    would quietly put every such unit into the same variant.
    """
    if not experiment_key:
        raise ValueError("experiment_key is empty; it seeds the hash and must name the experiment")
    if not unit_id:
        raise ValueError("unit_id is empty; there is nothing to assign")
    ranges = bucket_ranges(weights, coverage)
    n = _hash_v2(experiment_key, unit_id)
    variant = choose_variant(n, ranges)
    return Assignment(variant_index=variant, bucket=round(n * _V2_BUCKETS), in_experiment=variant >= 0)


def normalise_unit_id(unit_id: str, *, is_caller: bool) -> str:
    """``unit_id`` in the one form it should be hashed in.

    Callers are identified by phone number, which arrives formatted in many ways ("+1 (415) 555-0100",
    "+14155550100", "0014155550100"); hashing the raw text would split one person across variants, so
    caller ids are put into E.164. Caller ids that are not numbers at all ("anonymous", "restricted")
    are kept as their stripped text, so such calls are still assigned, all to the same variant. Other
    units (tenants, conversations) are only stripped of surrounding whitespace.
    """
    text = unit_id.strip()
    if is_caller:
        return normalise_number(text) or text
    return text
