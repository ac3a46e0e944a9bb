"""What the hosted conversation models (OpenAI, Anthropic...) share: clients, pacing, replies checked, prices.

A hosted model is one vendor SDK call per round. The provider chain is its retry (SDK retries are
off), so everything here fails fast and loudly: a stalled stream, arguments that are not JSON or a
reply with nothing in it raise, and the engine hands the turn to the next provider.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import Any, Generic, TypeVar

import jinja2
import msgspec

from core.conversation.chain import DEFAULT_PRIORITY
from core.conversation.prompt import compile_script
from core.plugins.config import ConfigFieldError, Secret
from core.providers import LLMProvider, Usage

ClientT = TypeVar("ClientT")
ItemT = TypeVar("ItemT")
PoolT = TypeVar("PoolT")

# SDK clients kept per provider; more keys than this means tenants come and go, so start over.
MAX_CLIENTS = 256


class HostedModelConfig(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The settings every hosted model takes; a vendor's plugin ``Config`` subclasses it.

    A plugin's ``Config`` sets its own ``model`` default; the fields and checks are the same.
    """

    # The vendor API key; stored encrypted, or {"$env": "NAME"}. Optional only with a base_url
    # (a gateway that holds the key itself).
    api_key: Secret = None
    # A model that can call tools; a fast small one suits a phone call.
    model: str = ""
    # None: left to the model (reasoning models take no temperature).
    temperature: float | None = 0.3
    # Longest reply in tokens; a spoken reply is a few sentences.
    max_tokens: int = 300
    # Seconds to wait for the model to start answering, and at most between two pieces of it.
    timeout_s: float = 3.0
    # Another endpoint speaking the vendor's API (a gateway or proxy) instead of the vendor's own.
    base_url: str | None = None
    # Place in the tenant's chain of conversation models: lower is tried first (offline is last).
    priority: int = DEFAULT_PRIORITY
    # Prices in USD per million tokens, for the cost estimate; None: the known price of ``model``.
    input_usd_per_mtok: float | None = None
    output_usd_per_mtok: float | None = None
    # The business's own instructions, added to the prompt: a sandboxed Jinja template.
    script: str = ""
    # Also ask the model how each caller turn sounds (-1..1): one tiny request per turn.
    judge_sentiment: bool = True

    def __post_init__(self) -> None:
        if not self.api_key and self.base_url is None:
            raise ConfigFieldError(
                "api_key", "an API key is required (or the base_url of a gateway that holds it)"
            )
        if not self.model.strip():
            raise ConfigFieldError("model", "must name a model")
        if self.temperature is not None and not 0.0 <= self.temperature <= 2.0:
            raise ConfigFieldError("temperature", "must be between 0 and 2")
        if not 16 <= self.max_tokens <= 4096:
            raise ConfigFieldError("max_tokens", "must be between 16 and 4096")
        if not 0.0 < self.timeout_s <= 30.0:
            raise ConfigFieldError("timeout_s", "must be more than 0 and at most 30 seconds")
        if self.base_url is not None and not self.base_url.startswith(("http://", "https://")):
            raise ConfigFieldError("base_url", "must be an http(s) URL such as https://gateway.example/v1")
        for field in ("input_usd_per_mtok", "output_usd_per_mtok"):
            price = getattr(self, field)
            if price is not None and price < 0:
                raise ConfigFieldError(field, "must be 0 or more")
        try:
            compile_script(self.script)
        except jinja2.TemplateSyntaxError as exc:
            raise ConfigFieldError("script", f"line {exc.lineno}: {exc.message}") from exc

    def prices(self, known: Mapping[str, tuple[float, float]]) -> tuple[float | None, float | None]:
        """The tenant's prices where set, else the ones ``known`` lists for ``model``."""
        listed = price_per_mtok(known, self.model)
        return (
            self.input_usd_per_mtok if self.input_usd_per_mtok is not None else listed and listed[0],
            self.output_usd_per_mtok if self.output_usd_per_mtok is not None else listed and listed[1],
        )


class ModelReplyError(RuntimeError):
    """A hosted model's reply that cannot be used; the engine moves on to the next provider."""


