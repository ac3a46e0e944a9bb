"""A Spanish-speaking caller on a bilingual tenant: detected, answered and booked in Spanish.

Signed Twilio webhooks, the host's tools, the built-in calendar, the offline model and the
Twilio voice: nothing is scripted but the caller.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

from litestar.testing import AsyncTestClient

from core.app import create_app
from core.telephony.simulator import SimulatedCall, TwimlStep
from tests.conftest import ADMIN_KEY
from tests.core.telephony.conftest import CALLER, NUMBER, PUBLIC_URL, open_line, phone_settings

EVERY_DAY = {day: [["08:00", "17:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
BUSINESS = {"hours": EVERY_DAY, "address": "12 Elm Street", "services": ["Teeth cleaning", "Whitening"]}
WEEKDAYS = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")
MONTHS = (
    "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
    "noviembre", "diciembre",
)  # fmt: skip


async def say(call: SimulatedCall, text: str) -> tuple[TwimlStep, ElementTree.Element]:
    """The caller speaks; the TwiML answer, parsed as the simulator reads it and as XML."""
    assert call.step is not None and call.step.gather_action is not None
    params = call.params(CallStatus="in-progress", SpeechResult=text, Confidence="0.92")
    response = await call.twilio.post(call.step.gather_action, params)
    root = ElementTree.fromstring(response.text)
    return await call._follow(response), root


def spanish_day(day: datetime) -> str:
    return f"el {WEEKDAYS[day.weekday()]} {day.day} de {MONTHS[day.month - 1]}"


async def test_a_spanish_caller_is_answered_and_booked_in_spanish(make_settings) -> None:
    app = create_app(phone_settings(make_settings, turn_budget_s=5.0))
    async with AsyncTestClient(app=app, base_url=PUBLIC_URL) as client:
        client.headers["Authorization"] = f"Bearer {ADMIN_KEY}"
        twilio = await open_line(client)
        tenant = {"business": BUSINESS, "languages": ["en-US", "es-US"]}
        assert (await client.patch("/api/v1/tenants/acme", json=tenant)).status_code == 200
        for entry in (
            {
                "question": "Do you accept insurance?",
                "answer": "We accept most PPO plans, including Delta Dental.",
                "tags": ["insurance"],
            },
            {
                "question": "¿Qué seguros dentales aceptan?",
                "answer": "Aceptamos la mayoría de los planes PPO, incluido Delta Dental.",
                "tags": ["seguro"],
            },
        ):
            assert (await client.post("/api/v1/tenants/acme/knowledge", json=entry)).status_code == 201

        call = SimulatedCall(twilio, CALLER, NUMBER)
        greeting = await call.start()
        assert greeting.says == ["Thank you for calling Acme Dental. How can I help you today?"]

        answer, xml = await say(call, "Hola, ¿aceptan seguro dental?")
        assert answer.says == [
            "Aceptamos la mayoría de los planes PPO, incluido Delta Dental. "
            "¿Hay algo más en lo que le pueda ayudar?"
        ]
        gather = xml.find("Gather")
        assert gather is not None and gather.get("language") == "es-US"
        spoken = gather.find("Say")
        assert spoken is not None
        assert (spoken.get("language"), spoken.get("voice")) == ("es-US", "Polly.Lupe")

        tomorrow = datetime.now(ZoneInfo("America/Chicago")) + timedelta(days=1)
        slot = f"{spanish_day(tomorrow)} a las 10:00 de la mañana"
        offer, _ = await say(call, "Quiero hacer una cita para una limpieza mañana a las diez")
        assert offer.says == [f"Buenas noticias, {slot} está disponible. ¿Me da su nombre para agendarlo?"]

        booked, xml = await say(call, "María González")
        anything_else = "¿Hay algo más en lo que le pueda ayudar?"
        assert booked.says == [f"Listo, María. Le agendé su limpieza dental para {slot}. {anything_else}"]
        # A name says nothing of the language: the call stays in Spanish.
        assert xml.find("Gather").get("language") == "es-US"  # type: ignore[union-attr]

        # The platform's own reprompt after a silence is in the caller's language too.
        silence, xml = await say(call, "")
        assert silence.says == ["Disculpe, no le entendí. ¿En qué le puedo ayudar?"]
        assert xml.find("Gather").get("language") == "es-US"  # type: ignore[union-attr]

        goodbye, xml = await say(call, "No, eso es todo, gracias")
        farewell = "Gracias por llamar a Acme Dental. Que tenga un excelente día. ¡Hasta luego!"
        assert goodbye.says == [f"Lo esperamos {slot}. {farewell}"]
        assert goodbye.hangup
        assert xml.find("Say").get("language") == "es-US"  # type: ignore[union-attr]
        await call.hang_up()

        detail = (await client.get(f"/api/v1/tenants/acme/calls/{call.call_sid}")).json()
        assert detail["language"] == "es-US"
        appointments = (await client.get("/api/v1/tenants/acme/appointments")).json()["items"]
        assert [(a["name"], a["phone"], a["service"]) for a in appointments] == [
            ("María González", CALLER, "Teeth cleaning")
        ]


async def test_an_english_caller_of_the_same_tenant_stays_in_english(make_settings) -> None:
    app = create_app(phone_settings(make_settings, turn_budget_s=5.0))
    async with AsyncTestClient(app=app, base_url=PUBLIC_URL) as client:
        client.headers["Authorization"] = f"Bearer {ADMIN_KEY}"
        twilio = await open_line(client)
        tenant = {"business": BUSINESS, "languages": ["en-US", "es-US"]}
        assert (await client.patch("/api/v1/tenants/acme", json=tenant)).status_code == 200
        call = SimulatedCall(twilio, CALLER, NUMBER)
        await call.start()
        answer, xml = await say(call, "Where are you located?")
        assert answer.says == ["We're located at 12 Elm Street. Would you like me to text you the address?"]
        gather = xml.find("Gather")
        assert gather is not None and gather.get("language") == "en-US"
        assert gather.find("Say").get("voice") == "Polly.Joanna"  # type: ignore[union-attr]
        detail = (await client.get(f"/api/v1/tenants/acme/calls/{call.call_sid}")).json()
        assert detail["language"] == "en-US"
