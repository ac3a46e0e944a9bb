"""Admin API: listing, reading and cancelling appointments; the iCalendar feed and its secret URL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from db_support import fetch_all
from litestar.testing import AsyncTestClient
from sqlalchemy import select

from core.audit.models import AuditEntry
from core.conversation.tools import BookAppointment
from core.scheduling import services
from core.scheduling.ical import feed_token
from core.scheduling.models import SlotClaim
from core.tenancy.models import Tenant
from plugins.calendar import Config
from tests.conftest import SECRET_KEY

# Appointments are booked relative to the real clock: the feed shows what is current.
NOW = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
DAY_AFTER_TOMORROW = NOW + timedelta(days=2)


async def make_tenant(client: AsyncTestClient, sessions, slug: str = "bright") -> Tenant:
    body = {"slug": slug, "name": "Bright Smiles", "timezone": "UTC"}
    assert (await client.post("/api/v1/tenants", json=body)).status_code == 201
    # The app runs on the test client's own event loop: the tests use their own connections.
    async with sessions() as session:
        return await session.scalar(select(Tenant).where(Tenant.slug == slug))


async def book(sessions, tenant: Tenant, start: datetime, name: str) -> str:
    async with sessions() as session:
        args = BookAppointment(start=start.isoformat(), name=name, service="Cleaning")
        result = await services.book(session, tenant, Config(), args, "+15551230001", "call-9", NOW)
        await session.commit()
    assert result.ok, result
    return result.appointment_id


async def test_appointments_are_listed_by_start_time(client: AsyncTestClient, sessions):
    tenant = await make_tenant(client, sessions)
    later = await book(sessions, tenant, DAY_AFTER_TOMORROW + timedelta(hours=3), "Later")
    sooner = await book(sessions, tenant, DAY_AFTER_TOMORROW, "Sooner")
    middle = await book(sessions, tenant, DAY_AFTER_TOMORROW + timedelta(hours=1), "Middle")
    page = (await client.get("/api/v1/tenants/bright/appointments")).json()
    assert [item["id"] for item in page["items"]] == [sooner, middle, later]
    first = page["items"][0]
    assert first == {
        "id": sooner,
        "start": DAY_AFTER_TOMORROW.isoformat().replace("+00:00", "Z"),
        "end": (DAY_AFTER_TOMORROW + timedelta(minutes=30)).isoformat().replace("+00:00", "Z"),
        "service": "Cleaning",
        "name": "Sooner",
        "phone": "+15551230001",
        "status": "booked",
        "call_id": "call-9",
        "resource": "default",
        "notes": None,
        "created_at": first["created_at"],
    }
    assert page["next_cursor"] is None

    first_two = (await client.get("/api/v1/tenants/bright/appointments?limit=2")).json()
    assert [item["name"] for item in first_two["items"]] == ["Sooner", "Middle"]
    rest = await client.get(f"/api/v1/tenants/bright/appointments?limit=2&cursor={first_two['next_cursor']}")
    assert [item["name"] for item in rest.json()["items"]] == ["Later"]

    since = (DAY_AFTER_TOMORROW + timedelta(minutes=30)).isoformat()
    response = await client.get("/api/v1/tenants/bright/appointments", params={"since": since})
    assert [item["name"] for item in response.json()["items"]] == ["Middle", "Later"]


async def test_the_list_filters_by_status_and_refuses_unknown_ones(client: AsyncTestClient, sessions):
    tenant = await make_tenant(client, sessions)
    kept = await book(sessions, tenant, DAY_AFTER_TOMORROW, "Kept")
    dropped = await book(sessions, tenant, DAY_AFTER_TOMORROW + timedelta(hours=1), "Dropped")
    assert (await client.post(f"/api/v1/tenants/bright/appointments/{dropped}/cancel")).status_code == 200
    booked = (await client.get("/api/v1/tenants/bright/appointments?status=booked")).json()["items"]
    cancelled = (await client.get("/api/v1/tenants/bright/appointments?status=cancelled")).json()["items"]
    assert [item["id"] for item in booked] == [kept]
    assert [item["id"] for item in cancelled] == [dropped]
    assert (await client.get("/api/v1/tenants/bright/appointments?status=maybe")).status_code == 400
    assert (await client.get("/api/v1/tenants/bright/appointments?cursor=nonsense")).status_code == 400


async def test_one_appointment_and_its_absence(client: AsyncTestClient, sessions):
    tenant = await make_tenant(client, sessions)
    await make_tenant(client, sessions, "other")
    appointment_id = await book(sessions, tenant, DAY_AFTER_TOMORROW, "Jane")
    response = await client.get(f"/api/v1/tenants/bright/appointments/{appointment_id}")
    assert response.status_code == 200 and response.json()["name"] == "Jane"
    assert (await client.get("/api/v1/tenants/bright/appointments/nope")).status_code == 404
    # Another tenant's appointment does not exist under this one.
    assert (await client.get(f"/api/v1/tenants/other/appointments/{appointment_id}")).status_code == 404
    assert (
        await client.post(f"/api/v1/tenants/other/appointments/{appointment_id}/cancel")
    ).status_code == 404


async def test_staff_cancel_frees_the_time_once_and_is_audited(
    client: AsyncTestClient, sessions, database_url: str
):
    tenant = await make_tenant(client, sessions)
    appointment_id = await book(sessions, tenant, DAY_AFTER_TOMORROW, "Jane")
    response = await client.post(f"/api/v1/tenants/bright/appointments/{appointment_id}/cancel")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert await fetch_all(database_url, select(SlotClaim)) == []
    again = await client.post(f"/api/v1/tenants/bright/appointments/{appointment_id}/cancel")
    assert again.status_code == 200 and again.json() == response.json() | {"status": "cancelled"}
    audit = await fetch_all(database_url, select(AuditEntry).where(AuditEntry.action == "appointment.cancel"))
    assert [(entry.object_id, entry.tenant_id) for entry in audit] == [(appointment_id, tenant.id)]
    # The time can be booked again.
    await book(sessions, tenant, DAY_AFTER_TOMORROW, "Next")


async def test_the_calendar_file_for_staff(client: AsyncTestClient, sessions):
    tenant = await make_tenant(client, sessions)
    appointment_id = await book(sessions, tenant, DAY_AFTER_TOMORROW, "Jane")
    response = await client.get("/api/v1/tenants/bright/appointments.ics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    assert f"UID:{appointment_id}@frontdesk\r\n" in response.text
    assert f"DTSTART:{DAY_AFTER_TOMORROW:%Y%m%dT%H%M%S}Z\r\n" in response.text
    assert "SUMMARY:Cleaning - Jane\r\n" in response.text
    assert "X-WR-CALNAME:Bright Smiles appointments\r\n" in response.text


async def test_the_secret_feed_url_serves_calendar_apps_without_a_key(client: AsyncTestClient, sessions):
    tenant = await make_tenant(client, sessions)
    await book(sessions, tenant, DAY_AFTER_TOMORROW, "Jane")
    url = (await client.get("/api/v1/tenants/bright/calendar-feed")).json()["url"]
    token = feed_token(SECRET_KEY, tenant.id)
    assert url == f"https://frontdesk.test/calendar/bright/{token}.ics"
    staff_copy = (await client.get("/api/v1/tenants/bright/appointments.ics")).text
    public = await client.get(url.removeprefix("https://frontdesk.test"), headers={"Authorization": ""})
    assert public.status_code == 200
    assert public.text == staff_copy


async def test_a_wrong_feed_address_is_not_found(client: AsyncTestClient, sessions):
    tenant = await make_tenant(client, sessions)
    other = await make_tenant(client, sessions, "other")
    token = feed_token(SECRET_KEY, tenant.id)
    anonymous = {"Authorization": ""}
    for path in (
        f"/calendar/bright/{token[:-2]}xx.ics",  # a wrong token
        f"/calendar/bright/{token}",  # no .ics
        f"/calendar/bright/{feed_token(SECRET_KEY, other.id)}.ics",  # another tenant's token
        f"/calendar/other/{token}.ics",  # this token under another tenant
        f"/calendar/nobody/{token}.ics",
    ):
        assert (await client.get(path, headers=anonymous)).status_code == 404, path


async def test_new_tenants_come_with_the_calendar_installed(client: AsyncTestClient, sessions):
    await make_tenant(client, sessions)
    installed = (await client.get("/api/v1/tenants/bright/plugins")).json()
    names = [item["name"] for item in (installed["items"] if isinstance(installed, dict) else installed)]
    assert "calendar" in names
