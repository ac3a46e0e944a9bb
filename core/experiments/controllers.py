"""Admin API: a tenant's A/B experiments, their units and results, and their readout.

``{experiment}`` in a path is the experiment's id or its key.
"""

from __future__ import annotations

from litestar import Controller, Router, delete, get, patch, post
from litestar.status_codes import HTTP_200_OK
from sqlalchemy.ext.asyncio import AsyncSession

from core.api.deps import permission
from core.db.paging import DEFAULT_LIMIT, Page
from core.experiments import report
from core.experiments import services as experiments
from core.experiments.schemas import (
    AssignmentRead,
    AssignmentRequest,
    ExperimentAnalysisRead,
    ExperimentCreate,
    ExperimentRead,
    ExperimentUpdate,
    ResultCreate,
    ResultRead,
    Status,
    StopRequest,
    SummaryRead,
)
from core.state import AppServices
from core.tenancy.deps import TenantScope

ONE = "/{experiment:str}"


class ExperimentController(Controller):
    path = "/tenants/{slug:str}/experiments"
    tags = ["experiments"]

    @post("/", operation_id="createExperiment", opt=permission("experiments", "write"))
    async def create_experiment(
        self,
        data: ExperimentCreate,
        tenant_scope: TenantScope,
        db_session: AsyncSession,
        services: AppServices,
    ) -> ExperimentRead:
        """Draft an experiment: variants overlaying the tenant's plugin settings, and what to measure."""
        experiment = await experiments.create_experiment(db_session, services, tenant_scope, data)
        return experiments.to_read(experiment)

    @get("/", operation_id="listExperiments", opt=permission("experiments", "read"))
    async def list_experiments(
        self,
        tenant_scope: TenantScope,
        db_session: AsyncSession,
        limit: int = DEFAULT_LIMIT,
        cursor: str | None = None,
        status: Status | None = None,
    ) -> Page[ExperimentRead]:
        """Experiments oldest first, optionally only those in one status."""
        return await experiments.list_experiments(
            db_session, tenant_scope, status=status, limit=limit, cursor=cursor
        )

    @get(ONE, operation_id="getExperiment", opt=permission("experiments", "read"))
    async def get_experiment(
        self, experiment: str, tenant_scope: TenantScope, db_session: AsyncSession
    ) -> ExperimentRead:
        """One experiment, by id or key."""
        return experiments.to_read(
            await experiments.experiment_of_tenant(db_session, tenant_scope, experiment)
        )

    @patch(ONE, operation_id="updateExperiment", opt=permission("experiments", "write"))
    async def update_experiment(
        self,
        experiment: str,
        data: ExperimentUpdate,
        tenant_scope: TenantScope,
        db_session: AsyncSession,
        services: AppServices,
    ) -> ExperimentRead:
        """Change a draft (a started experiment is fixed: its units were assigned under it)."""
        row = await experiments.update_experiment(db_session, services, tenant_scope, experiment, data)
        return experiments.to_read(row)

    @delete(ONE, operation_id="deleteExperiment", opt=permission("experiments", "delete"))
    async def delete_experiment(
        self, experiment: str, tenant_scope: TenantScope, db_session: AsyncSession
    ) -> None:
        """Delete a draft or an archived experiment, with its assignments and results."""
        await experiments.delete_experiment(db_session, tenant_scope, experiment)

    @post(
        ONE + "/start",
        operation_id="startExperiment",
        status_code=HTTP_200_OK,
        opt=permission("experiments", "write"),
    )
    async def start_experiment(
        self, experiment: str, tenant_scope: TenantScope, db_session: AsyncSession, services: AppServices
    ) -> ExperimentRead:
        """Start assigning calls: at least two variants whose weights add up to 1, none overlapping a
        running experiment's settings."""
        row = await experiments.start_experiment(db_session, services, tenant_scope, experiment)
        return experiments.to_read(row)

    @post(
        ONE + "/stop",
        operation_id="stopExperiment",
        status_code=HTTP_200_OK,
        opt=permission("experiments", "write"),
    )
    async def stop_experiment(
        self,
        experiment: str,
        tenant_scope: TenantScope,
        db_session: AsyncSession,
        data: StopRequest | None = None,
    ) -> ExperimentRead:
        """Stop a running experiment, naming the winner (by default the variant the analysis ships)."""
        winner = data.winner if data is not None else None
        row = await experiments.stop_experiment(db_session, tenant_scope, experiment, winner)
        return experiments.to_read(row)

    @post(
        ONE + "/archive",
        operation_id="archiveExperiment",
        status_code=HTTP_200_OK,
        opt=permission("experiments", "write"),
    )
    async def archive_experiment(
        self, experiment: str, tenant_scope: TenantScope, db_session: AsyncSession
    ) -> ExperimentRead:
        """File a completed experiment away (an archived one can be deleted)."""
        return experiments.to_read(await experiments.archive_experiment(db_session, tenant_scope, experiment))

    @post(
        ONE + "/assignments",
        operation_id="assignExperimentUnit",
        status_code=HTTP_200_OK,
        opt=permission("experiments", "write"),
    )
    async def assign_unit(
        self, experiment: str, data: AssignmentRequest, tenant_scope: TenantScope, db_session: AsyncSession
    ) -> AssignmentRead:
        """The variant of a unit (a caller's number, or a call), stored: always the same answer."""
        return await experiments.assign(db_session, tenant_scope, experiment, data.unit_id)

    @post(ONE + "/results", operation_id="addExperimentResult", opt=permission("experiments", "write"))
    async def add_result(
        self, experiment: str, data: ResultCreate, tenant_scope: TenantScope, db_session: AsyncSession
    ) -> ResultRead:
        """Record one observation of a metric for a unit (assigned now if it was not yet)."""
        return await experiments.add_result(db_session, tenant_scope, experiment, data)

    @get(ONE + "/analysis", operation_id="analyseExperiment", opt=permission("experiments", "read"))
    async def analysis(
        self, experiment: str, tenant_scope: TenantScope, db_session: AsyncSession
    ) -> ExperimentAnalysisRead:
        """Per metric and variant against the control: effects, intervals, p-values, chance to win;
        the sample-ratio check, the planned sample size and a recommendation."""
        row = await experiments.experiment_of_tenant(db_session, tenant_scope, experiment)
        return await report.build_analysis(db_session, row)

    @get(ONE + "/summary", operation_id="summariseExperiment", opt=permission("experiments", "read"))
    async def summary(
        self, experiment: str, tenant_scope: TenantScope, db_session: AsyncSession
    ) -> SummaryRead:
        """The analysis in plain words, with the variants' own names."""
        row = await experiments.experiment_of_tenant(db_session, tenant_scope, experiment)
        return SummaryRead(text=report.summary_text(row, await report.build_analysis(db_session, row)))


experiments_router = Router(path="/api/v1", route_handlers=[ExperimentController])
