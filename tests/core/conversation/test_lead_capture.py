"""``capture_lead`` for an LLM: told the tenant's workflow fields, the lead scored and routed by the host."""

from __future__ import annotations

import json
from types import ModuleType

import httpx
from litestar import Litestar
from litestar.testing import AsyncTestClient

from core.app import create_app
from core.telephony.outbound import drain
from core.telephony.simulator import SimulatedCall
from tests.conftest import ADMIN_KEY
from tests.core.conftest import load_test_plugin
from tests.core.telephony.conftest import CALLER, NUMBER, PUBLIC_URL, open_line, phone_settings
from tests.plugins.workflows.workflow_phone import ALL_DAY, lead_of, twilio_messages_api

LOAN_OFFICER = "+15557000001"
ROUTING = {"departments": {"loan_officer": {"number": LOAN_OFFICER}}}


def app_with_model(make_settings) -> tuple[ModuleType, Litestar]:
    """The app with the ``lead_llm`` test model, whose module records the tools it was offered."""
    model = load_test_plugin("lead_llm")
    app = create_app(
        phone_settings(make_settings),
        extra_plugins=[("lead_llm", model)],
        outbound_http=httpx.AsyncClient(transport=twilio_messages_api([])),
    )
    return model, app


async def test_the_model_is_told_the_fields_and_the_host_scores_and_transfers(make_settings) -> None:
    model, app = app_with_model(make_settings)
    async with AsyncTestClient(app=app, base_url=PUBLIC_URL) as client:
        client.headers["Authorization"] = f"Bearer {ADMIN_KEY}"
        plugins = {"lead_llm": {}, "mortgage": {}, "routing": ROUTING}
        twilio = await open_line(client, plugins)
        await client.patch("/api/v1/tenants/acme", json={"business": {"hours": ALL_DAY}})
        call = SimulatedCall(twilio, CALLER, NUMBER)
        await call.start()
        # Values as a model might pass them: the host reads them the way it reads speech.
        step = await call.say(
            "refinance | loan_amount=400k | property_value=$650,000 | credit_band=around 760 | timeline=ASAP"
        )
        assert step.dial == LOAN_OFFICER
        (said,) = step.says
        result = json.loads(said.removeprefix("Lead: "))
        assert {key: result[key] for key in ("ok", "score", "hot", "route", "who", "target", "missing")} == {
            "ok": True,
            "score": 87,
            "hot": True,
            "route": "transfer",
            "who": "a loan officer",
            "target": LOAN_OFFICER,
            "missing": [],
        }
        await call.hang_up()
        await drain()
        lead = await lead_of(client)
        assert lead["fields"] == {
            "loan_amount": 400_000,
            "property_value": 650_000,
            "credit_band": "excellent",
            "timeline": "asap",
            "route": {
                "action": "transfer",
                "reason": "hot_lead",
                "department": "loan_officer",
                "target": LOAN_OFFICER,
            },
        }

    (spec,) = [tool for tool in model.OFFERED[0] if tool.name == "capture_lead"]
    properties = spec.parameters["properties"]
    assert properties["intent"] == {"type": "string", "enum": ["purchase", "refinance", "heloc"]}
    fields = properties["fields"]["properties"]
    assert list(fields) == [
        "loan_amount",
        "property_value",
        "down_payment",
        "credit_band",
        "timeline",
        "employment",
    ]
    assert fields["credit_band"] == {
        "type": ["string", "number", "null"],
        "description": "the caller's credit, as a band; one of: excellent, good, fair, poor",
    }
    assert fields["loan_amount"]["type"] == ["number", "string", "null"]
    assert "loan_amount: About how much would you like to borrow?" in spec.description
    assert "down_payment (only for purchase): How much are you planning to put down?" in spec.description


async def test_a_lead_partly_qualified_is_told_what_to_ask_next(make_settings) -> None:
    _, app = app_with_model(make_settings)
    async with AsyncTestClient(app=app, base_url=PUBLIC_URL) as client:
        client.headers["Authorization"] = f"Bearer {ADMIN_KEY}"
        twilio = await open_line(client, {"lead_llm": {}, "mortgage": {}, "routing": ROUTING})
        call = SimulatedCall(twilio, CALLER, NUMBER)
        await call.start()
        first = json.loads((await call.say("purchase | loan_amount=350000")).says[0].removeprefix("Lead: "))
        # 10 (purchase) + 12 (loan size)
        assert (first["score"], first["route"], first["missing"][:2], first["ask"]) == (
            22,
            None,
            ["property_value", "down_payment"],
            "And roughly what is the property worth, or what's the purchase price?",
        )
        # The second capture updates the same lead.
        second = json.loads((await call.say("purchase | property_value=400k")).says[0].removeprefix("Lead: "))
        assert (second["id"], second["missing"][0]) == (first["id"], "down_payment")
        await call.hang_up()
        assert (await lead_of(client))["fields"] == {"loan_amount": 350_000, "property_value": 400_000}


async def test_without_a_workflow_a_lead_is_stored_as_the_model_gave_it(make_settings) -> None:
    model, app = app_with_model(make_settings)
    async with AsyncTestClient(app=app, base_url=PUBLIC_URL) as client:
        client.headers["Authorization"] = f"Bearer {ADMIN_KEY}"
        twilio = await open_line(client, {"lead_llm": {}})
        call = SimulatedCall(twilio, CALLER, NUMBER)
        await call.start()
        said = json.loads((await call.say("cleaning | insurance=Delta")).says[0].removeprefix("Lead: "))
        assert (said["ok"], said["score"], said["route"]) == (True, None, None)
        await call.hang_up()
        assert await lead_of(client) == {
            "name": None,
            "phone": CALLER,
            "intent": "cleaning",
            "workflow": None,
            "fields": {"insurance": "Delta"},
            "score": None,
        }
    (spec,) = [tool for tool in model.OFFERED[0] if tool.name == "capture_lead"]
    assert spec.parameters["properties"]["fields"] == {"type": "object", "default": {}}
