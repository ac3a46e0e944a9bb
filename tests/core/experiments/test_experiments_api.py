"""Experiments through the admin API: definition checks, the lifecycle, assignments and results."""

from __future__ import annotations

from typing import Any

from db_support import fetch_all, fetch_one, insert
from litestar.testing import AsyncTestClient
from sqlalchemy import select

from core.audit.models import AuditEntry
from core.experiments.assignment import assign
from core.experiments.models import ExperimentAssignment, ExperimentResult, ExperimentStat
from core.tenancy.models import Tenant

BASE = "/api/v1/tenants/acme/experiments"


def greeting_test(key: str = "warm-greeting", **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "key": key,
        "name": "Warm greeting",
        "type": "greeting",
        "unit": "caller",
        "variants": [
            {"key": "control", "name": "Current greeting", "weight": 0.5, "config": {}},
            {
                "key": "warm",
                "name": "Warm greeting",
                "weight": 0.5,
                "config": {"greeting": {"template": "Hi there, thanks for calling {{ business.name }}!"}},
            },
        ],
        "primary_metric": "booked",
        "secondary_metrics": ["duration_s"],
    }
    return body | overrides


async def make_tenant(client: AsyncTestClient, slug: str = "acme") -> None:
    created = await client.post("/api/v1/tenants", json={"slug": slug, "name": "Acme", "timezone": "UTC"})
    assert created.status_code == 201, created.text


async def running(client: AsyncTestClient, **overrides: Any) -> dict[str, Any]:
    created = await client.post(BASE, json=greeting_test(**overrides))
    assert created.status_code == 201, created.text
    started = await client.post(f"{BASE}/{created.json()['id']}/start")
    assert started.status_code == 200, started.text
    return started.json()


async def test_create_answers_the_draft(client: AsyncTestClient) -> None:
    await make_tenant(client)
    response = await client.post(BASE, json=greeting_test(description="Does warmth book more?"))
    assert response.status_code == 201, response.text
    experiment = response.json()
    assert experiment["key"] == "warm-greeting"
    assert experiment["status"] == "draft"
    assert experiment["description"] == "Does warmth book more?"
    assert [v["key"] for v in experiment["variants"]] == ["control", "warm"]
    assert experiment["variants"][1]["config"]["greeting"]["template"].startswith("Hi there")
    assert (experiment["alpha"], experiment["power"], experiment["coverage"]) == (0.05, 0.8, 1.0)
    assert (experiment["correction"], experiment["sequential"], experiment["winner"]) == ("holm", False, None)
    assert experiment["started_at"] is None
    assert experiment["secondary_metrics"] == ["duration_s"]

    by_key = await client.get(f"{BASE}/warm-greeting")
    by_id = await client.get(f"{BASE}/{experiment['id']}")
    assert by_key.json() == by_id.json() == experiment
    assert (await client.get(f"{BASE}/no-such-test")).status_code == 404


async def test_a_variant_config_that_does_not_validate_is_422_naming_the_field(
    client: AsyncTestClient,
) -> None:
    await make_tenant(client)
    body = greeting_test()
    body["variants"][1]["config"] = {"greeting": {"template": "Hello {{ business.name"}}
    response = await client.post(BASE, json=body)
    assert response.status_code == 422
    assert response.json()["extra"] == {"field": "variants[1].config.greeting.template"}
    assert response.json()["detail"].startswith("variants[1].config.greeting.template: ")

    body["variants"][1]["config"] = {"greeting": {"tempo": 3}}
    response = await client.post(BASE, json=body)
    assert response.status_code == 422
    assert response.json()["extra"]["field"].startswith("variants[1].config.greeting")

    body["variants"][1]["config"] = {"no_such_plugin": {"x": 1}}
    response = await client.post(BASE, json=body)
    assert response.status_code == 422
    assert response.json()["extra"] == {"field": "variants[1].config.no_such_plugin"}

    assert (await client.delete("/api/v1/tenants/acme/plugins/screening")).status_code == 204
    body["variants"][1]["config"] = {"screening": {"block_anonymous": True}}
    response = await client.post(BASE, json=body)
    assert response.status_code == 422
    assert "not installed" in response.json()["detail"]
    assert (await client.get(BASE)).json()["items"] == []


