"""What the app lifespan owns, reachable from handlers as ``app.state.services``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from core.authz.policy import AccessPolicy
from core.security.crypto import SecretBox
from core.settings import Settings

if TYPE_CHECKING:
    import pluggy

    from core.calls.services import CallConfigCache
    from core.plugins.calling import HookRouter
    from core.plugins.catalog import PluginCatalog
    from core.plugins.registries import ProviderRegistry
    from core.telephony.sms_sender import SmsSender


class AppServices:
    """A plain class on purpose: Litestar passes it to handlers as is instead of re-validating it."""

    def __init__(
        self,
        *,
        settings: Settings,
        engine: AsyncEngine,
        session_factory: async_sessionmaker[AsyncSession],
        policy: AccessPolicy,
        secret_box: SecretBox,
        plugin_manager: pluggy.PluginManager,
        catalog: PluginCatalog,
        hooks: HookRouter,
        providers: ProviderRegistry,
        sms: SmsSender,
        call_configs: CallConfigCache,
    ) -> None:
        self.settings = settings
        self.engine = engine
        self.session_factory = session_factory
        self.policy = policy
        self.secret_box = secret_box
        self.plugin_manager = plugin_manager
        self.catalog = catalog
        self.hooks = hooks
        self.providers = providers
        self.sms = sms
        self.call_configs = call_configs
