"""Variant assignment: GrowthBook's published vectors, agreement with its SDK, and the properties we rely on.

The literal vectors below are transcribed from GrowthBook's shared SDK conformance suite,
``packages/sdk-js/test/cases.json`` in github.com/growthbook/growthbook (specVersion 0.5.4), sections
"hash", "getBucketRange" and "chooseVariation", plus the hash buckets that the "feature" and
"stickyBucket" sections report for experiments. A few extra FNV-1a values are the standard ones from
the FNV reference test suite.
"""

from __future__ import annotations

import importlib
import random
import string
from collections import Counter

import pytest

from core.experiments.assignment import (
    Assignment,
    assign,
    bucket_ranges,
    choose_variant,
    fnv1a32,
    gb_hash,
    normalise_unit_id,
)

# --- published vectors --------------------------------------------------------------------------------

# (seed, value, version, expected): cases.json "hash", in full.
HASH_CASES = [
    ("", "a", 1, 0.22),
    ("", "b", 1, 0.077),
    ("b", "a", 1, 0.946),
    ("ef", "d", 1, 0.652),
    ("asdf", "8952klfjas09ujk", 1, 0.549),
    ("", "123", 1, 0.011),
    ("", '___)((*":&', 1, 0.563),
    ("seed", "a", 2, 0.0505),
    ("seed", "b", 2, 0.2696),
    ("foo", "ab", 2, 0.2575),
    ("foo", "def", 2, 0.2019),
    ("89123klj", "8952klfjas09ujkasdf", 2, 0.124),
    ("90850943850283058242805", "123", 2, 0.7516),
    ("()**(%$##$%#$#", '___)((*":&', 2, 0.0128),
    ("abc", "def", 99, None),
]

# (seed, value, version, expected): the "bucket" GrowthBook reports for experiments in cases.json
# "feature" / "stickyBucket" (seed = the rule's seed, or its key when it has none).
EXPERIMENT_BUCKET_CASES = [
    ("feature", "123", 1, 0.863),  # "empty experiment rule - c"
    ("feature", "456", 1, 0.178),  # "empty experiment rule - a"
    ("feature", "fds", 1, 0.514),  # "empty experiment rule - b"
    ("feature", "123", 2, 0.5231),  # "creates experiments properly"
    ("experiment", "1", 2, 0.4413),  # "Support passthrough variations"
    ("holdout", "1", 2, 0.8043),  # "Support holdout groups"
    ("feature-exp", "d123", 2, 0.6468),  # "performs evaluation without sticky bucket"
    ("feature-exp", "i123", 2, 0.9943),  # "upgrades a sticky bucket doc ..."
]

# (name, weights, coverage, expected ranges): cases.json "getBucketRange". Where the case passes
# ``null`` weights (GrowthBook then uses equal weights) the equal weights are written out, since our
# API takes the weights themselves. The one case we cannot express is left out: "weights.length not
# equal to num variations" gives a variation count separately from the weights.
BUCKET_RANGE_CASES = [
    ("normal 50/50", [0.5, 0.5], 1, [(0, 0.5), (0.5, 1)]),
    ("reduced coverage", [0.5, 0.5], 0.5, [(0, 0.25), (0.5, 0.75)]),
    ("zero coverage", [0.5, 0.5], 0, [(0, 0), (0.5, 0.5)]),
    ("4 variations", [0.25] * 4, 1, [(0, 0.25), (0.25, 0.5), (0.5, 0.75), (0.75, 1)]),
    ("uneven weights", [0.4, 0.6], 1, [(0, 0.4), (0.4, 1)]),
    ("uneven weights, 3 variations", [0.2, 0.3, 0.5], 1, [(0, 0.2), (0.2, 0.5), (0.5, 1)]),
    (
        "uneven weights, reduced coverage, 3 variations",
        [0.2, 0.3, 0.5],
        0.2,
        [(0, 0.04), (0.2, 0.26), (0.5, 0.6)],
    ),
    ("negative coverage", [0.5, 0.5], -0.2, [(0, 0), (0.5, 0.5)]),
    ("coverage above 1", [0.5, 0.5], 1.5, [(0, 0.5), (0.5, 1)]),
    ("weights sum below 1", [0.4, 0.1], 1, [(0, 0.5), (0.5, 1)]),
    ("weights sum above 1", [0.7, 0.6], 1, [(0, 0.5), (0.5, 1)]),
    ("weights sum almost equals 1", [0.4, 0.5999], 1, [(0, 0.4), (0.4, 0.9999)]),
]

_EVEN = [(0, 0.5), (0.5, 1)]
_REDUCED = [(0, 0.25), (0.5, 0.75)]

