"""Every domain's models, imported in one place so the metadata (and Alembic) sees them all."""

from core.audit.models import AuditEntry
from core.authz.models import ApiKey, CasbinRule
from core.calls.models import Call, CallEventRecord, CallResponse, CallTurn
from core.contacts.models import Contact
from core.conversation.models import AiUsageMonth
from core.db.base import Base
from core.experiments.models import (
    Experiment,
    ExperimentAssignment,
    ExperimentResult,
    ExperimentStat,
    ExperimentUnitMetric,
)
from core.knowledge.models import KnowledgeEntry
from core.leads.models import Lead
from core.media.models import MediaClip
from core.messages.models import Message
from core.plugins.models import PlatformPluginDefault, PluginInstall
from core.scheduling.models import Appointment, SlotClaim
from core.tenancy.models import Member, PhoneNumber, Tenant
from core.webhooks.models import DeliveryAttempt, OutboxEvent, WebhookDelivery, WebhookSubscription

__all__ = [
    "AiUsageMonth",
    "ApiKey",
    "Appointment",
    "AuditEntry",
    "Base",
    "Call",
    "CallEventRecord",
    "CallResponse",
    "CallTurn",
    "CasbinRule",
    "Contact",
    "DeliveryAttempt",
    "Experiment",
    "ExperimentAssignment",
    "ExperimentResult",
    "ExperimentStat",
    "ExperimentUnitMetric",
    "KnowledgeEntry",
    "Lead",
    "MediaClip",
    "Member",
    "Message",
    "OutboxEvent",
    "PhoneNumber",
    "PlatformPluginDefault",
    "PluginInstall",
    "SlotClaim",
    "Tenant",
    "WebhookDelivery",
    "WebhookSubscription",
]