class ClientCache(Generic[ClientT, PoolT]):
    """One SDK client per (API key, base URL, timeout), all over one shared connection pool.

    ``pool`` builds the pool: the SDK's own ``DefaultAsyncHttpxClient``, so it is of the httpx
    flavour the SDK takes (``httpx2`` for current SDKs). ``transport`` replaces the network (tests
    pass that flavour's ``MockTransport``); it is read when the pool is first built, inside the
    running event loop, so set it before the first request.
    """

    def __init__(
        self, build: Callable[[str, str | None, float, PoolT], ClientT], pool: Callable[..., PoolT]
    ) -> None:
        self.build = build
        self.pool = pool
        self.transport: Any = None
        self._http: PoolT | None = None
        self._clients: dict[tuple[str, str | None, float], ClientT] = {}

    def get(self, api_key: str, base_url: str | None, timeout_s: float) -> ClientT:
        key = (api_key, base_url, timeout_s)
        client = self._clients.get(key)
        if client is None:
            if self._http is None:
                self._http = (
                    self.pool(transport=self.transport) if self.transport is not None else self.pool()
                )
            if len(self._clients) >= MAX_CLIENTS:
                self._clients.clear()
            client = self._clients[key] = self.build(api_key, base_url, timeout_s, self._http)
        return client


# The SDKs insist on a key; a gateway at ``base_url`` that holds the real one takes any.
NO_KEY = "not-needed"


class HostedLLM(LLMProvider, Generic[ClientT]):
    """A vendor's model reached through its SDK; ``transport`` replaces the network in tests.

    Set ``transport`` (an ``httpx2.AsyncBaseTransport``, the httpx flavour the SDKs speak) before
    the provider's first request, e.g.
    ``services.providers.get("llm_provider", "openai").provider.transport = mock``.
    """

    def __init__(self, clients: ClientCache[ClientT, Any], *, transport: Any = None) -> None:
        self._clients = clients
        self.transport = transport

    @property
    def transport(self) -> Any:
        return self._clients.transport

    @transport.setter
    def transport(self, transport: Any) -> None:
        self._clients.transport = transport

    def _client(self, config: HostedModelConfig) -> ClientT:
        return self._clients.get(config.api_key or NO_KEY, config.base_url, config.timeout_s)


async def started(opening: Awaitable[ItemT], timeout_s: float, what: str) -> ItemT:
    """The opened stream, or ``TimeoutError`` naming the model when it does not start in time."""
    try:
        async with asyncio.timeout(timeout_s):
            return await opening
    except TimeoutError:
        raise TimeoutError(f"{what} did not start answering within {timeout_s:g} s") from None


async def paced(stream: AsyncIterator[ItemT], gap_s: float, what: str) -> AsyncIterator[ItemT]:
    """``stream``'s items, raising ``TimeoutError`` when none comes for ``gap_s`` seconds.

    Socket timeouts cover a real network; this covers any transport (a test's included), and
    a vendor that keeps the connection open while sending nothing.
    """
    while True:
        try:
            async with asyncio.timeout(gap_s):
                item = await anext(stream)
        except StopAsyncIteration:
            return
        except TimeoutError:
            raise TimeoutError(f"{what} sent nothing for {gap_s:g} s") from None
        yield item


def decode_arguments(what: str, tool: str, raw: str) -> dict[str, Any]:
    """A tool call's streamed arguments as a dict; empty means none. Raises ``ModelReplyError``."""
    if not raw.strip():
        return {}
    try:
        value = json.loads(raw)
    except ValueError as exc:
        raise ModelReplyError(f"{what} sent arguments for {tool!r} that are not JSON: {raw[:200]!r}") from exc
    if not isinstance(value, dict):
        raise ModelReplyError(f"{what} sent arguments for {tool!r} that are not an object: {raw[:200]!r}")
    return value


def price_per_mtok(prices: Mapping[str, tuple[float, float]], model: str) -> tuple[float, float] | None:
    """The (input, output) USD price per million tokens of ``model``: the longest known prefix wins,
    so dated snapshots ("gpt-4.1-mini-2025-04-14") cost what their family costs."""
    matches = [prefix for prefix in prices if model == prefix or model.startswith(prefix + "-")]
    return prices[max(matches, key=len)] if matches else None


def priced_usage(
    provider: str,
    model: str,
    input_tokens: int,
    output_tokens: int,
    prices: tuple[float | None, float | None],
    *,
    reported: bool = True,
) -> Usage:
    """A ``Usage`` with its cost; no cost when a price is unknown or the vendor reported no usage."""
    input_price, output_price = prices
    cost = None
    if reported and input_price is not None and output_price is not None:
        cost = round((input_tokens * input_price + output_tokens * output_price) / 1_000_000, 8)
    return Usage(
        provider=provider, model=model, input_tokens=input_tokens, output_tokens=output_tokens, cost_usd=cost
    )


_NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)")


def read_sentiment(reply: str) -> float | None:
    """The first number in a model's mood judgement, held to -1..1; None when there is none."""
    match = _NUMBER.search(reply)
    if match is None:
        return None
    return max(-1.0, min(1.0, float(match.group())))
