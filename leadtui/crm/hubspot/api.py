"""HubSpot's API paths, in one place: the `/v3/` paths go unsupported in September 2027
for date-versioned ones (`/crm/objects/2026-09/contacts`), and moving over is a change
to this file alone."""

from __future__ import annotations

BASE_URL = "https://api.hubapi.com"
VERSION = "v3"

OBJECTS = f"/crm/{VERSION}/objects/{{kind}}"
OBJECT = f"/crm/{VERSION}/objects/{{kind}}/{{id}}"
SEARCH = f"/crm/{VERSION}/objects/{{kind}}/search"
PROPERTIES = f"/crm/{VERSION}/properties/{{kind}}"
PROPERTY = f"/crm/{VERSION}/properties/{{kind}}/{{name}}"
PROPERTY_GROUPS = f"/crm/{VERSION}/properties/{{kind}}/groups"
OWNERS = f"/crm/{VERSION}/owners"
# The account's daily API usage, with when its day ends (`resetsAt`).
DAILY_USAGE = f"/account-info/{VERSION}/api-usage/daily/private-apps"
# The call outcomes ("dispositions") an account offers: the v1 path is still the one.
DISPOSITIONS = "/calling/v1/dispositions"

# HubSpot-defined association types, from the engagement to the contact.
CALL_TO_CONTACT = 194
EMAIL_TO_CONTACT = 198
NOTE_TO_CONTACT = 202

# One search returns at most this many results; paging past it is refused (400). The
# pull never pages a search (each page is a search of its own): it never meets it.
SEARCH_CAP = 10_000
# The most results one search page may hold.
SEARCH_PAGE = 200

# The property leadtui keeps each pushed event's UUID in, on calls, emails and notes: what is
# looked for before a create whose answer was lost is sent again.
EVENT_PROPERTY = "leadtui_event_id"


def objects(kind: str) -> str:
    return OBJECTS.format(kind=kind)


def one(kind: str, object_id: str) -> str:
    return OBJECT.format(kind=kind, id=object_id)


def search(kind: str) -> str:
    return SEARCH.format(kind=kind)


def properties(kind: str) -> str:
    return PROPERTIES.format(kind=kind)


def prop(kind: str, name: str) -> str:
    return PROPERTY.format(kind=kind, name=name)


def groups(kind: str) -> str:
    return PROPERTY_GROUPS.format(kind=kind)
