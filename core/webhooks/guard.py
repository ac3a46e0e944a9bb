"""Outbound requests go only to public addresses (no SSRF into the deployment's own network).

Webhook targets and tenant-defined connector URLs are checked when they are saved and again on
every request, after resolving the name: loopback, private, link-local, cloud-metadata and any
other non-public address is refused with an error naming the rule. The request then goes to the
address that was checked (the name only travels in ``Host`` and TLS SNI), so a name that
re-resolves to a private address between the check and the connection gains nothing.
``FRONTDESK_WEBHOOKS_ALLOW_PRIVATE=1`` switches all of this off for local development.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable

import httpx

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Awaitable[list[str]]]

ALLOW_PRIVATE_HINT = "set FRONTDESK_WEBHOOKS_ALLOW_PRIVATE=1 to allow it"

# Instance metadata services of the big clouds: AWS/GCP/Azure/OpenStack, AWS IPv6, Alibaba, Oracle.
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a) for a in ("169.254.169.254", "fd00:ec2::254", "100.100.100.200", "192.0.0.192")
)
METADATA_NAMES = frozenset({"metadata", "metadata.google.internal", "metadata.goog", "instance-data"})


class TargetRefused(ValueError):
    """A URL the platform will not send to; ``rule`` names why (``loopback``, ``private``...)."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(message)
        self.rule = rule


async def system_resolver(host: str, port: int) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def address_rule(address: Address) -> str | None:
    """The rule a non-public address breaks, or None for a public one."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address in METADATA_ADDRESSES:
        return "cloud-metadata"
    if address.is_loopback:
        return "loopback"
    if address.is_link_local:
        return "link-local"
    if address.is_multicast:
        return "multicast"
    if address.is_unspecified:
        return "unspecified"
    if address.is_private:
        return "private"
    if not address.is_global:
        return "reserved"
    return None


def _literal(host: str) -> Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


class TargetGuard:
    """Checks outbound URLs; ``resolver`` is injectable so tests need no DNS."""

    def __init__(self, *, allow_private: bool = False, resolver: Resolver | None = None) -> None:
        self.allow_private = allow_private
        self.resolver = resolver or system_resolver

    async def check(self, url: str | httpx.URL) -> str | None:
        """The public address to connect to (None if private targets are allowed), or ``TargetRefused``."""
        parsed = url if isinstance(url, httpx.URL) else _parse(url)
        if parsed.scheme not in ("http", "https"):
            raise TargetRefused(
                "scheme", f"the URL must be http or https, not {parsed.scheme or 'missing'!r}"
            )
        host = parsed.host
        if not host:
            raise TargetRefused("host", "the URL has no host")
        if self.allow_private:
            return None
        name = host.lower().rstrip(".")
        if name == "localhost" or name.endswith(".localhost"):
            raise TargetRefused("loopback", f"{host} is a loopback name: {ALLOW_PRIVATE_HINT}")
        if name in METADATA_NAMES:
            raise TargetRefused("cloud-metadata", f"{host} is a cloud metadata service")
        literal = _literal(host)
        if literal is not None:
            addresses = [literal]
        else:
            port = parsed.port or (443 if parsed.scheme == "https" else 80)
            try:
                addresses = [ipaddress.ip_address(a.split("%")[0]) for a in await self.resolver(host, port)]
            except (OSError, ValueError) as exc:
                raise TargetRefused("dns", f"{host} does not resolve ({exc})") from None
            if not addresses:
                raise TargetRefused("dns", f"{host} does not resolve")
        for address in addresses:
            rule = address_rule(address)
            if rule == "cloud-metadata":
                raise TargetRefused(rule, f"{host} is a cloud metadata address ({address})")
            if rule is not None:
                raise TargetRefused(
                    rule, f"{host} resolves to {address}, a {rule} address: {ALLOW_PRIVATE_HINT}"
                )
        return str(addresses[0])


def _parse(url: str) -> httpx.URL:
    try:
        return httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as exc:
        raise TargetRefused("url", f"not a valid URL ({exc})") from None


class GuardedTransport(httpx.AsyncBaseTransport):
    """An httpx transport that checks every request with a ``TargetGuard`` and pins the address."""

    def __init__(self, guard: TargetGuard, inner: httpx.AsyncBaseTransport | None = None) -> None:
        self.guard = guard
        self.inner = inner or httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        address = await self.guard.check(request.url)
        if address is not None and _literal(request.url.host) is None:
            # Connect to the checked address; the name stays in Host (set already) and TLS SNI.
            request.extensions = {**request.extensions, "sni_hostname": request.url.host}
            request.url = request.url.copy_with(host=address)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


def guarded_client(
    guard: TargetGuard, *, timeout: float, transport: httpx.AsyncBaseTransport | None = None
) -> httpx.AsyncClient:
    """The one outbound client of webhooks and connectors: guarded, no redirects followed."""
    return httpx.AsyncClient(
        transport=GuardedTransport(guard, transport),
        timeout=httpx.Timeout(timeout),
        follow_redirects=False,
        headers={"user-agent": "Frontdesk-Webhooks/1"},
    )