async def test_unknown_metrics_and_repeated_variant_keys_are_422(client: AsyncTestClient) -> None:
    await make_tenant(client)
    unknown = await client.post(BASE, json=greeting_test(primary_metric="revenue"))
    assert unknown.status_code == 422
    assert unknown.json()["extra"] == {"field": "primary_metric"}
    assert "booked" in unknown.json()["detail"]

    secondary = await client.post(BASE, json=greeting_test(secondary_metrics=["turns", "nps"]))
    assert secondary.status_code == 422
    assert secondary.json()["extra"] == {"field": "secondary_metrics[1]"}

    defined = await client.post(
        BASE,
        json=greeting_test(primary_metric="revenue", metrics={"revenue": {"type": "continuous", "cap": 500}}),
    )
    assert defined.status_code == 201, defined.text
    assert defined.json()["metrics"]["revenue"]["cap"] == 500

    body = greeting_test(key="twins")
    body["variants"][1]["key"] = "control"
    twins = await client.post(BASE, json=body)
    assert twins.status_code == 422
    assert twins.json()["extra"] == {"field": "variants[1].key"}


async def test_field_rules_are_400_naming_the_field(client: AsyncTestClient) -> None:
    await make_tenant(client)
    for overrides, field in (
        ({"key": "Warm Greeting"}, "key"),
        ({"alpha": 0.5}, "alpha"),
        ({"power": 0.4}, "power"),
        ({"unit": "tenant"}, "unit"),
        ({"variants": []}, "variants"),
    ):
        response = await client.post(BASE, json=greeting_test(**overrides))
        assert response.status_code == 400, (overrides, response.text)
        assert response.json()["extra"][0]["key"] == field
    body = greeting_test()
    body["variants"][0]["weight"] = -0.5
    response = await client.post(BASE, json=body)
    assert response.status_code == 400
    assert response.json()["extra"][0]["key"] == "variants[0].weight"


async def test_duplicate_key_is_409(client: AsyncTestClient) -> None:
    await make_tenant(client)
    assert (await client.post(BASE, json=greeting_test())).status_code == 201
    again = await client.post(BASE, json=greeting_test())
    assert again.status_code == 409
    assert again.json()["extra"] == {"field": "key"}
    # The same key in another tenant is another experiment.
    await make_tenant(client, "other")
    assert (await client.post("/api/v1/tenants/other/experiments", json=greeting_test())).status_code == 201


async def test_start_needs_two_variants_whose_weights_add_up_to_one(client: AsyncTestClient) -> None:
    await make_tenant(client)
    body = greeting_test()
    body["variants"][1]["weight"] = 0.4
    draft = (await client.post(BASE, json=body)).json()
    response = await client.post(f"{BASE}/{draft['id']}/start")
    assert response.status_code == 422
    assert response.json()["extra"] == {"field": "variants"}
    assert "0.9" in response.json()["detail"]

    alone = greeting_test(key="alone", variants=[body["variants"][0] | {"weight": 1.0}])
    single = (await client.post(BASE, json=alone)).json()
    response = await client.post(f"{BASE}/{single['id']}/start")
    assert response.status_code == 422
    assert response.json()["extra"] == {"field": "variants"}

    fixed = await client.patch(
        f"{BASE}/{draft['id']}",
        json={"variants": [body["variants"][0], body["variants"][1] | {"weight": 0.5}]},
    )
    assert fixed.status_code == 200, fixed.text
    started = await client.post(f"{BASE}/{draft['id']}/start")
    assert started.status_code == 200
    assert started.json()["status"] == "running"
    assert started.json()["started_at"] is not None


