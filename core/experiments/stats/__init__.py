"""Statistics engine for per-tenant A/B experiments: pure functions over running summary statistics.

Each variant and metric is kept as :class:`SummaryStats` — unit count, sum, sum of squares — and every
analysis here works from those alone, so results can be recomputed at any time from three numbers per
arm, without raw events. Modules:

* :mod:`.summary` — the running sums, merging, and record-time capping (winsorisation);
* :mod:`.effect` — absolute and relative (delta-method) effects, Welch's degrees of freedom;
* :mod:`.frequentist` — fixed-horizon Welch t-test; :mod:`.sequential` — always-valid intervals;
* :mod:`.bayesian` — gaussian effect model: chance to win, expected loss, credible interval;
* :mod:`.power` — sample size, power, MDE; :mod:`.srm` — sample-ratio mismatch;
  :mod:`.corrections` — Holm and Benjamini-Hochberg;
* :mod:`.analysis` — :func:`analyse` / :func:`analyse_experiment`, the API the HTTP layer calls.

The frequentist, sequential and Bayesian figures reproduce GrowthBook gbstats 0.8.0 to 1e-6 (checked by
``tests/core/experiments/test_stats_gbstats_parity.py``), so tenants who also run GrowthBook see the same
numbers. Only numpy-free scalar maths and scipy's special functions are used at run time.
"""

from __future__ import annotations

from core.experiments.stats.analysis import (
    AnalysisOptions,
    ComparisonResult,
    Engine,
    ExperimentAnalysis,
    PowerFigures,
    VariantSummary,
    analyse,
    analyse_experiment,
)
from core.experiments.stats.bayesian import BayesianResult, GaussianPrior, bayesian_test
from core.experiments.stats.corrections import Correction, adjust, benjamini_hochberg, holm
from core.experiments.stats.effect import DifferenceType, EffectEstimate, NotEnoughData, estimate_effect
from core.experiments.stats.frequentist import Alternative, TestResult, t_test
from core.experiments.stats.power import minimum_detectable_effect, power, sample_size_per_variant
from core.experiments.stats.sequential import sequential_test
from core.experiments.stats.srm import SrmResult, srm_check
from core.experiments.stats.summary import MetricType, Moments, SummaryStats, cap_value, from_values, merge

__all__ = [
    "Alternative",
    "AnalysisOptions",
    "BayesianResult",
    "ComparisonResult",
    "Correction",
    "DifferenceType",
    "EffectEstimate",
    "Engine",
    "ExperimentAnalysis",
    "GaussianPrior",
    "MetricType",
    "Moments",
    "NotEnoughData",
    "PowerFigures",
    "SrmResult",
    "SummaryStats",
    "TestResult",
    "VariantSummary",
    "adjust",
    "analyse",
    "analyse_experiment",
    "bayesian_test",
    "benjamini_hochberg",
    "cap_value",
    "estimate_effect",
    "from_values",
    "holm",
    "merge",
    "minimum_detectable_effect",
    "power",
    "sample_size_per_variant",
    "sequential_test",
    "srm_check",
    "t_test",
]
