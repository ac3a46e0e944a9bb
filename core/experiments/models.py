"""Experiments, who was assigned to which variant, and the running sums the analysis reads.

Analysis never scans results: each result updates its unit's running value and its variant's
sums (n, sum, sum of squares) in the same transaction, so reading an experiment costs the same
at a thousand results as at ten million. The raw results are kept too, for audit and export.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base, IdMixin, TimestampMixin, utcnow


class Experiment(IdMixin, TimestampMixin, Base):
    __tablename__ = "experiments"
    __table_args__ = (UniqueConstraint("tenant_id", "key"),)

    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    # The hashing seed: changing it would reshuffle every unit, so it is fixed at creation.
    key: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    type: Mapped[str] = mapped_column(String(32))
    unit: Mapped[str] = mapped_column(String(16))  # caller | call
    status: Mapped[str] = mapped_column(String(16), default="draft")  # draft|running|completed|archived
    # [{"key", "name", "weight", "config": {plugin: overlay}}]; the first variant is the control.
    variants: Mapped[list[Any]] = mapped_column(default=list)
    # Share of units that enter the experiment (GrowthBook's coverage); raising it moves nobody.
    coverage: Mapped[float] = mapped_column(Float, default=1.0)
    primary_metric: Mapped[str] = mapped_column(String(64))
    secondary_metrics: Mapped[list[Any]] = mapped_column(default=list)
    # Custom metric definitions {name: {"type", "aggregate", "cap", "inverse"}} beside the built-ins.
    metrics: Mapped[dict[str, Any]] = mapped_column(default=dict)
    alpha: Mapped[float] = mapped_column(Float, default=0.05)
    power: Mapped[float] = mapped_column(Float, default=0.8)
    min_detectable_effect: Mapped[float | None] = mapped_column(Float)
    # Always-valid intervals, so that looking at the analysis every day is safe.
    sequential: Mapped[bool] = mapped_column(Boolean, default=False)
    correction: Mapped[str] = mapped_column(String(16), default="holm")  # holm | bh | none
    winner: Mapped[str | None] = mapped_column(String(64))
    started_at: Mapped[datetime | None] = mapped_column()
    stopped_at: Mapped[datetime | None] = mapped_column()


Index("ix_experiments_tenant_status", Experiment.tenant_id, Experiment.status)


class ExperimentAssignment(IdMixin, Base):
    """A unit's variant, stored: changing weights later does not move a unit already assigned."""

    __tablename__ = "experiment_assignments"
    __table_args__ = (UniqueConstraint("experiment_id", "unit_id"),)

    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    experiment_id: Mapped[str] = mapped_column(ForeignKey("experiments.id", ondelete="CASCADE"))
    unit_id: Mapped[str] = mapped_column(String(128))
    variant: Mapped[str] = mapped_column(String(64))
    bucket: Mapped[int] = mapped_column(Integer)
    assigned_at: Mapped[datetime] = mapped_column(default=utcnow)


class ExperimentStat(Base):
    """Running sums of one metric (or ``$units``, the assignment count) for one variant."""

    __tablename__ = "experiment_stats"

    experiment_id: Mapped[str] = mapped_column(
        ForeignKey("experiments.id", ondelete="CASCADE"), primary_key=True
    )
    variant: Mapped[str] = mapped_column(String(64), primary_key=True)
    metric: Mapped[str] = mapped_column(String(64), primary_key=True)
    n: Mapped[int] = mapped_column(Integer, default=0)
    sum: Mapped[float] = mapped_column(Float, default=0.0)
    sum_squares: Mapped[float] = mapped_column(Float, default=0.0)


class ExperimentUnitMetric(Base):
    """One unit's value of one metric so far: a caller's second call updates it, not adds a unit."""

    __tablename__ = "experiment_unit_metrics"

    experiment_id: Mapped[str] = mapped_column(
        ForeignKey("experiments.id", ondelete="CASCADE"), primary_key=True
    )
    unit_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    metric: Mapped[str] = mapped_column(String(64), primary_key=True)
    variant: Mapped[str] = mapped_column(String(64))
    total: Mapped[float] = mapped_column(Float, default=0.0)
    count: Mapped[int] = mapped_column(Integer, default=0)
    maximum: Mapped[float | None] = mapped_column(Float)
    # The value last added to the variant's sums, so a change replaces it exactly.
    value: Mapped[float] = mapped_column(Float, default=0.0)


class ExperimentResult(IdMixin, Base):
    """One recorded observation, as it arrived (kept for audit and export; analysis reads the sums)."""

    __tablename__ = "experiment_results"

    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    experiment_id: Mapped[str] = mapped_column(ForeignKey("experiments.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[str] = mapped_column(String(128))
    variant: Mapped[str] = mapped_column(String(64))
    metric: Mapped[str] = mapped_column(String(64))
    value: Mapped[float] = mapped_column(Float)
    call_id: Mapped[str | None] = mapped_column(String(36))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