async def test_patch_edits_drafts_only_with_the_same_checks(client: AsyncTestClient) -> None:
    await make_tenant(client)
    draft = (await client.post(BASE, json=greeting_test())).json()
    renamed = await client.patch(f"{BASE}/{draft['id']}", json={"name": "Warmer", "alpha": 0.01})
    assert renamed.status_code == 200
    assert (renamed.json()["name"], renamed.json()["alpha"]) == ("Warmer", 0.01)
    assert renamed.json()["variants"] == draft["variants"]
    bad = await client.patch(f"{BASE}/{draft['id']}", json={"secondary_metrics": ["mood"]})
    assert bad.status_code == 422
    assert bad.json()["extra"] == {"field": "secondary_metrics[0]"}
    assert (await client.patch(f"{BASE}/{draft['id']}", json={"key": "new-key"})).status_code == 400

    await client.post(f"{BASE}/{draft['id']}/start")
    frozen = await client.patch(f"{BASE}/{draft['id']}", json={"name": "Too late"})
    assert frozen.status_code == 409
    assert frozen.json()["extra"] == {"field": "status"}
    assert (await client.get(f"{BASE}/{draft['id']}")).json()["name"] == "Warmer"


async def test_overlapping_running_experiments_are_409(client: AsyncTestClient) -> None:
    await make_tenant(client)
    first = await running(client)
    clash = greeting_test(key="another-greeting")
    clash["variants"][1]["config"] = {"greeting": {"template": "Hello!", "voice": "twilio"}}
    second = (await client.post(BASE, json=clash)).json()
    response = await client.post(f"{BASE}/{second['id']}/start")
    assert response.status_code == 409
    assert "warm-greeting" in response.json()["detail"]
    assert "greeting.template" in response.json()["detail"]

    # Another setting of the same plugin does not clash.
    apart = greeting_test(key="voice-test", type="voice")
    apart["variants"][1]["config"] = {"greeting": {"voice": "twilio"}}
    third = (await client.post(BASE, json=apart)).json()
    assert (await client.post(f"{BASE}/{third['id']}/start")).status_code == 200

    # Once the first stops, the clashing one may start.
    assert (await client.post(f"{BASE}/{first['id']}/stop", json={})).status_code == 200
    response = await client.post(f"{BASE}/{second['id']}/start")
    assert response.status_code == 409  # it still clashes with the voice test on greeting.voice
    assert "voice-test" in response.json()["detail"]


async def test_lifecycle_through_archive_and_delete(client: AsyncTestClient, database_url: str) -> None:
    await make_tenant(client)
    version = (await client.get("/api/v1/tenants/acme")).json()["config_version"]
    experiment = await running(client)
    ref = f"{BASE}/{experiment['id']}"
    assert (await client.get("/api/v1/tenants/acme")).json()["config_version"] == version + 1

    assert (await client.post(f"{ref}/start")).status_code == 409
    assert (await client.delete(ref)).status_code == 409
    assert (await client.post(f"{ref}/archive")).status_code == 409
    bad_winner = await client.post(f"{ref}/stop", json={"winner": "hot"})
    assert bad_winner.status_code == 422
    assert bad_winner.json()["extra"] == {"field": "winner"}

    stopped = await client.post(f"{ref}/stop", json={"winner": "warm"})
    assert stopped.status_code == 200
    assert (stopped.json()["status"], stopped.json()["winner"]) == ("completed", "warm")
    assert stopped.json()["stopped_at"] is not None
    assert (await client.get("/api/v1/tenants/acme")).json()["config_version"] == version + 2
    assert (await client.post(f"{ref}/stop")).status_code == 409
    assert (await client.post(f"{ref}/assignments", json={"unit_id": "+14155550100"})).status_code == 409
    assert (await client.delete(ref)).status_code == 409

    archived = await client.post(f"{ref}/archive")
    assert archived.status_code == 200
    assert archived.json()["status"] == "archived"
    assert [e["key"] for e in (await client.get(f"{BASE}?status=archived")).json()["items"]] == [
        "warm-greeting"
    ]
    assert (await client.get(f"{BASE}?status=running")).json()["items"] == []
    assert (await client.delete(ref)).status_code == 204
    assert (await client.get(ref)).status_code == 404

    draft = (await client.post(BASE, json=greeting_test(key="draft-only"))).json()
    assert (await client.delete(f"{BASE}/draft-only")).status_code == 204

    tenant = await fetch_one(database_url, select(Tenant).where(Tenant.slug == "acme"))
    actions = [
        (entry.action, entry.object_id)
        for entry in await fetch_all(
            database_url,
            select(AuditEntry)
            .where(AuditEntry.tenant_id == tenant.id, AuditEntry.object_type == "experiment")
            .order_by(AuditEntry.at),
        )
    ]
    assert actions == [
        ("experiment.create", experiment["id"]),
        ("experiment.start", experiment["id"]),
        ("experiment.stop", experiment["id"]),
        ("experiment.archive", experiment["id"]),
        ("experiment.delete", experiment["id"]),
        ("experiment.create", draft["id"]),
        ("experiment.delete", draft["id"]),
    ]


