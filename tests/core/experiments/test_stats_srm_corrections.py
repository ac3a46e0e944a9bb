"""Sample-ratio mismatch and multiple-comparison corrections."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats as sps

from core.experiments.stats import adjust, benjamini_hochberg, holm, srm_check


def test_srm_matches_scipy_chisquare() -> None:
    observed, weights = [5_100, 4_800, 10_050], [0.25, 0.25, 0.5]
    result = srm_check(observed, weights)
    total = sum(observed)
    reference = sps.chisquare(observed, [total * w for w in weights])
    assert result.chi_square == pytest.approx(reference.statistic)
    assert result.p_value == pytest.approx(reference.pvalue)
    assert result.expected == pytest.approx([4_987.5, 4_987.5, 9_975.0])


def test_srm_flags_a_real_mismatch_only() -> None:
    assert srm_check([10_400, 9_600], [1, 1]).mismatch  # 52/48 over 20,000 units: p ≈ 1.5e-8
    balanced = srm_check([10_050, 9_950], [1, 1])
    assert not balanced.mismatch
    assert balanced.p_value > 0.4
    assert balanced.threshold == 0.001


def test_srm_weights_need_not_sum_to_one() -> None:
    assert srm_check([300, 700], [3, 7]).p_value == pytest.approx(1.0)


def test_srm_edge_cases() -> None:
    assert srm_check([0, 0], [1, 1]).p_value == 1.0
    assert not srm_check([0, 0], [1, 1]).mismatch
    # Zero-weight variant with no units is ignored; with units it is a mismatch by definition.
    assert srm_check([500, 500, 0], [1, 1, 0]).p_value == pytest.approx(1.0)
    flagged = srm_check([500, 500, 3], [1, 1, 0])
    assert flagged.mismatch and flagged.p_value == 0.0
    with pytest.raises(ValueError):
        srm_check([1, 2], [1])
    with pytest.raises(ValueError):
        srm_check([1, 2], [0, 0])
    with pytest.raises(ValueError):
        srm_check([1, 2], [-1, 2])


def test_holm_hand_checked() -> None:
    # Sorted 0.005, 0.01, 0.03, 0.04 -> 4·0.005=0.02, 3·0.01=0.03, 2·0.03=0.06, max(0.06, 1·0.04)=0.06.
    assert holm([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert holm([0.5, 0.6]) == pytest.approx([1.0, 1.0])
    assert holm([0.02]) == [0.02]
    assert holm([]) == []


def test_benjamini_hochberg_matches_scipy() -> None:
    rng = np.random.default_rng(5)
    for size in (1, 2, 7, 50):
        p = np.concatenate([rng.uniform(0, 1, size), rng.uniform(0, 0.01, size)])
        assert benjamini_hochberg(p.tolist()) == pytest.approx(sps.false_discovery_control(p).tolist())
    assert benjamini_hochberg([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.02, 0.04, 0.04, 0.02])
    assert benjamini_hochberg([]) == []


def test_ties_and_ordering_are_preserved() -> None:
    p = [0.04, 0.01, 0.04, 0.2]
    assert benjamini_hochberg(p) == pytest.approx(sps.false_discovery_control(p).tolist())
    assert holm(p) == pytest.approx([0.12, 0.04, 0.12, 0.2])


def test_adjust_dispatch_and_validation() -> None:
    p = [0.01, 0.02]
    assert adjust(p, "none") == p
    assert adjust(p, "holm") == holm(p)
    assert adjust(p, "benjamini-hochberg") == benjamini_hochberg(p)
    with pytest.raises(ValueError):
        adjust(p, "bonferroni")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        holm([1.5])
