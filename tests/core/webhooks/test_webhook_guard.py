"""The SSRF guard: which targets are refused, by which rule, and that requests go to the checked address."""

from __future__ import annotations

import httpx
import pytest

from core.webhooks.guard import GuardedTransport, TargetGuard, TargetRefused, guarded_client


def resolving(*addresses: str):
    async def resolve(host: str, port: int) -> list[str]:
        return list(addresses)

    return resolve


@pytest.mark.parametrize(
    ("url", "rule"),
    [
        ("http://127.0.0.1:8080/hook", "loopback"),
        ("http://[::1]/hook", "loopback"),
        ("http://localhost/hook", "loopback"),
        ("http://api.localhost/hook", "loopback"),
        ("http://10.1.2.3/hook", "private"),
        ("http://192.168.0.10/hook", "private"),
        ("http://172.16.5.4/hook", "private"),
        ("http://[fd12::1]/hook", "private"),
        ("http://169.254.169.254/latest/meta-data/", "cloud-metadata"),
        ("http://[fd00:ec2::254]/latest/", "cloud-metadata"),
        ("http://metadata.google.internal/computeMetadata/v1/", "cloud-metadata"),
        ("http://169.254.10.10/hook", "link-local"),
        ("http://[fe80::1]/hook", "link-local"),
        ("http://0.0.0.0/hook", "unspecified"),
        ("http://224.0.0.1/hook", "multicast"),
        ("http://100.64.0.1/hook", "reserved"),
        ("http://[::ffff:10.0.0.1]/hook", "private"),
        ("ftp://example.com/hook", "scheme"),
    ],
)
async def test_non_public_targets_are_refused_naming_the_rule(url, rule):
    guard = TargetGuard(resolver=resolving("93.184.216.34"))
    with pytest.raises(TargetRefused) as refused:
        await guard.check(url)
    assert refused.value.rule == rule


async def test_a_name_resolving_to_a_private_address_is_refused():
    guard = TargetGuard(resolver=resolving("93.184.216.34", "10.0.0.7"))
    with pytest.raises(TargetRefused) as refused:
        await guard.check("https://hooks.example.com/x")
    assert refused.value.rule == "private"
    assert "10.0.0.7" in str(refused.value)
    assert "FRONTDESK_WEBHOOKS_ALLOW_PRIVATE=1" in str(refused.value)


async def test_a_name_that_does_not_resolve_is_refused():
    async def fail(host: str, port: int) -> list[str]:
        raise OSError("Name or service not known")

    with pytest.raises(TargetRefused) as refused:
        await TargetGuard(resolver=fail).check("https://nowhere.example/x")
    assert refused.value.rule == "dns"


async def test_public_targets_pass_and_allow_private_lets_everything_through():
    guard = TargetGuard(resolver=resolving("93.184.216.34"))
    assert await guard.check("https://hooks.zapier.com/hooks/standard/1/abc") == "93.184.216.34"
    assert await guard.check("https://8.8.8.8/x") == "8.8.8.8"
    assert await TargetGuard(allow_private=True).check("http://127.0.0.1:9/x") is None


async def test_requests_connect_to_the_checked_address_with_the_name_in_host_and_sni():
    seen: list[httpx.Request] = []

    def receive(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    guard = TargetGuard(resolver=resolving("93.184.216.34"))
    async with guarded_client(guard, timeout=15, transport=httpx.MockTransport(receive)) as http:
        response = await http.post("https://hooks.example.com:8443/in?x=1", content=b"{}")
    assert response.status_code == 204
    (request,) = seen
    assert str(request.url) == "https://93.184.216.34:8443/in?x=1"
    assert request.headers["host"] == "hooks.example.com:8443"
    assert request.extensions["sni_hostname"] == "hooks.example.com"


async def test_a_refused_request_never_reaches_the_network():
    seen: list[httpx.Request] = []
    transport = GuardedTransport(
        TargetGuard(resolver=resolving("192.168.1.1")), httpx.MockTransport(lambda r: seen.append(r))
    )
    async with httpx.AsyncClient(transport=transport) as http:
        with pytest.raises(TargetRefused):
            await http.post("https://internal.example.com/x")
    assert seen == []


async def test_redirects_are_not_followed():
    def receive(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"location": "http://169.254.169.254/"})

    guard = TargetGuard(resolver=resolving("93.184.216.34"))
    async with guarded_client(guard, timeout=15, transport=httpx.MockTransport(receive)) as http:
        response = await http.post("https://hooks.example.com/in")
    assert response.status_code == 302
