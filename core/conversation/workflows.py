"""The tenant's industry workflow as the conversation sees it: which one, its tools, its starter knowledge.

A tenant has a workflow when it installed a plugin that registers one (``register_workflows``).
Models are told about it through the ``capture_lead`` tool, whose description and parameters
list the workflow's intents and qualification fields; its starter knowledge answers questions
next to the tenant's own entries.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.context import CallContext
from core.conversation.tools import tool_specs
from core.knowledge.models import KnowledgeEntry
from core.knowledge.search import KnowledgeDoc
from core.plugins.registries import ProviderRegistry
from core.providers import ToolSpec, Workflow, WorkflowField

# The JSON schema of a field's value, by kind: what a model should pass.
_KIND_SCHEMAS: dict[str, dict[str, Any]] = {
    "amount": {"type": ["number", "string"], "description": "in US dollars, e.g. 400000"},
    "credit": {"type": ["string", "number"]},
    "timeline": {"type": "string"},
    "yes_no": {"type": "boolean"},
    "choice": {"type": "string"},
    "text": {"type": "string"},
    "address": {"type": "string", "description": "street address with city or ZIP"},
    "carrier": {"type": "string"},
}


def tenant_workflow(providers: ProviderRegistry, call: CallContext) -> Workflow | None:
    """The workflow of a plugin the tenant installed: the one named like its industry, else the first."""
    installed = set(call.plugin_configs)
    workflows = {
        name: registration.provider
        for name, registration in sorted(providers.of_kind("workflow").items())
        if registration.plugin in installed and isinstance(registration.provider, Workflow)
    }
    if not workflows:
        return None
    industry = call.tenant.industry
    return workflows.get(industry) if industry in workflows else next(iter(workflows.values()))


def tools_for(workflow: Workflow | None) -> list[ToolSpec]:
    """Every tool, with ``capture_lead`` describing ``workflow``'s intents and fields when there is one."""
    specs = tool_specs()
    if workflow is None:
        return specs
    lead = lead_tool(workflow)
    return [lead if spec.name == lead.name else spec for spec in specs]


@functools.lru_cache(maxsize=64)
def lead_tool(workflow: Workflow) -> ToolSpec:
    """``capture_lead`` for one workflow (workflows are registered once per process, so kept)."""
    (base,) = tool_specs(["capture_lead"])
    intents = "; ".join(f"{intent.name}: {intent.description}" for intent in workflow.intents)
    asked = [field for field in workflow.fields if field.question]
    description = (
        f"{base.description} This business's workflow is {workflow.name!r}"
        f"{': ' + workflow.description if workflow.description else ''}. Call it as soon as you know "
        f"the caller's intent ({intents}), then again with each answer. Ask the caller for these "
        "fields one question at a time, skipping any they already told you: "
        + "; ".join(_field_line(field) for field in asked)
        + ". Pass null for a field the caller does not know. The result gives the lead's score and "
        "what to do next: say `instructions` first; `route` transfer or alert means a person has "
        "been reached (tell the caller); same_day means offer the `slots`; book means book "
        "`service`; message means take a message; no route means ask `ask` next."
    )
    properties = dict(base.parameters.get("properties", {}))
    properties["intent"] = {"type": "string", "enum": [intent.name for intent in workflow.intents]}
    properties["fields"] = {
        "type": "object",
        "properties": {field.name: _field_schema(field) for field in workflow.fields},
        "additionalProperties": True,
    }
    parameters = {**base.parameters, "properties": properties}
    return ToolSpec(name=base.name, description=description, parameters=parameters)


def _field_line(field: WorkflowField) -> str:
    only = f" (only for {', '.join(field.intents)})" if field.intents else ""
    return f"{field.name}{only}: {field.question}"


def _field_schema(field: WorkflowField) -> dict[str, Any]:
    schema = dict(_KIND_SCHEMAS[field.kind])
    detail = schema.pop("description", "")
    kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
    schema["type"] = [*kinds, "null"]  # null: asked, and the caller does not know
    schema["description"] = f"{field.description}{', ' + detail if detail else ''}"
    if field.choices:
        schema["description"] += f"; one of: {', '.join(field.choices)}"
    return schema


def starter_docs(workflow: Workflow | None, own: Iterable[KnowledgeDoc]) -> list[KnowledgeDoc]:
    """The workflow's starter knowledge the tenant has not answered itself (same question: theirs wins)."""
    if workflow is None:
        return []
    asked = {_question_key(doc.question) for doc in own}
    return [
        KnowledgeDoc(
            id=f"{workflow.name}:{index}", question=item.question, answer=item.answer, tags=list(item.tags)
        )
        for index, item in enumerate(workflow.knowledge)
        if _question_key(item.question) not in asked
    ]


def _question_key(question: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", question.casefold()))


async def knowledge_docs(db: AsyncSession, tenant_id: str, workflow: Workflow | None) -> list[KnowledgeDoc]:
    """Everything a caller's question is ranked against: the tenant's entries, then its workflow's
    starter entries for questions the tenant has not answered itself."""
    rows = await db.scalars(select(KnowledgeEntry).where(KnowledgeEntry.tenant_id == tenant_id))
    docs = [
        KnowledgeDoc(id=row.id, question=row.question, answer=row.answer, tags=list(row.tags)) for row in rows
    ]
    return docs + starter_docs(workflow, docs)