async def test_stop_without_a_winner_takes_the_recommendation(
    client: AsyncTestClient, database_url: str
) -> None:
    await make_tenant(client)
    undecided = await running(client)
    stopped = await client.post(f"{BASE}/{undecided['id']}/stop")
    assert stopped.status_code == 200
    assert stopped.json()["winner"] is None  # no data: nothing to ship

    decided = await running(client, key="decided")
    # The sums as a thousand finished calls per variant would have left them.
    sums = {"control": (1000, 121.0), "warm": (1000, 182.0)}
    await insert(
        database_url,
        *[
            ExperimentStat(experiment_id=decided["id"], variant=v, metric=m, n=n, sum=s, sum_squares=s)
            for v, (n, booked) in sums.items()
            for m, s in (("booked", booked), ("$units", 0.0))
        ],
    )
    analysis = (await client.get(f"{BASE}/decided/analysis")).json()
    assert analysis["recommendation"] == "ship:warm"
    summary = await client.get(f"{BASE}/decided/summary")
    assert summary.json()["text"].startswith(
        "The Warm greeting variant booked 18.2% of callers against 12.1% for Current greeting (+50%"
    )
    stopped = await client.post(f"{BASE}/decided/stop")
    assert (stopped.json()["status"], stopped.json()["winner"]) == ("completed", "warm")
    ended = (await client.get(f"{BASE}/decided/summary")).json()["text"]
    assert ended.endswith("switch to it.")


async def test_assignments_are_deterministic_and_stored(client: AsyncTestClient, database_url: str) -> None:
    await make_tenant(client)
    experiment = await running(client)
    url = f"{BASE}/{experiment['id']}/assignments"
    first = await client.post(url, json={"unit_id": "+1 (415) 555-0100"})
    again = await client.post(url, json={"unit_id": "+14155550100"})
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    expected = assign("warm-greeting", "+14155550100", [0.5, 0.5])
    assert first.json() == {
        "experiment": "warm-greeting",
        "unit_id": "+14155550100",
        "variant": ["control", "warm"][expected.variant_index],
        "bucket": expected.bucket,
    }
    stored = await fetch_all(database_url, select(ExperimentAssignment))
    assert [(a.unit_id, a.variant) for a in stored] == [("+14155550100", first.json()["variant"])]

    variants = {
        (await client.post(url, json={"unit_id": f"+1415555{n:04d}"})).json()["variant"] for n in range(40)
    }
    assert variants == {"control", "warm"}
    blank = await client.post(url, json={"unit_id": "   "})
    assert blank.status_code == 422
    assert blank.json()["extra"] == {"field": "unit_id"}


