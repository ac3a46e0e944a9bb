"""Roles, what each may do, and which roles a role may hand out."""

from __future__ import annotations

PLATFORM_ADMIN = "platform_admin"
AGENCY_ADMIN = "agency_admin"
OWNER = "owner"
ADMIN = "admin"
AGENT = "agent"
VIEWER = "viewer"

# Higher may grant lower or equal, never higher.
ROLE_RANK = {VIEWER: 1, AGENT: 2, ADMIN: 3, OWNER: 4, AGENCY_ADMIN: 5, PLATFORM_ADMIN: 6}
TENANT_ROLES = (OWNER, ADMIN, AGENT, VIEWER)
# Roles an API key or member can be given through the tenant API (platform admins come from the CLI/env).
GRANTABLE_ROLES = (AGENCY_ADMIN, OWNER, ADMIN, AGENT, VIEWER)

# Objects: the tenant record, its children (agency), and the tenant-owned collections.
# Actions: read, write (create/update), delete. Call data is written by calls themselves; "write"
# on it is what staff may change by hand (cancel an appointment), never delete.
_CONFIG_OBJECTS = (
    "numbers",
    "plugins",
    "knowledge",
    "api_keys",
    "members",
    "contacts",
    "experiments",
    "hooks",
)
_CALL_DATA = ("calls",)

ROLE_PERMISSIONS: dict[str, list[tuple[str, str]]] = {
    PLATFORM_ADMIN: [("*", "*")],
    AGENCY_ADMIN: [("*", "*")],
    OWNER: [("tenant", "*"), ("audit", "read"), ("analytics", "read")]
    + [(obj, "*") for obj in _CONFIG_OBJECTS]
    + [(obj, act) for obj in _CALL_DATA for act in ("read", "write")],
    ADMIN: [("tenant", "read"), ("tenant", "write"), ("audit", "read"), ("analytics", "read")]
    + [(obj, "*") for obj in _CONFIG_OBJECTS]
    + [(obj, act) for obj in _CALL_DATA for act in ("read", "write")],
    # Front-desk staff: read the calls, messages and leads; change nothing.
    AGENT: [("tenant", "read"), ("knowledge", "read"), ("contacts", "read"), ("experiments", "read")]
    + [(obj, "read") for obj in _CALL_DATA],
    # Dashboards and configuration, read-only, without call content.
    VIEWER: [
        ("tenant", "read"),
        ("numbers", "read"),
        ("plugins", "read"),
        ("knowledge", "read"),
        ("analytics", "read"),
        ("experiments", "read"),
    ],
}


def permission_rules() -> list[list[str]]:
    """The ``p`` lines every deployment starts with."""
    return [[role, obj, act] for role, perms in ROLE_PERMISSIONS.items() for obj, act in perms]


def can_grant(granter_role: str, role: str) -> bool:
    return ROLE_RANK.get(role, 99) <= ROLE_RANK.get(granter_role, 0)