# (name, n, ranges, expected): cases.json "chooseVariation", in full.
CHOOSE_VARIATION_CASES = [
    ("even range, 0.2", 0.2, _EVEN, 0),
    ("even range, 0.4", 0.4, _EVEN, 0),
    ("even range, 0.6", 0.6, _EVEN, 1),
    ("even range, 0.8", 0.8, _EVEN, 1),
    ("even range, 0", 0, _EVEN, 0),
    ("even range, 0.5", 0.5, _EVEN, 1),
    ("reduced range, 0.2", 0.2, _REDUCED, 0),
    ("reduced range, 0.4", 0.4, _REDUCED, -1),
    ("reduced range, 0.6", 0.6, _REDUCED, 1),
    ("reduced range, 0.8", 0.8, _REDUCED, -1),
    ("reduced range, 0.25", 0.25, _REDUCED, -1),
    ("reduced range, 0.5", 0.5, _REDUCED, 1),
    ("zero range", 0.5, [(0, 0.5), (0.5, 0.5), (0.5, 1)], 2),
]

# (key, unit, weights, coverage, expected): whole experiments from cases.json whose seed is the key,
# i.e. what ``assign`` does.
ASSIGN_CASES = [
    # "run": "Uses seed with default weights/coverage" / "Uses seed with weights/coverage" (seed "foo").
    ("foo", "1", [0.5, 0.5], 1.0, Assignment(variant_index=1, bucket=5844, in_experiment=True)),
    ("foo", "1", [0.5, 0.5], 0.99, Assignment(variant_index=1, bucket=5844, in_experiment=True)),
    # "feature": "Support passthrough variations", the second rule (key "experiment").
    ("experiment", "1", [0.5, 0.5], 1.0, Assignment(variant_index=0, bucket=4413, in_experiment=True)),
    # "stickyBucket": "performs evaluation without sticky bucket" and the bucketVersion reset case.
    (
        "feature-exp",
        "d123",
        [0.3334, 0.3333, 0.3333],
        1.0,
        Assignment(variant_index=1, bucket=6468, in_experiment=True),
    ),
    (
        "feature-exp",
        "i123",
        [0.3334, 0.3333, 0.3333],
        1.0,
        Assignment(variant_index=2, bucket=9943, in_experiment=True),
    ),
]


@pytest.mark.parametrize(("seed", "value", "version", "expected"), HASH_CASES + EXPERIMENT_BUCKET_CASES)
def test_gb_hash_matches_published_vectors(
    seed: str, value: str, version: int, expected: float | None
) -> None:
    assert gb_hash(seed, value, version) == expected


def test_gb_hash_defaults_to_version_2() -> None:
    assert gb_hash("seed", "a") == 0.0505
    assert gb_hash("feature-exp", "i123") == 0.9943


@pytest.mark.parametrize(
    ("text", "expected"),
    [("", 0x811C9DC5), ("a", 0xE40C292C), ("foobar", 0xBF9CF968)],
)
def test_fnv1a32_matches_reference_values(text: str, expected: int) -> None:
    assert fnv1a32(text) == expected


def test_fnv1a32_hashes_utf16_code_units_as_growthbook_does() -> None:
    # "é" is the single code unit 0xE9, as JavaScript's charCodeAt gives it (UTF-8 would be C3 A9).
    assert fnv1a32("é") == 1812687940
    assert fnv1a32("é") != 513665217  # what hashing the UTF-8 bytes would give
    # A character beyond the BMP is two code units (a surrogate pair), as in JavaScript.
    assert fnv1a32("😀") == _fnv_of_units([0xD83D, 0xDE00])


def _fnv_of_units(units: list[int]) -> int:
    value = 0x811C9DC5
    for unit in units:
        value = ((value ^ unit) * 0x01000193) & 0xFFFFFFFF
    return value


@pytest.mark.parametrize(
    ("name", "weights", "coverage", "expected"), BUCKET_RANGE_CASES, ids=[c[0] for c in BUCKET_RANGE_CASES]
)
def test_bucket_ranges_match_published_vectors(
    name: str, weights: list[float], coverage: float, expected: list[tuple[float, float]]
) -> None:
    ranges = bucket_ranges(weights, coverage)
    assert len(ranges) == len(expected)
    for (start, end), (want_start, want_end) in zip(ranges, expected, strict=True):
        assert start == pytest.approx(want_start, abs=1e-9)
        assert end == pytest.approx(want_end, abs=1e-9)


@pytest.mark.parametrize(
    ("weights", "expected"),
    [
        ([0.5, 0.495], [(0, 0.5), (0.5, 0.995)]),  # sum 0.995: within 0.01 of 1, used as given
        ([0.5, 0.505], [(0, 0.5), (0.5, 1.005)]),  # sum 1.005: likewise
        ([0.5, 0.485], [(0, 0.5), (0.5, 1)]),  # sum 0.985: equal weights instead
        ([0.5, 0.515], [(0, 0.5), (0.5, 1)]),  # sum 1.015: equal weights instead
    ],
)
def test_weight_sum_tolerance_is_one_hundredth(
    weights: list[float], expected: list[tuple[float, float]]
) -> None:
    flat = [edge for pair in bucket_ranges(weights) for edge in pair]
    assert flat == pytest.approx([edge for pair in expected for edge in pair], abs=1e-9)