async def test_units_outside_coverage_get_no_variant_and_no_results(client: AsyncTestClient) -> None:
    await make_tenant(client)
    experiment = await running(client, coverage=0.2)
    callers = [f"+1415555{n:04d}" for n in range(60)]
    outside = next(c for c in callers if not assign("warm-greeting", c, [0.5, 0.5], 0.2).in_experiment)
    answer = await client.post(f"{BASE}/{experiment['id']}/assignments", json={"unit_id": outside})
    assert answer.status_code == 200
    assert answer.json()["variant"] is None
    result = await client.post(
        f"{BASE}/{experiment['id']}/results", json={"unit_id": outside, "metric": "booked", "value": 1}
    )
    assert result.status_code == 409
    assert "coverage" in result.json()["detail"]


async def test_results_are_checked_and_update_the_analysis(
    client: AsyncTestClient, database_url: str
) -> None:
    await make_tenant(client)
    experiment = await running(client, metrics={"nps": {"type": "continuous", "aggregate": "last"}})
    url = f"{BASE}/{experiment['id']}/results"
    draft = (await client.post(BASE, json=greeting_test(key="not-started"))).json()
    not_running = await client.post(
        f"{BASE}/{draft['id']}/results", json={"unit_id": "+14155550100", "metric": "booked", "value": 1}
    )
    assert not_running.status_code == 409

    unmeasured = await client.post(url, json={"unit_id": "+14155550100", "metric": "turns", "value": 3})
    assert unmeasured.status_code == 422
    assert unmeasured.json()["extra"] == {"field": "metric"}
    binary = await client.post(url, json={"unit_id": "+14155550100", "metric": "booked", "value": 2})
    assert binary.status_code == 422
    assert binary.json()["extra"] == {"field": "value"}
    no_call = await client.post(
        url, json={"unit_id": "+14155550100", "metric": "booked", "value": 1, "call_sid": "CAnope"}
    )
    assert no_call.status_code == 422
    assert no_call.json()["extra"] == {"field": "call_sid"}

    # Results for units never assigned assign them now.
    booked = {"+14155550100": 1, "+14155550101": 0, "+14155550102": 1, "+14155550103": 0}
    answers = {}
    for caller, value in booked.items():
        response = await client.post(url, json={"unit_id": caller, "metric": "booked", "value": value})
        assert response.status_code == 201, response.text
        answers[caller] = response.json()
    assignment = await client.post(f"{BASE}/{experiment['id']}/assignments", json={"unit_id": "+14155550100"})
    assert answers["+14155550100"]["variant"] == assignment.json()["variant"]
    assert answers["+14155550100"]["metric"] == "booked"
    assert answers["+14155550100"]["value"] == 1.0
    nps = await client.post(url, json={"unit_id": "+1 415 555 0100", "metric": "nps", "value": 9.5})
    assert nps.status_code == 201
    assert nps.json()["unit_id"] == "+14155550100"

    stored = await fetch_all(database_url, select(ExperimentResult).order_by(ExperimentResult.recorded_at))
    assert sorted((r.unit_id, r.metric, r.value) for r in stored) == sorted(
        [(caller, "booked", float(value)) for caller, value in booked.items()]
        + [("+14155550100", "nps", 9.5)]
    )

    analysis = (await client.get(f"{BASE}/{experiment['id']}/analysis")).json()
    assert [m["metric"] for m in analysis["metrics"]] == ["booked", "duration_s", "nps"]
    by_variant = {v["variant"]: v for v in analysis["metrics"][0]["variants"]}
    for key in ("control", "warm"):
        values = [booked[c] for c, a in answers.items() if a["variant"] == key]
        assert by_variant[key]["n"] == len(values)
        if values:
            assert by_variant[key]["mean"] == sum(values) / len(values)
    units = {v["key"]: v["units"] for v in analysis["variants"]}
    assert sum(units.values()) == 4
    assert analysis["recommendation"] == "keep_running"


async def test_reading_needs_the_tenant(client: AsyncTestClient) -> None:
    await make_tenant(client)
    await make_tenant(client, "other")
    experiment = (await client.post(BASE, json=greeting_test())).json()
    assert (await client.get(f"/api/v1/tenants/other/experiments/{experiment['id']}")).status_code == 404
    assert (await client.delete(f"/api/v1/tenants/other/experiments/{experiment['id']}")).status_code == 404
