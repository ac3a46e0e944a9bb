"""Frontdesk's plugin-author API: ``from core import hookimpl, CallContext, Voice, ...``.

Kept import-light on purpose: a plugin importing this must not pull in the web app or database.
"""

from __future__ import annotations

from core.context import (
    CallContext,
    CallerProfile,
    CallEvent,
    Greeting,
    RouteDecision,
    ScreeningDecision,
    TenantIdentity,
    Turn,
)
from core.hooks.markers import hookimpl
from core.plugins.config import ConfigFieldError, Secret
from core.providers import (
    Calendar,
    ConnectorEvent,
    CRMConnector,
    DeliveryError,
    EventType,
    KnowledgeItem,
    LeadAssessment,
    LeadRoute,
    LLMProvider,
    Message,
    Register,
    Registration,
    Slot,
    Speech,
    TextDelta,
    ToolCall,
    ToolSpec,
    Voice,
    Workflow,
    WorkflowField,
    WorkflowIntent,
    WorkflowReading,
    retry_after_seconds,
    url_problem,
)

__all__ = [
    "CRMConnector",
    "Calendar",
    "CallContext",
    "CallEvent",
    "CallerProfile",
    "ConfigFieldError",
    "ConnectorEvent",
    "DeliveryError",
    "EventType",
    "Greeting",
    "KnowledgeItem",
    "LLMProvider",
    "LeadAssessment",
    "LeadRoute",
    "Message",
    "Register",
    "Registration",
    "RouteDecision",
    "ScreeningDecision",
    "Secret",
    "Slot",
    "Speech",
    "TenantIdentity",
    "TextDelta",
    "ToolCall",
    "ToolSpec",
    "Turn",
    "Voice",
    "Workflow",
    "WorkflowField",
    "WorkflowIntent",
    "WorkflowReading",
    "hookimpl",
    "retry_after_seconds",
    "url_problem",
]
