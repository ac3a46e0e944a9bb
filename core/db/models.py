"""Every domain's models, imported in one place so the metadata (and Alembic) sees them all."""

from core.audit.models import AuditEntry
from core.authz.models import ApiKey, CasbinRule
from core.db.base import Base
from core.knowledge.models import KnowledgeEntry
from core.plugins.models import PlatformPluginDefault, PluginInstall
from core.tenancy.models import Member, PhoneNumber, Tenant

__all__ = [
    "ApiKey",
    "AuditEntry",
    "Base",
    "CasbinRule",
    "KnowledgeEntry",
    "Member",
    "PhoneNumber",
    "PlatformPluginDefault",
    "PluginInstall",
    "Tenant",
]
