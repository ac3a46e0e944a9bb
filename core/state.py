"""What the app lifespan owns, reachable from handlers as ``app.state.services``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from core.authz.policy import AccessPolicy
from core.media.store import MediaStore
from core.scheduling.ical import deployment_key
from core.security.crypto import SecretBox
from core.settings import Settings

if TYPE_CHECKING:
    import httpx
    import pluggy

    from core.calls.services import CallConfigCache
    from core.conversation.answer_cache import AnswerCache
    from core.plugins.calling import HookRouter
    from core.plugins.catalog import PluginCatalog
    from core.plugins.registries import ProviderRegistry
    from core.telephony.sms_sender import SmsSender
    from core.webhooks.dispatcher import Dispatcher
    from core.webhooks.guard import TargetGuard


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
        webhook_guard: TargetGuard,
        webhook_http: httpx.AsyncClient,
        answer_cache: AnswerCache,
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
        # Synthesised speech served for <Play>; recent clips are kept in this process.
        self.media = MediaStore(deployment_key(settings))
        # Outbound webhooks and CRM connectors: public addresses only, through one guarded client.
        self.webhook_guard = webhook_guard
        self.webhook_http = webhook_http
        # Answers to repeated knowledge questions (core.conversation.answer_cache).
        self.answer_cache = answer_cache
        # The in-process dispatcher, when this process runs one (``webhook_dispatch = embedded``).
        self.dispatcher: Dispatcher | None = None