@pytest.mark.parametrize(
    ("name", "n", "ranges", "expected"), CHOOSE_VARIATION_CASES, ids=[c[0] for c in CHOOSE_VARIATION_CASES]
)
def test_choose_variant_matches_published_vectors(
    name: str, n: float, ranges: list[tuple[float, float]], expected: int
) -> None:
    assert choose_variant(n, ranges) == expected


@pytest.mark.parametrize(("key", "unit", "weights", "coverage", "expected"), ASSIGN_CASES)
def test_assign_matches_published_experiments(
    key: str, unit: str, weights: list[float], coverage: float, expected: Assignment
) -> None:
    assert assign(key, unit, weights, coverage) == expected


# --- the properties we rely on ------------------------------------------------------------------------

_UNITS = [f"+1415{i:07d}" for i in range(20_000)]


def test_assignment_is_deterministic() -> None:
    first = [assign("greeting-tone", unit, [0.5, 0.5]) for unit in _UNITS[:500]]
    again = [assign("greeting-tone", unit, [0.5, 0.5]) for unit in _UNITS[:500]]
    assert first == again


def test_experiments_shuffle_units_independently() -> None:
    a = [assign("greeting-tone", unit, [0.5, 0.5]).variant_index for unit in _UNITS[:2000]]
    b = [assign("hold-music", unit, [0.5, 0.5]).variant_index for unit in _UNITS[:2000]]
    agreement = sum(x == y for x, y in zip(a, b, strict=True)) / len(a)
    assert 0.45 < agreement < 0.55


def test_bucket_is_the_v2_hash_as_an_integer() -> None:
    for unit in _UNITS[:200]:
        result = assign("greeting-tone", unit, [0.5, 0.5])
        assert 0 <= result.bucket <= 9999
        assert result.bucket / 10_000 == gb_hash("greeting-tone", unit, 2)


def test_distribution_follows_the_weights() -> None:
    weights = [0.5, 0.3, 0.2]
    counts = Counter(assign("greeting-tone", unit, weights).variant_index for unit in _UNITS)
    assert set(counts) == {0, 1, 2}
    for index, weight in enumerate(weights):
        assert abs(counts[index] / len(_UNITS) - weight) < 0.02


def test_coverage_ramp_never_moves_an_included_unit() -> None:
    weights = [0.5, 0.3, 0.2]
    previous: dict[str, int] = {}
    for coverage in (0.3, 0.6, 1.0):
        current = {}
        for unit in _UNITS:
            result = assign("greeting-tone", unit, weights, coverage)
            assert result.in_experiment == (result.variant_index >= 0)
            if result.in_experiment:
                current[unit] = result.variant_index
        assert abs(len(current) / len(_UNITS) - coverage) < 0.02
        for unit, variant in previous.items():
            assert current.get(unit) == variant, f"{unit} moved when coverage rose to {coverage}"
        previous = current
    assert len(previous) == len(_UNITS)


def test_zero_coverage_includes_nobody() -> None:
    results = [assign("greeting-tone", unit, [0.5, 0.5], 0.0) for unit in _UNITS[:1000]]
    assert all(r == Assignment(variant_index=-1, bucket=r.bucket, in_experiment=False) for r in results)


# --- unit ids -----------------------------------------------------------------------------------------


def test_caller_numbers_are_normalised_to_e164() -> None:
    assert normalise_unit_id("+1 (415) 555-0100", is_caller=True) == "+14155550100"
    assert normalise_unit_id("  +14155550100\n", is_caller=True) == "+14155550100"
    assert normalise_unit_id("0044 20 7946 0958", is_caller=True) == "+442079460958"


def test_spellings_of_one_caller_get_one_assignment() -> None:
    formatted = normalise_unit_id("+1 (415) 555-0100", is_caller=True)
    compact = normalise_unit_id("+14155550100", is_caller=True)
    weights = [0.34, 0.33, 0.33]
    for key in ("greeting-tone", "hold-music", "voice", "faq-first"):
        assert assign(key, formatted, weights) == assign(key, compact, weights)


def test_unnormalisable_caller_ids_are_kept_as_text() -> None:
    assert normalise_unit_id(" anonymous ", is_caller=True) == "anonymous"
    assert assign("greeting-tone", normalise_unit_id(" anonymous ", is_caller=True), [0.5, 0.5]) == assign(
        "greeting-tone", "anonymous", [0.5, 0.5]
    )


