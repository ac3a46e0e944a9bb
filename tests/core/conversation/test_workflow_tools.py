"""Which workflow a tenant has, the tools that describe it, and its starter knowledge beside the tenant's."""

from __future__ import annotations

from core import CallContext, TenantIdentity
from core.conversation.tools import tool_specs
from core.conversation.workflows import lead_tool, starter_docs, tenant_workflow, tools_for
from core.knowledge.search import KnowledgeDoc
from core.plugins.manager import build_plugin_manager
from core.plugins.registries import collect_providers

PROVIDERS = collect_providers(build_plugin_manager())


def call_for(industry: str | None, *installed: str) -> CallContext:
    tenant = TenantIdentity(id="t-1", slug="acme", name="Acme", industry=industry)
    configs = {name: None for name in installed}
    return CallContext(
        call_sid="CA1", tenant=tenant, caller="+15550007777", called="+15551230001", language="en-US",
        plugin_configs=configs,  # type: ignore[arg-type]
    )  # fmt: skip


def test_the_workflow_is_one_the_tenant_installed_preferring_its_industry() -> None:
    assert tenant_workflow(PROVIDERS, call_for("dental", "greeting", "routing")) is None
    assert tenant_workflow(PROVIDERS, call_for("dental", "legal")).name == "legal"
    assert tenant_workflow(PROVIDERS, call_for("mortgage", "dental", "mortgage")).name == "mortgage"
    assert tenant_workflow(PROVIDERS, call_for(None, "mortgage", "dental")).name == "dental"


def test_only_capture_lead_changes_with_the_workflow() -> None:
    workflow = tenant_workflow(PROVIDERS, call_for("legal", "legal"))
    plain, described = tool_specs(), tools_for(workflow)
    assert [spec.name for spec in described] == [spec.name for spec in plain]
    changed = [spec.name for spec, other in zip(plain, described, strict=True) if spec != other]
    assert changed == ["capture_lead"]
    assert tools_for(None) == plain
    assert lead_tool(workflow) is lead_tool(workflow)  # built once per workflow
    spec = lead_tool(workflow)
    assert spec.parameters["properties"]["fields"]["properties"]["urgency"] == {
        "type": ["string", "null"],
        "description": (
            "urgent when a court date or deadline is coming up soon, else normal; one of: normal, urgent"
        ),
    }
    assert "consultation: a new legal matter" in spec.description


def test_starter_knowledge_steps_aside_for_the_tenants_own_question() -> None:
    workflow = tenant_workflow(PROVIDERS, call_for("dental", "dental"))
    own = [KnowledgeDoc(id="k1", question="How often should I get a cleaning??", answer="Twice a year.")]
    starters = starter_docs(workflow, own)
    questions = [doc.question for doc in starters]
    assert "How often should I get a cleaning?" not in questions
    assert questions[0] == "What counts as a dental emergency?"
    assert (starters[0].id, starters[0].tags) == ("dental:0", ["emergency"])
    assert len(starters) == len(workflow.knowledge) - 1
    assert starter_docs(None, own) == []