def test_other_units_are_only_stripped() -> None:
    assert normalise_unit_id("  tenant-42 ", is_caller=False) == "tenant-42"
    # Not a caller, so a number-like id is not reformatted.
    assert normalise_unit_id(" +1 (415) 555-0100 ", is_caller=False) == "+1 (415) 555-0100"


# --- bad input ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ([], "empty"),
        ([0.6, -0.1, 0.5], r"weights\[1\].*negative"),
        ([0.5, float("nan")], r"weights\[1\].*finite"),
        ([float("inf"), 0.5], r"weights\[0\].*finite"),
    ],
)
def test_bad_weights_are_rejected(weights: list[float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        bucket_ranges(weights)
    with pytest.raises(ValueError, match=message):
        assign("greeting-tone", "+14155550100", weights)


def test_nan_coverage_is_rejected() -> None:
    with pytest.raises(ValueError, match="coverage"):
        bucket_ranges([0.5, 0.5], float("nan"))


@pytest.mark.parametrize(
    ("key", "unit", "message"), [("", "+14155550100", "experiment_key"), ("x", "", "unit_id")]
)
def test_empty_key_or_unit_is_rejected(key: str, unit: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        assign(key, unit, [0.5, 0.5])


# --- agreement with the official SDK ------------------------------------------------------------------

# ASCII only: for non-ASCII text GrowthBook's SDKs hash UTF-16 code units while ``fnv1a32`` hashes
# UTF-8 bytes (see its docstring); on ASCII the two are identical.
_ALPHABET = string.ascii_letters + string.digits + string.punctuation + " "


def _random_text(rng: random.Random, max_len: int = 24) -> str:
    return "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, max_len)))


def _random_weights(rng: random.Random, min_count: int = 1) -> list[float]:
    count = rng.randint(min_count, 5)
    raw = [rng.random() for _ in range(count)]
    style = rng.random()
    if style < 0.15:  # deliberately off: both sides must fall back to equal weights
        return [w * rng.uniform(1.05, 2) for w in raw]
    weights = [w / sum(raw) for w in raw]
    if style < 0.3:  # around the edge of the 0.01 tolerance, on either side
        return [w * rng.uniform(0.98, 1.02) for w in weights]
    if style < 0.5:  # rounded the way the GrowthBook UI stores them, so the sum is only ~1
        weights = [round(w, 4) for w in weights]
    return weights


def test_agrees_with_growthbook_sdk_on_random_inputs() -> None:
    gb_core = importlib.import_module("growthbook.core")
    rng = random.Random(20240611)
    for _ in range(3000):
        seed, value = _random_text(rng), _random_text(rng)
        assert fnv1a32(seed + value) == gb_core.fnv1a32(seed + value)
        for version in (1, 2, 3):
            assert gb_hash(seed, value, version) == gb_core.gbhash(seed, value, version)

        weights = _random_weights(rng)
        coverage = rng.choice([0.0, 1.0, -0.5, 1.5, rng.random()])
        ranges = bucket_ranges(weights, coverage)
        assert ranges == [tuple(r) for r in gb_core.getBucketRanges(len(weights), coverage, weights)]

        n = gb_hash(seed, value, 2)
        assert choose_variant(n, ranges) == gb_core.chooseVariation(n, ranges)


def test_agrees_with_growthbook_sdk_end_to_end() -> None:
    growthbook = importlib.import_module("growthbook")
    rng = random.Random(7)
    for i in range(2000):
        key = "exp-" + "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(1, 12)))
        unit = rng.choice([f"+1415{rng.randrange(10**7):07d}", f"tenant-{i}", _random_text(rng, 16) or "x"])
        weights = _random_weights(rng, min_count=2)  # GrowthBook skips experiments with one variation
        coverage = rng.choice([1.0, 0.5, rng.random()])

        ours = assign(key, unit, weights, coverage)
        theirs = growthbook.GrowthBook(attributes={"id": unit}).run(
            growthbook.Experiment(
                key=key,
                variations=list(range(len(weights))),
                weights=weights,
                coverage=coverage,
                hashVersion=2,
            )
        )
        assert ours.in_experiment == theirs.inExperiment, (key, unit, weights, coverage)
        if ours.in_experiment:
            assert ours.variant_index == theirs.variationId
            assert ours.bucket == round(theirs.bucket * 10_000)


def test_non_ascii_units_hash_as_the_growthbook_sdk_does() -> None:
    sdk = importlib.import_module("growthbook.core")
    for text in ["é", "ünïcødé-key", "日本語", "😀x", "José Núñez"]:
        assert fnv1a32(text) == sdk.fnv1a32(text)
        assert gb_hash("greeting-test", text, 2) == sdk.gbhash("greeting-test", text, 2)
